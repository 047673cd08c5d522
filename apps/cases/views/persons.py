"""Persons of a case: adding and editing (JMBG for the lead institution's staff only, confidential
addresses for those who may see them) and the known-person check before saving."""
from __future__ import annotations

import copy

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from apps.core.locking import VersionConflict
from apps.core.service_errors import display_value

from ..choices import (
    PersonRole,
)
from ..forms_records import (
    PersonCheckForm,
    PersonForm,
)
from ..models import (
    Case,
    CasePerson,
)
from ..querysets import CASE_ROLES
from ..selectors.persons import may_see_confidential_address
from ..services.persons import (
    EDITABLE_FIELDS,
    JUVENILE_MESSAGE,
    JUVENILE_UNSURE_MESSAGE,
    Recognition,
    person_add,
    person_check,
    person_recognition,
    person_update,
)
from .base import CaseFormView, CaseView

MASK = "•••••"
def is_lead_staff(user, case: Case) -> bool:
    """Staff of the case's lead institution (they see the JMBG)."""
    return case.lead_institution_id in user.access.institution_ids(*CASE_ROLES)


# --- persons --------------------------------------------------------------------------------------


class PersonFormMixin:
    """What adding and editing a person share: the template, the juvenile warning, the messages."""

    template_name = "cases/records/person_form.html"
    form_class = PersonForm
    section = "persons"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        juvenile = [str(JUVENILE_MESSAGE), str(JUVENILE_UNSURE_MESSAGE)]
        ctx["juvenile_warning"] = next((e for e in form.errors.get("birth_date", []) if e in juvenile), "")
        ctx["person_check"] = self.form_check(form)
        return ctx

    def form_check(self, form) -> Recognition:
        """What the form's name, date of birth and JMBG are known from (before saving)."""
        return Recognition(checked=False)

    def saved(self, person) -> None:
        messages.success(self.request, _("The person was saved."))
        known = person_recognition(self.request.user, person) if person.is_repeat else None
        if person.is_repeat:
            if known and known.cases:
                listed = "; ".join(known_case_text(other) for other in known.cases)
                messages.warning(
                    self.request,
                    _("This person is known from other cases of this municipality: %(cases)s. Case %(case)s is marked "
                      "as a repeat case.") % {"cases": listed, "case": self.case.number},
                )
            else:
                messages.warning(
                    self.request,
                    _("This person is known from an earlier case in this municipality that you cannot open: case "
                      "%(case)s is marked as a repeat case.") % {"case": self.case.number},
                )
        if person.known_elsewhere:
            messages.info(self.request, _("This person is known in another municipality (no details of that case are shown)."))
        if getattr(person, "repeat_pair", False):
            messages.warning(
                self.request,
                _(
                    "The same victim and perpetrator were on another case of this municipality within 12 months. "
                    "A note was added to case %(case)s; consider proposing it for a case conference."
                ) % {"case": self.case.number},
            )


def known_case_text(case: Case) -> str:
    """A case the user may read, as a message names it: number, report day and status."""
    return _("%(number)s (reported %(day)s, %(status)s)") % {
        "number": case.number,
        "day": date_format(timezone.localtime(case.reported_at), "SHORT_DATE_FORMAT"),
        "status": case.get_status_display(),
    }


def check_typed_person(user, case: Case, data) -> Recognition:
    """The recognition check on what was typed (values of a bound PersonCheckForm or PersonForm)."""
    return person_check(
        user=user,
        case=case,
        first_name=data.get("first_name") or "",
        last_name=data.get("last_name") or "",
        birth_date=data.get("birth_date"),
        jmbg=data.get("jmbg") or "",
    )


class PersonCheckView(CaseView, View):
    """Before saving a person: is the typed name + date of birth, or JMBG, known from other cases?
    POST only (no personal data in URLs); answers only what the user may know; audited."""

    def post(self, request, *args, **kwargs):
        form = PersonCheckForm(request.POST)
        form.is_valid()  # a field that does not parse (a half-typed date) is left out of the check
        result = check_typed_person(request.user, self.case, form.cleaned_data)
        response = render(request, "cases/records/_person_check.html", {"check": result, "case": self.case})
        response["Cache-Control"] = "private, no-store"
        return response


class PersonAddView(PersonFormMixin, CaseFormView):
    """Add a victim, perpetrator, child or household member (?role=perpetrator preselects the role)."""

    draft_form = "person_add"

    def get_initial(self):
        initial = super().get_initial()
        role = self.request.GET.get("role", "")
        if role in PersonRole.values:
            initial["role"] = role
        return initial

    def save(self, form):
        return person_add(user=self.request.user, case=self.case, **form.service_data())

    def form_check(self, form) -> Recognition:
        data = getattr(form, "cleaned_data", None)
        if not form.is_bound or data is None:
            return Recognition(checked=False)
        return check_typed_person(self.request.user, self.case, data)


class PersonEditView(PersonFormMixin, CaseFormView):
    """Change a person's data; the JMBG only for the lead institution's staff, a confidential address
    only for those who may see it (otherwise the fields are not in the form at all)."""

    draft_form = "person_edit"

    def draft_object(self):
        return self.person

    def setup_person(self):
        self.person = get_object_or_404(
            CasePerson.objects.visible_to(self.request.user), pk=self.kwargs["person_pk"], case_id=self.case.pk
        )
        self.person.case = self.case
        self.show_jmbg = is_lead_staff(self.request.user, self.case)
        self.show_address = not self.person.confidential_address or may_see_confidential_address(
            self.request.user, self.person
        )

    def get(self, request, *args, **kwargs):
        self.setup_person()
        self.audit_page_read(obj=self.person, address_masked=not self.show_address)
        return FormView.get(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_person()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(show_jmbg=self.show_jmbg, show_address=self.show_address, editing=True)
        return kwargs

    def get_initial(self):
        p = self.person
        initial = {name: getattr(p, name) for name in EDITABLE_FIELDS}
        # The year is asked for only when the exact date is unknown (it follows from the date).
        if p.birth_date:
            initial["birth_year"] = None
        initial["version"] = p.version
        return initial

    def form_check(self, form) -> Recognition:
        return person_recognition(self.request.user, self.person)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["person"] = self.person
        return ctx

    def save(self, form):
        return person_update(
            user=self.request.user,
            person=self.person,
            expected_version=form.cleaned_data["version"],
            **form.service_data(),
        )

    def conflict_response(self, form, conflict):
        """Show what is stored now (masked where the user may not see it); the form keeps the user's
        input with the current version, so saving again is a deliberate choice."""
        visible = set(form.fields)
        current = copy.copy(conflict.current)
        for name in ("jmbg", "address"):
            if name not in visible and getattr(current, name, ""):
                setattr(current, name, MASK)
        changed = [name for name in conflict.changed_fields if name in EDITABLE_FIELDS]
        safe = VersionConflict(current=current, changed_fields=changed)
        rows = [{"label": label, "value": display_value(current, name)} for name, label in zip(changed, safe.changed_labels, strict=True)]
        data = self.request.POST.copy()
        data["version"] = str(conflict.current.version)
        fresh = self.get_form_class()(data=data, **{k: v for k, v in self.get_form_kwargs().items() if k != "data"})
        fresh.is_valid()
        self.person.version = conflict.current.version
        return self.render_to_response(
            self.get_context_data(
                form=fresh,
                conflict=safe,
                conflict_rows=rows,
            )
        )
