"""Navigation entries by role. Apps add entries here as they arrive (the core knows only URL names)."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role

# (url name, label, who sees it): who is "platform_admin" or a role.
NAV_ITEMS = [
    ("core:home", _("Home"), None),
    ("cases:work_queue", _("Work queue"), {Role.CASEWORKER, Role.COORDINATOR}),
    ("cases:list", _("Cases"), {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR}),
    ("conferences:meeting_list", _("Meetings"), {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR}),
    ("conferences:calendar_month", _("Calendar"), {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR}),
    ("conferences:actions", _("Action items"), {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR}),
    ("conferences:targets", _("Conference targets"), {Role.COORDINATOR, Role.OFFICIAL}),
    ("surveys:home", _("Questionnaires"), {"platform_admin", Role.COORDINATOR, Role.OFFICIAL, Role.INSTITUTION_ADMIN}),
    ("protocols:protocol_list", _("Protocols"), {"platform_admin", Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL, Role.INSTITUTION_ADMIN}),
    ("protocols:compliance", _("Compliance"), {Role.COORDINATOR, Role.OFFICIAL, Role.INSTITUTION_ADMIN}),
    ("events:event_list", _("Programme events"), {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL}),
    ("events:material_list", _("Materials"), {Role.COORDINATOR, Role.OFFICIAL}),
    ("action_plans:plan_list", _("Action plans"), {"platform_admin", Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL, Role.INSTITUTION_ADMIN}),
    ("action_plans:codes", _("Budget code lists"), {"platform_admin"}),
    ("municipalities:list", _("Municipalities"), {"platform_admin", Role.COORDINATOR, Role.OFFICIAL, Role.INSTITUTION_ADMIN}),
    ("municipalities:onboard", _("Onboard a municipality"), {"platform_admin"}),
    ("conferences:area_list", _("Coordination areas"), {"platform_admin"}),
    ("institutions:list", _("Institutions"), {"platform_admin", Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.INSTITUTION_ADMIN}),
    ("accounts:staff", _("Staff"), {"platform_admin", Role.INSTITUTION_ADMIN}),
    ("core:audit", _("Audit log"), {"platform_admin", Role.INSTITUTION_ADMIN}),
    ("core:outbox", _("Deliveries"), {"platform_admin"}),
    ("accounts:access_notices", _("New access"), {"platform_admin", Role.COORDINATOR, Role.INSTITUTION_ADMIN}),
    ("cases:retention", _("Retention"), {Role.COORDINATOR}),
    ("interlink:record_list", _("Records from other systems"), {Role.CASEWORKER, Role.COORDINATOR, Role.INSTITUTION_ADMIN}),
    ("interlink:account_list", _("Machine accounts"), {Role.INSTITUTION_ADMIN}),
    ("api-docs", _("API"), {"platform_admin", Role.INSTITUTION_ADMIN}),
]


def navigation_for(user) -> list[dict]:
    """The entries this user may use, in order."""
    who = set(user.access.roles())
    if user.is_platform_admin:
        who.add("platform_admin")
    items = []
    for name, label, allowed in NAV_ITEMS:
        if allowed is not None and not (who & set(allowed)):
            continue
        try:
            items.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return items
