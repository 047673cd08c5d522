"""The protocols app's home panel: for coordinators and institution admins, the agreements to renew
(unread reminders), the open self-assessment answers of their institution, and the open rounds."""
from __future__ import annotations

from apps.core import home
from apps.core.choices import Role

from .choices import ResponseStatus, RoundStatus
from .models import AgreementReminder, AssessmentResponse

ROLES = (Role.COORDINATOR, Role.INSTITUTION_ADMIN)


def protocols_panel(request):
    """Renewal reminders addressed to the user and answers waiting on the user's institution (two queries)."""
    user = request.user
    if not set(ROLES) & user.access.roles():
        return None
    reminders = list(AgreementReminder.objects.visible_to(user, "view").filter(user=user, read_at__isnull=True)
                     .select_related("agreement").order_by("-sent_at")[:5])
    waiting = list(AssessmentResponse.objects.visible_to(user, "change")
                   .filter(round__status=RoundStatus.OPEN).exclude(status=ResponseStatus.SUBMITTED)
                   .select_related("round", "institution")[:5])
    if not reminders and not waiting:
        return None
    return home.HomePanel(key="protocols", template="protocols/includes/home_panel.html", order=20, roles=ROLES,
                          context={"reminders": reminders, "waiting": waiting})


home.register(protocols_panel)
