"""The audit log pages: who sees which entries, filters, keyset pages and the CSV export."""
import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry


def entry(*, municipality=None, label="zapisnicar@test.kzn.example", action=AuditAction.VIEW, at=None, **kwargs):
    e = AuditEntry(
        actor_label=label,
        municipality_id=municipality.pk if municipality is not None else None,
        action=action,
        object_type=kwargs.pop("object_type", "institutions.institution"),
        object_id=kwargs.pop("object_id", "1"),
        at=at or timezone.now(),
        **kwargs,
    )
    e.save()
    return e


def page(client, query=""):
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_platform_admin_sees_every_entry(world, verified_client):
    entry(municipality=world.mun_a, label="a-entry@test.kzn.example")
    entry(municipality=world.mun_b, label="b-entry@test.kzn.example")
    entry(label="no-municipality@test.kzn.example", action=AuditAction.LOGIN)
    html = page(verified_client(world.platform_admin))
    assert "a-entry@test.kzn.example" in html
    assert "b-entry@test.kzn.example" in html
    assert "no-municipality@test.kzn.example" in html


@pytest.mark.django_db
def test_institution_admin_sees_only_own_municipality(world, verified_client):
    entry(municipality=world.mun_a, label="a-entry@test.kzn.example")
    entry(municipality=world.mun_b, label="b-entry@test.kzn.example")
    entry(label="no-municipality@test.kzn.example")
    client = verified_client(world.users[Role.INSTITUTION_ADMIN])
    html = page(client)
    assert "a-entry@test.kzn.example" in html
    assert "b-entry@test.kzn.example" not in html
    assert "no-municipality@test.kzn.example" not in html
    # the municipality filter offers only Testgrad A
    assert "Testgrad A" in html and "Testgrad B" not in html
    # choosing another municipality by id is refused, nothing is shown from it
    response = client.post("/audit/", {"municipality": world.mun_b.pk})
    assert response.status_code == 200
    assert "b-entry@test.kzn.example" not in response.content.decode()
    assert response.context["form"].errors["municipality"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL])
def test_other_roles_get_404(world, verified_client, role):
    client = verified_client(world.users[role])
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export/").status_code == 404


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_filters_action_user_dates(world, verified_client):
    tz = timezone.get_current_timezone()
    entry(municipality=world.mun_a, label="ana.stara@test.kzn.example",
          at=datetime.datetime(2026, 11, 20, 10, 0, tzinfo=tz))
    entry(municipality=world.mun_a, label="ana.nova@test.kzn.example", action=AuditAction.EXPORT,
          at=datetime.datetime(2026, 11, 27, 14, 20, tzinfo=tz))
    entry(municipality=world.mun_a, label="marko@test.kzn.example",
          at=datetime.datetime(2026, 11, 27, 9, 0, tzinfo=tz))
    client = verified_client(world.platform_admin)

    response = client.post("/audit/", {"date_from": "27.11.2026", "date_to": "27.11.2026"})
    assert response.status_code == 302
    location = response["Location"]
    assert "test.kzn.example" not in location  # filters stay out of the URL
    html = page(client, location[len("/audit/"):])
    assert "ana.nova@test.kzn.example" in html and "marko@test.kzn.example" in html
    assert "ana.stara@test.kzn.example" not in html
    assert "27.11.2026 14:20" in html

    response = client.post("/audit/", {"user": "ANA.", "action": AuditAction.EXPORT})
    html = page(client, response["Location"][len("/audit/"):])
    assert "ana.nova@test.kzn.example" in html
    assert "ana.stara@test.kzn.example" not in html and "marko@test.kzn.example" not in html

    response = client.post("/audit/", {"date_from": "28.11.2026", "date_to": "27.11.2026"})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    response = client.post("/audit/", {"date_from": "2026-13-45x"})
    assert "date_from" in response.context["form"].errors


@pytest.mark.django_db
def test_object_type_filter(world, verified_client):
    entry(municipality=world.mun_a, label="uses-institution@test.kzn.example", object_type="institutions.institution")
    entry(municipality=world.mun_a, label="uses-municipality@test.kzn.example",
          object_type="municipalities.municipality")
    client = verified_client(world.platform_admin)
    response = client.post("/audit/", {"object_type": "municipalities.municipality"})
    html = page(client, response["Location"][len("/audit/"):])
    assert "uses-municipality@test.kzn.example" in html
    assert "uses-institution@test.kzn.example" not in html


