"""The access context is loaded in one statement; it must say exactly what the ORM definitions say
(active memberships, unexpired municipality-wide grants, municipalities of cases shared with the user)."""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.services import membership_create
from apps.cases.models import CaseGroupGrant, CaseUserGrant
from apps.cases.querysets import granted_case_ids
from apps.core.choices import Role
from apps.core.grants import grant_object_permission
from apps.municipalities.models import MunicipalityGroupGrant
from tests.cases.factories import open_case


def orm_view(user):
    now = timezone.now()
    memberships = tuple(
        Membership.objects.filter(user_id=user.pk, is_active=True, institution__is_active=True, municipality__is_active=True)
        .values_list("id", "institution_id", "municipality_id", "role")
        .order_by("id")
    )
    permissions: dict = {}
    for municipality_id, codename in MunicipalityGroupGrant.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), group__user=user, content_object__is_active=True
    ).values_list("content_object_id", "permission__codename"):
        permissions.setdefault(municipality_id, set()).add(codename)
    fresh = User.objects.get(pk=user.pk)
    shared = frozenset(row["municipality_id"] for row in granted_case_ids(fresh.access, "municipality_id"))
    return memberships, {k: frozenset(v) for k, v in permissions.items()}, shared


def loaded_view(user):
    access = User.objects.get(pk=user.pk).access
    memberships = tuple((m.id, m.institution_id, m.municipality_id, m.role) for m in access.memberships)
    return memberships, access.municipality_permissions, access.preloaded("case_grant_municipalities")


def test_one_statement_says_what_the_orm_says(world, django_assert_num_queries):
    worker = world.users[Role.CASEWORKER]
    other = world.users["other_municipality"][Role.CASEWORKER]
    case = open_case(worker)
    # Shared with a person of another municipality (a user grant) and with a group (police staff group).
    grant_object_permission(grant_model=CaseUserGrant, obj=case, codename="view_case", user=other,
                            granted_by=worker, reason="Upućivanje (test)")
    expired = world.users["other_municipality"][Role.COORDINATOR]
    grant_object_permission(grant_model=CaseUserGrant, obj=case, codename="view_case", user=expired,
                            granted_by=worker, reason="Isteklo (test)", expires_at=timezone.now() - timedelta(minutes=1))
    police = world.users["police_caseworker"]
    group = police.groups.first()
    if group is not None:
        grant_object_permission(grant_model=CaseGroupGrant, obj=case, codename="view_case", group=group,
                                granted_by=worker, reason="Tim (test)")
    # A second membership in an institution that is then deactivated does not count.
    membership_create(user=worker, institution=world.csr_b, role=Role.CASEWORKER)
    world.csr_b.is_active = False
    world.csr_b.save(update_fields=["is_active"])
    # An expired municipality-wide grant does not count.
    MunicipalityGroupGrant.objects.filter(content_object=world.mun_a).update(expires_at=timezone.now() - timedelta(days=1))

    people = [worker, other, expired, police, world.platform_admin, *world.users.values()]
    people += list(world.users["other_municipality"].values())
    checked = 0
    for person in people:
        if not isinstance(person, User):
            continue
        assert loaded_view(person) == orm_view(person), person.email
        checked += 1
    assert checked >= 10
    assert loaded_view(other)[2] == frozenset({case.municipality_id})
    assert loaded_view(expired)[2] == frozenset()
    assert world.csr_b.pk not in {m[1] for m in loaded_view(worker)[0]}
    # The whole context is one query, whatever is asked of it afterwards.
    fresh = User.objects.get(pk=worker.pk)
    with django_assert_num_queries(1):
        assert fresh.access.memberships
        fresh.access.municipalities_with("view_municipality_cases")
        shared = fresh.access.preloaded("case_grant_municipalities")
    assert shared == orm_view(worker)[2]
