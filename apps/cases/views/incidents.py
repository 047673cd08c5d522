"""Recording an incident."""
from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

from ..forms_records import (
    IncidentForm,
    local_minute,
)
from ..models import (
    Incident,
)
from ..services.incidents import incident_add
from .base import CaseFormView

# --- incidents ------------------------------------------------------------------------------------


class IncidentAddView(CaseFormView):
    """Record an incident."""

    template_name = "cases/records/incident_form.html"
    form_class = IncidentForm
    section = "incidents"

    def get_initial(self):
        initial = super().get_initial()
        # The case's first incident was usually reported when the case was; later ones now.
        if not Incident.objects.visible_to(self.request.user).filter(case_id=self.case.pk).exists():
            initial["reported_at"] = local_minute(self.case.reported_at)
        return initial

    def save(self, form):
        data = form.cleaned_data
        return incident_add(
            user=self.request.user,
            case=self.case,
            occurred_at=data["occurred_at"],
            reported_at=data.get("reported_at"),
            place_type=data["place_type"],
            forms=data["forms"],
            channel=data["channel"],
            reporting_institution=data.get("reporting_institution"),
            police_event_number=data.get("police_event_number", ""),
            injuries=data.get("injuries", False),
            injuries_note=data.get("injuries_note", ""),
            weapon_involved=data.get("weapon_involved", False),
            weapon_owned=data.get("weapon_owned", False),
            children_present=data.get("children_present", False),
            children_witnessed=data.get("children_witnessed", False),
            description=data.get("description", ""),
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The incident was recorded."))
