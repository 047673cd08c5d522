"""Isolation matrix entries of the "New access" list (apps/accounts/views_staff.AccessNoticeListView)."""
from apps.core.choices import Role

from .matrix import CO, IA, OTHER, PA, PAGE, Entry, e


def build(w):
    """A new access in the other municipality: its grantee must never show on municipality A's list."""
    from apps.accounts.services import membership_create
    from tests.factories import UserFactory

    person = UserFactory(email="matrica.novi.pristup.b@test.kzn.example")
    membership_create(user=person, institution=w.institution[OTHER], role=Role.CASEWORKER, created_by=w.users[PA])
    w.leak_texts.append(person.email)


ENTRIES = [
    Entry("accounts:access_notices", PAGE, e(default=404, **{CO: 200, IA: 200, PA: 200}),
          note="coordinators and institution admins: their municipality's new access; platform admins: all"),
    Entry("accounts:access_notices", PAGE, e(default=404, **{CO: 200, IA: 200, PA: 200}),
          query="?date_from=01.01.2020&kind=role", note="filtered by date and kind, still scoped"),
]
