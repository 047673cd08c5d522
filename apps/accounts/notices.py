"""New access to cases: every role that reads cases and every case shared with an institution is
recorded as an AccessNotice and shown to the municipality's coordinators (work queue, e-mail)."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core import outbox
from apps.core.choices import Role

from .choices import AccessNoticeKind
from .models import AccessNotice, Membership, User


def coordinators_of(municipality_id: int, *, exclude=()) -> list[User]:
    """The active coordinators of a municipality (each once), who are told about new access."""
    ids = (
        Membership.objects.filter(
            municipality_id=municipality_id, role=Role.COORDINATOR, is_active=True,
            user__is_active=True, institution__is_active=True,
        )
        .exclude(user_id__in=[u for u in exclude if u is not None])
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def access_notice_record(
    *, institution, granted_by, kind: str = AccessNoticeKind.ROLE, user=None, role: str = "", case_number: str = "",
    municipality_id: int | None = None, email: bool = True,
) -> AccessNotice:
    """Record new access to cases and, after the commit, e-mail the municipality's coordinators
    (never anything about the people in a case: who got which access where, by whom, when)."""
    notice = AccessNotice(
        municipality_id=municipality_id or institution.municipality_id,
        kind=kind,
        user=user,
        institution=institution,
        role=role,
        case_number=case_number,
        granted_by=granted_by,
    )
    notice.full_clean()
    notice.save()
    if email:
        for recipient in coordinators_of(notice.municipality_id, exclude=(getattr(user, "pk", None),)):
            subject, body = access_notice_email(notice, recipient.language)
            outbox.send_email(subject=subject, body=body, to=[recipient.email], kind="accounts.access_notice",
                              municipality_id=notice.municipality_id)
    return notice


def access_notice_email(notice: AccessNotice, language: str) -> tuple[str, str]:
    """Subject and body of the coordinators' e-mail, in the recipient's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "person": _person(notice.user),
            "granted_by": _person(notice.granted_by),
            "role": notice.get_role_display(),
            "institution": notice.institution.display_name(),
            "at": timezone.localtime(notice.created_at),
            "url": settings.SITE_URL.rstrip("/") + reverse("accounts:access_notices"),
        }
        subject = "".join(render_to_string("accounts/email/access_notice_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/access_notice.txt", context)
    return subject, body


def _person(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email
