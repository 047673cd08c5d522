"""The case team and its staff: the side panel's data, adding and removing institutions, assigning and
unassigning staff (only the case team and the municipality's coordinators)."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.views import View

from apps.accounts.models import Membership

from ..choices import CaseStatus
from ..forms_case import AssignForm, TeamAddForm
from ..models import Case, CaseAssignment, CaseParticipant
from ..selectors.case_rows import case_rows
from ..selectors.team import case_team_for
from ..services import cases as case_services
from ..services.cases import STAFF_ROLES
from .base import CaseView
from .case_edit import CaseChangeFormView

User = get_user_model()


def team_context(request, case: Case, *, on_team: bool) -> dict:
    """The side panel: the case team and the assigned staff. The forms that change them open on
    demand (TeamAddView, AssignView): a large centre's staff list is hundreds of options the page
    would otherwise build and send on every visit."""
    user = request.user
    team = case_team_for(user, case)
    members = [{"member": m, "added_by": m.participant.added_by} for m in team]
    # The timeline reads every assignment of the case (oldest first); the panel shows the open ones,
    # the case manager first.
    assignments = [a for a in case_rows(user, case, CaseAssignment) if a.ended_at is None]
    assignments.sort(key=lambda a: a.team_role, reverse=True)
    open_case = case.status != CaseStatus.CLOSED
    return {
        "team": members,
        "assignments": assignments,
        "can_change_team": on_team and open_case,
        "is_lead_staff": case.lead_institution_id in user.access.institution_ids(*STAFF_ROLES),
    }


def staff_choices(case: Case, team_ids) -> tuple:
    """Active staff of the institutions on the team (who can be assigned), and their institution names."""
    memberships = Membership.objects.filter(
        institution_id__in=list(team_ids),
        municipality_id=case.municipality_id,
        is_active=True,
        role__in=STAFF_ROLES,
        institution__is_active=True,
        user__is_active=True,
    )
    labels: dict[int, str] = {}
    cyrillic = (get_language() or "").lower().endswith("cyrl")
    for user_id, name, name_cyrl in memberships.values_list("user_id", "institution__name", "institution__name_cyrl"):
        labels.setdefault(user_id, name_cyrl if cyrillic and name_cyrl else name)
    # Only what the option label needs: a large centre lists hundreds of people here.
    queryset = (
        User.objects.filter(pk__in=list(labels))
        .only("id", "first_name", "last_name", "email")
        .order_by("last_name", "first_name", "email")
    )
    return queryset, labels


class TeamFormView(CaseChangeFormView):
    """A form that changes the team or the staff: only for the case team and the municipality's
    coordinators (a case shared for one task does not show the team's institutions and staff)."""

    team_only = True

    def team_ids(self) -> list[int]:
        """The institutions on the case team now."""
        return list(
            CaseParticipant.objects.visible_to(self.request.user)
            .filter(case_id=self.case.pk, ended_at__isnull=True)
            .values_list("institution_id", flat=True)
        )


class TeamAddView(TeamFormView):
    """Add an institution to the case team (the victim's consent, or immediate danger and a reason)."""

    template_name = "cases/form_team.html"
    partial_template = "cases/_team_add_form.html"
    section = "team"

    def make_form(self, data=None):
        case = self.case
        show_override = case_services.is_immediate_danger(case)
        return TeamAddForm(data, user=self.request.user, case=case, team_ids=self.team_ids(), show_override=show_override)

    def save(self, form):
        institution = form.cleaned_data["institution"]
        case_services.case_add_participant(
            user=self.request.user,
            case=self.case,
            institution=institution,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
        return self.success(_t("%(institution)s joined the case team.") % {"institution": institution.display_name()})

    def render_to_response(self, context, **response_kwargs):
        form = context.get("form")
        if form is not None and "override_reason" in form.errors and not form.show_override:
            # The service asks for a reason (immediate danger, no consent): show the field.
            form.show_override = True
            form.fields["override_reason"].widget = forms.Textarea(attrs={"rows": 3})
        return super().render_to_response(context, **response_kwargs)


class TeamRemoveView(CaseView, View):
    """Take an institution off the team (POST)."""

    action = "change"

    def post(self, request, pk, participant_pk):
        case = self.case
        participant = self.case_row(CaseParticipant, participant_pk, select_related=("institution",))
        try:
            case_services.case_remove_participant(user=request.user, case=case, institution=participant.institution)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, _t("%(institution)s left the case team.") % {"institution": participant.institution.display_name()})
        return HttpResponseRedirect(self.detail_url("team"))


class AssignView(TeamFormView):
    """Assign a staff member of an institution on the team."""

    template_name = "cases/form_assign.html"
    partial_template = "cases/_assign_form.html"
    section = "staff"

    def make_form(self, data=None):
        queryset, labels = staff_choices(self.case, self.team_ids())
        return AssignForm(data, staff_queryset=queryset, staff_labels=labels)

    def save(self, form):
        assignee = form.cleaned_data["assignee"]
        case_services.case_assign_user(
            user=self.request.user, case=self.case, assignee=assignee, team_role=form.cleaned_data["team_role"],
        )
        return self.success(_t("%(name)s is assigned to the case.") % {"name": assignee.get_full_name() or assignee.email})


class UnassignView(CaseView, View):
    """End a staff member's assignment (POST)."""

    action = "change"

    def post(self, request, pk, assignment_pk):
        case = self.case
        assignment = self.case_row(CaseAssignment, assignment_pk, select_related=("user",), ended_at__isnull=True)
        try:
            case_services.case_unassign_user(user=request.user, case=case, assignee=assignment.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, _t("The assignment has ended."))
        return HttpResponseRedirect(self.detail_url("staff"))
