"""Reads of the interlinking app: accounts, records and the matching queue as the reader may see them."""
from __future__ import annotations

from apps.cases.models import Case
from apps.core.choices import Role

from .choices import RecordStatus
from .models import ImportRun, InboundRecord, MachineAccount, MachineToken


def accounts_for(user):
    return MachineAccount.objects.visible_to(user, "change").select_related("institution").order_by("name", "id")


def tokens_of(account: MachineAccount):
    return MachineToken.objects.filter(account=account).order_by("-created_at")


def records_for(user, *, status: str = ""):
    queryset = InboundRecord.objects.visible_to(user, "view").select_related("account", "case")
    if status in RecordStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-received_at", "-id")


def imports_for(user, account: MachineAccount):
    return ImportRun.objects.visible_to(user, "view").filter(account=account).order_by("-created_at")[:20]


def candidate_cases(user, record: InboundRecord) -> list[Case]:
    """The record's candidate cases that the reader may change (the others are not named at all)."""
    ids = [c["case"] for c in record.explanation.get("candidates", [])]
    if not ids:
        return []
    found = {c.pk: c for c in Case.objects.visible_to(user, "change").filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def candidate_rows(user, record: InboundRecord) -> list[dict]:
    """The explanation's candidates the reader may see, with their scores and parts."""
    visible = {c.pk: c for c in Case.objects.visible_to(user, "view").filter(
        pk__in=[c["case"] for c in record.explanation.get("candidates", [])])}
    return [{**c, "case_obj": visible[c["case"]]} for c in record.explanation.get("candidates", []) if c["case"] in visible]


def case_if_visible(user, record: InboundRecord) -> Case | None:
    """The record's case when the reader may see it (else it is not named)."""
    if record.case_id is None:
        return None
    return Case.objects.visible_to(user, "view").filter(pk=record.case_id).first()


def may_decide(user, record: InboundRecord) -> bool:
    return InboundRecord.objects.visible_to(user, "change").filter(pk=record.pk).exists()


def is_admin_of(user, institution_id: int) -> bool:
    return institution_id in user.access.institution_ids(Role.INSTITUTION_ADMIN)
