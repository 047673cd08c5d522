"""Coordination areas, kept by platform admins: the seat, the municipalities covered and the permanent
member institutions of the area's coordination group."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..models import AreaMember, AreaMunicipality, CoordinationArea


@transaction.atomic
def area_save(
    *,
    user,
    area: CoordinationArea | None,
    name: str,
    municipality: Municipality,
    name_cyrl: str = "",
    prosecutor_office: Institution | None = None,
    municipalities=(),
    institutions=(),
    meeting_interval_days: int = 15,
    is_active: bool = True,
) -> CoordinationArea:
    """Create or change a coordination area with its municipalities and permanent member institutions."""
    if not (user.is_authenticated and user.is_platform_admin):
        raise Http404
    covered = {municipality.pk, *(m.pk for m in municipalities)}
    errors: dict[str, list] = {}
    if prosecutor_office is not None and prosecutor_office.municipality_id not in covered:
        errors["prosecutor_office"] = [_("The prosecutor's office must be in a municipality of the area.")]
    outside = [i.name for i in institutions if i.municipality_id not in covered]
    if outside:
        errors["institutions"] = [
            _("Not an institution of a municipality of the area: %(names)s.") % {"names": ", ".join(outside)}
        ]
    duplicate = CoordinationArea.objects.filter(municipality=municipality, name=name.strip())
    if area is not None:
        duplicate = duplicate.exclude(pk=area.pk)
    if duplicate.exists():
        errors["name"] = [_("This seat municipality already has an area with this name.")]
    if errors:
        raise ValidationError(errors)
    creating = area is None
    if creating:
        area = CoordinationArea()
    else:
        area = CoordinationArea.objects.select_for_update().get(pk=area.pk)
    area.name, area.name_cyrl, area.municipality = name.strip(), (name_cyrl or "").strip(), municipality
    area.prosecutor_office, area.meeting_interval_days, area.is_active = prosecutor_office, meeting_interval_days, is_active
    area.full_clean()
    area.save()
    AreaMunicipality.objects.filter(area=area).exclude(municipality_id__in=covered).delete()
    have = set(AreaMunicipality.objects.filter(area=area).values_list("municipality_id", flat=True))
    AreaMunicipality.objects.bulk_create(
        [AreaMunicipality(area=area, municipality_id=pk) for pk in sorted(covered - have)]
    )
    wanted = {i.pk: i for i in institutions}
    AreaMember.objects.filter(area=area).exclude(institution_id__in=wanted).delete()
    have = set(AreaMember.objects.filter(area=area).values_list("institution_id", flat=True))
    AreaMember.objects.bulk_create(
        [AreaMember(area=area, institution=i, municipality_id=i.municipality_id) for pk, i in wanted.items() if pk not in have]
    )
    audit_log(action=AuditAction.CREATE if creating else AuditAction.UPDATE, actor=user, obj=area)
    return area
