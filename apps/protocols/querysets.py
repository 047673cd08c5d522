"""Who sees and changes protocols, agreements and self-assessment rows (one definition each).

- National templates (no municipality: protocols, their versions and steps, the model checklist) are
  read by every signed-in user and changed by platform admins only.
- A municipality's protocols and checklists are read by its members (and platform admins, who publish the
  templates they adapt) and changed by its coordinators.
- Agreements, their parties and annexes are read by the municipality's members and changed by its
  coordinators; a party is signed ("sign") by its own institution's admin or by a coordinator.
- Self-assessment rounds are read by the municipality's members and run by its coordinators. An
  institution's answers are read by its own staff and by the municipality's coordinators and officials;
  they are written ("change") by the institution's admin and reviewed ("review": returned, action
  points) by the coordinators.
"""
from __future__ import annotations

from django.db.models import Q

from apps.core.choices import Role
from apps.core.querysets import TenantManager, TenantQuerySet

SIGN, REVIEW = "sign", "review"


def coordinated(access) -> frozenset[int]:
    """Municipalities where the user is a coordinator."""
    return access.municipality_ids(Role.COORDINATOR)


class ProtocolQuerySet(TenantQuerySet):
    """National templates for everyone signed in; a municipality's own for its members."""

    prefix = ""

    def scope(self, access, action):
        national = Q(**{f"{self.prefix}municipality__isnull": True})
        if action == "view":
            if access.is_platform_admin:
                return Q()
            members = access.municipality_ids()
            return national | Q(**{f"{self.prefix}municipality_id__in": members}) if members else national
        if access.is_platform_admin and not access.memberships:
            return national
        managed = coordinated(access)
        return Q(**{f"{self.prefix}municipality_id__in": managed}) if managed else None


    def adopted_of(self, municipality_id: int, proving_event: str):
        """Steps of the municipality's adopted protocols that name a proving event and a time limit
        (a narrowing for the compliance figures, whose reader is checked by rules.compliance_reach)."""
        return self.filter(
            protocol_version__protocol__municipality_id=municipality_id, protocol_version__status="adopted",
            proving_event=proving_event, time_amount__isnull=False,
        ).order_by("-protocol_version__adopted_on")


    def adopted_steps(self, municipality_id: int, sectors):
        """Steps of the municipality's adopted versions for some sectors (the case page's panel)."""
        return self.filter(protocol_version__status="adopted", municipality_id=municipality_id, sector__in=sectors)


class ProtocolManager(TenantManager.from_queryset(ProtocolQuerySet)):
    """Manager exposing visible_to()."""


class ProtocolRowManager(ProtocolManager):
    """Versions, steps and checklist items: the same rule over their own (denormalised) municipality."""


class ChecklistManager(ProtocolManager):
    """Checklists: the same rule as protocols."""


class AgreementQuerySet(TenantQuerySet):
    """Agreements: members read, coordinators change."""

    def scope(self, access, action):
        if action == "view":
            members = access.municipality_ids()
            return Q(municipality_id__in=members) if members else None
        managed = coordinated(access)
        if action == SIGN:
            admins = access.institution_ids(Role.INSTITUTION_ADMIN)
            condition = Q(institution_id__in=admins) if admins else None
            if managed:
                by_coordinator = Q(municipality_id__in=managed)
                condition = by_coordinator if condition is None else condition | by_coordinator
            return condition
        return Q(municipality_id__in=managed) if managed else None


class AgreementManager(TenantManager.from_queryset(AgreementQuerySet)):
    """Manager exposing visible_to()."""


class AgreementChildManager(AgreementManager):
    """Parties and annexes: the agreement's rule over their own municipality (``sign`` on a party)."""


class RoundQuerySet(TenantQuerySet):
    """Rounds: members read, coordinators run."""

    def scope(self, access, action):
        if action == "view":
            members = access.municipality_ids()
            return Q(municipality_id__in=members) if members else None
        managed = coordinated(access)
        return Q(municipality_id__in=managed) if managed else None


class RoundManager(TenantManager.from_queryset(RoundQuerySet)):
    """Manager exposing visible_to()."""


class ResponseQuerySet(TenantQuerySet):
    """An institution's answers: its staff and the municipality's coordinators and officials read them;
    its admin writes them; coordinators review them."""

    prefix = ""

    def scope(self, access, action):
        p = self.prefix
        if action == "view":
            overview = access.municipality_ids(Role.COORDINATOR, Role.OFFICIAL)
            own = access.institution_ids()
            condition = Q(**{f"{p}institution_id__in": own}) if own else None
            if overview:
                wide = Q(**{f"{p}municipality_id__in": overview})
                condition = wide if condition is None else condition | wide
            return condition
        if action == REVIEW:
            managed = coordinated(access)
            return Q(**{f"{p}municipality_id__in": managed}) if managed else None
        admins = access.institution_ids(Role.INSTITUTION_ADMIN)
        return Q(**{f"{p}institution_id__in": admins}) if admins else None


class ResponseManager(TenantManager.from_queryset(ResponseQuerySet)):
    """Manager exposing visible_to()."""


class ResponseChildQuerySet(ResponseQuerySet):
    """Answers and action points: the rule of their response."""

    prefix = "response__"


class ResponseChildManager(TenantManager.from_queryset(ResponseChildQuerySet)):
    """Manager exposing visible_to()."""


def managed_municipalities(user):
    """The municipalities where the user is a coordinator (the choice of a new protocol, agreement or round)."""
    from apps.municipalities.models import Municipality  # cycle: municipalities -> ... -> protocols.querysets

    return Municipality.objects.filter(pk__in=coordinated(user.access), is_active=True).order_by("name")


def municipality_institutions(user, municipality_id: int):
    """The active institutions of one municipality, among those the user sees (a choice list)."""
    from apps.institutions.models import Institution  # cycle: institutions -> ... -> protocols.querysets

    return Institution.objects.visible_to(user, "view").filter(municipality_id=municipality_id, is_active=True)
