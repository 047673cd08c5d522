"""Distribution: collections (a published version at an institution or municipality, open between
two dates, behind an unguessable link) and pre/post waves."""
from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import public
from ..choices import WavePhase
from ..models import Collection, Wave


def _check(version, institution, opens_on, closes_on) -> None:
    errors = {}
    if not version.is_published:
        errors["questionnaire_version"] = _("Only a published version can be distributed.")
    if institution is not None and institution.municipality_id != version.municipality_id:
        errors["institution"] = _("The institution must belong to the questionnaire's municipality.")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("The collection must close on or after the day it opens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_collection(*, actor, version, institution=None, title: str, opens_on, closes_on, wave=None, phase=""):
    _check(version, institution, opens_on, closes_on)
    collection = Collection.objects.create(
        municipality_id=version.municipality_id, institution=institution, questionnaire_version=version, title=title,
        opens_on=opens_on, closes_on=closes_on, wave=wave, phase=phase, created_by=actor,
    )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=collection)
    return collection


@transaction.atomic
def close_collection(*, actor, collection: Collection) -> Collection:
    """Closes the collection now (its link then answers "closed")."""
    yesterday = timezone.localdate() - timedelta(days=1)
    collection.closes_on = max(yesterday, collection.opens_on - timedelta(days=1))
    Collection.objects.filter(pk=collection.pk).update(closes_on=collection.closes_on, version=F("version") + 1)
    public.forget_link(collection.token)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=collection, details={"closed": True})
    return collection


@transaction.atomic
def create_wave(*, actor, version, title: str, pre_opens_on, pre_closes_on, post_opens_on, post_closes_on,
                event_ref: int | None = None) -> Wave:
    """A standalone pre/post wave: two collections of the same version (before and after a training).
    ``event_ref``: the training of the programme events app, when it exists (a plain id)."""
    _check(version, None, pre_opens_on, pre_closes_on)
    _check(version, None, post_opens_on, post_closes_on)
    wave = Wave.objects.create(municipality_id=version.municipality_id, title=title, event_ref=event_ref,
                               created_by=actor)
    for phase, opens, closes in ((WavePhase.PRE, pre_opens_on, pre_closes_on), (WavePhase.POST, post_opens_on, post_closes_on)):
        Collection.objects.create(
            municipality_id=version.municipality_id, questionnaire_version=version, wave=wave, phase=phase,
            title=f"{title} · {WavePhase(phase).label}", opens_on=opens, closes_on=closes, created_by=actor,
        )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=wave)
    return wave
