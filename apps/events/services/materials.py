"""The materials catalogue, stock movements (copies received) and distributions (copies handed out),
and the stock left (received less handed out).

Coordinators of the municipality write; copies are whole and positive, and no more can be handed
out than the municipality has left (the material's row is locked while a distribution is checked,
so two at once cannot take the stock below zero). Changes of a material use optimistic locking;
everything is audited."""
from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases.services.attachments import check_file, max_upload_bytes, read_limited, safe_file_name
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import Language, MaterialKind
from ..models import Distribution, Material, MaterialStock, PublicPageSetting
from ..querysets import MANAGE


def stock_left(material: Material) -> int:
    received = MaterialStock.objects.filter(material=material).aggregate(n=Sum("copies"))["n"] or 0
    given = Distribution.objects.filter(material=material).aggregate(n=Sum("copies"))["n"] or 0
    return received - given


@transaction.atomic
def material_create(*, user, municipality, title: str, kind: str, languages=(), audience: str = "",
                    material_version: str = "", file=None, copies: int | None = None, received_on=None) -> Material:
    """A new catalogue entry, with the copies received (if any)."""
    if municipality is None or municipality.pk not in user.access.municipalities_with(MANAGE):
        raise Http404
    if any(lang not in Language.values for lang in languages):
        raise ValidationError({"languages": [_("Choose languages from the list.")]})
    if copies is not None and copies < 0:
        raise ValidationError({"copies": [_("The number of copies cannot be negative.")]})
    material = Material(municipality=municipality, title=title, kind=kind, languages=list(languages),
                        audience=audience, material_version=material_version)
    if file:
        # Checked by content like a case document (a disguised page or script is refused on the field),
        # and stored under a random name.
        data = read_limited(file, max_upload_bytes())
        detected = check_file(safe_file_name(getattr(file, "name", "") or ""), data)
        material.file.save(f"{secrets.token_hex(16)}.{detected.main_extension}", ContentFile(data), save=False)
    material.full_clean()
    material.save()
    if copies:
        MaterialStock.objects.create(material=material, municipality=municipality, copies=copies,
                                     received_on=received_on or timezone.localdate())
    audit_log(action=AuditAction.CREATE, actor=user, obj=material, details={"copies": copies or 0})
    return material


MATERIAL_FIELDS = ("title", "kind", "languages", "audience", "material_version")


def _for_change(user, material: Material) -> Material:
    current = Material.objects.visible_to(user, "change").select_for_update().filter(pk=material.pk).first()
    if current is None:
        raise Http404
    return current


@transaction.atomic
def material_update(*, user, material: Material, version, **values) -> Material:
    """Change a catalogue entry (its coordinators), refused if someone saved it meanwhile."""
    current = _for_change(user, material)
    values = {name: value for name, value in values.items() if name in MATERIAL_FIELDS}
    if any(lang not in Language.values for lang in values.get("languages", [])):
        raise ValidationError({"languages": [_("Choose languages from the list.")]})
    if "kind" in values and values["kind"] not in MaterialKind.values:
        raise ValidationError({"kind": [_("Choose the kind from the list.")]})
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    for name, value in values.items():
        setattr(current, name, list(value) if name == "languages" else value)
    save_with_version(current, version, list(values))
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current, details={"changed": changed})
    return current


@transaction.atomic
def stock_add(*, user, material: Material, copies, received_on, note: str = "") -> MaterialStock:
    """Copies received (a stock movement): a whole positive number, on a day, with an optional note."""
    current = _for_change(user, material)
    errors: dict[str, list] = {}
    try:
        number = int(copies)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        errors["copies"] = [_("The number of copies must be a positive whole number.")]
    if received_on is None:
        errors["received_on"] = [_("Enter the day the copies were received.")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("The day of receipt cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    row = MaterialStock(material=current, municipality_id=current.municipality_id, copies=number,
                        received_on=received_on, note=(note or "").strip(), created_by=user)
    row.full_clean()
    row.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=row, details={"material": current.pk, "copies": number})
    return row


@transaction.atomic
def distribution_record(*, user, material: Material, copies, distributed_on, institution=None, info_desk: str = "",
                        event=None) -> Distribution:
    """Copies handed out to an institution or at an info desk."""
    current = Material.objects.visible_to(user, "change").select_for_update().filter(pk=material.pk).first()
    if current is None:
        raise Http404
    errors: dict[str, list] = {}
    if copies is None or int(copies) <= 0:
        errors["copies"] = [_("The number of copies must be a positive whole number.")]
    elif int(copies) > stock_left(current):
        errors["copies"] = [_("Only %(n)s copies are left in stock.") % {"n": stock_left(current)}]
    if institution is None and not (info_desk or "").strip():
        errors["info_desk"] = [_("Name the institution or the info desk.")]
    if institution is not None and institution.municipality_id != current.municipality_id:
        errors["institution"] = [_("Choose an institution of the municipality.")]
    if errors:
        raise ValidationError(errors)
    row = Distribution(material=current, municipality_id=current.municipality_id, institution=institution,
                       info_desk=(info_desk or "").strip(), copies=int(copies), distributed_on=distributed_on,
                       event=event)
    row.full_clean()
    row.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=row, details={"copies": row.copies})
    return row


@transaction.atomic
def public_page_set(*, user, municipality_id: int, enabled: bool) -> PublicPageSetting:
    """Switch a municipality's public page on or off (its coordinators)."""
    if municipality_id not in user.access.municipalities_with(MANAGE):
        raise Http404
    row, _created = PublicPageSetting.objects.get_or_create(municipality_id=municipality_id)
    row.enabled = enabled
    row.save(update_fields=["enabled", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=row, details={"public_page": enabled})
    return row