@pytest.mark.django_db
def test_details_show_keys_never_values(world, verified_client):
    entry(municipality=world.mun_a, details={"fields": ["name", "phone"], "note": "Petra Izmišljena"})
    html = page(verified_client(world.platform_admin))
    assert "fields: name, phone" in html and "note" in html
    assert "Petra Izmišljena" not in html


@pytest.mark.django_db
def test_keyset_pages_are_stable_and_never_count(world, verified_client):
    base = timezone.now() - datetime.timedelta(days=1)
    for i in range(120):
        # pairs share a timestamp, so the id breaks ties
        entry(municipality=world.mun_a, label=f"page-user-{i:03d}@test.kzn.example",
              at=base + datetime.timedelta(minutes=i // 2))
    client = verified_client(world.users[Role.INSTITUTION_ADMIN])
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/audit/")
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    first_rows = [e["user"] for e in first.context["entries"]]
    assert len(first_rows) == 50
    assert first.context["newer_url"] is None
    second = client.get("/audit/" + first.context["older_url"])
    second_rows = [e["user"] for e in second.context["entries"]]
    assert len(second_rows) == 50 and not set(first_rows) & set(second_rows)
    third = client.get("/audit/" + second.context["older_url"])
    third_rows = [e["user"] for e in third.context["entries"]]
    assert not set(third_rows) & (set(first_rows) | set(second_rows))
    assert third.context["older_url"] is None
    # the page-user entries are in strict (at, id) descending order across pages
    ours = [u for u in first_rows + second_rows + third_rows if u.startswith("page-user-")]
    assert ours == sorted(ours, reverse=True) and len(ours) == 120
    back = client.get("/audit/" + second.context["newer_url"])
    assert [e["user"] for e in back.context["entries"]] == first_rows
    # a damaged cursor shows the first page instead of an error
    assert client.get("/audit/?after=%%%not-a-cursor").status_code == 200


@pytest.mark.django_db
def test_csv_export_is_formula_safe_filtered_and_audited(world, verified_client):
    entry(municipality=world.mun_a, label="=HYPERLINK(\"http://x.example\")", object_id="+1",
          details={"secret": "Petra Izmišljena"})
    entry(municipality=world.mun_a, label="@SUM(A1)")
    entry(municipality=world.mun_b, label="b-entry@test.kzn.example")
    admin = world.users[Role.INSTITUTION_ADMIN]
    client = verified_client(admin)
    response = client.get("/audit/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    users = [r[1] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x.example\")" in users
    assert "'@SUM(A1)" in users
    assert "b-entry@test.kzn.example" not in body
    assert "Petra Izmišljena" not in body
    assert any(r[6] == "'+1" for r in rows[1:])
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=admin).get()
    assert export.object_type == "core.auditentry"
    assert export.municipality_id == world.mun_a.pk

    # the export follows the filters of the page
    response = client.post("/audit/", {"user": "@sum"})
    key = response["Location"].split("f=")[1]
    body = b"".join(client.get(f"/audit/export/?f={key}").streaming_content).decode("utf-8-sig")
    assert "'@SUM(A1)" in body and "HYPERLINK" not in body
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=admin).order_by("id").last().details == {"filters": ["user"]}


@pytest.mark.django_db
def test_municipality_filter_and_pages_keep_the_filter(world, verified_client):
    base = timezone.now() - datetime.timedelta(hours=3)
    for i in range(60):
        entry(municipality=world.mun_b, label=f"b-page-{i:02d}@test.kzn.example", at=base + datetime.timedelta(seconds=i))
    entry(municipality=world.mun_a, label="a-only@test.kzn.example", at=base)
    client = verified_client(world.platform_admin)
    response = client.post("/audit/", {"municipality": world.mun_b.pk})
    query = response["Location"][len("/audit/"):]
    first = client.get("/audit/" + query)
    assert all(e["municipality"] == "Testgrad B" for e in first.context["entries"])
    assert "f=" in first.context["older_url"]
    second = client.get("/audit/" + first.context["older_url"])
    users = [e["user"] for e in second.context["entries"]]
    assert users and "a-only@test.kzn.example" not in users
    assert all(e["municipality"] == "Testgrad B" for e in second.context["entries"])
