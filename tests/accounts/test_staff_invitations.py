"""Inviting staff from the staff page: one person, or many from a CSV file (refused whole when bad)."""
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.csv_import import parse_invitation_csv
from apps.accounts.models import Invitation
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.factories import InstitutionFactory, member

from .conftest import invite_path, run_queued_tasks


@pytest.fixture
def admin_client(verified_client, admin_a, english):
    return verified_client(admin_a)


def _upload(client, text: str, encoding="utf-8", institution=None):
    data = {"file": SimpleUploadedFile("osoblje.csv", text.encode(encoding), content_type="text/csv")}
    if institution is not None:
        data["institution"] = institution.pk
    return client.post(reverse("accounts:staff_invite_csv"), data)


def _errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


# --- one person ---------------------------------------------------------------------------------


def test_invite_one_person(admin_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(
            reverse("accounts:staff_invite"),
            {"email": "Jedna.Osoba@test.kzn.example", "first_name": "Jedna", "last_name": "Osoba",
             "role": Role.COORDINATOR, "institution": world.csr_a.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="jedna.osoba@test.kzn.example")
    assert (invitation.institution, invitation.role) == (world.csr_a, Role.COORDINATOR)
    run_queued_tasks(callbacks)
    assert mail.outbox[0].to == ["jedna.osoba@test.kzn.example"]
    assert invite_path(mail.outbox[0].body).startswith("/accounts/invite/")


def test_invite_form_offers_only_administered_institutions(admin_client, world):
    response = admin_client.get(reverse("accounts:staff_invite"))
    choices = list(response.context["form"].fields["institution"].queryset)
    assert choices == [world.csr_a]


def test_invite_to_a_foreign_institution_is_refused(admin_client, world):
    for foreign in (world.police_a, world.csr_b):
        response = admin_client.post(
            reverse("accounts:staff_invite"),
            {"email": "strana@test.kzn.example", "role": Role.CASEWORKER, "institution": foreign.pk},
        )
        assert response.status_code == 200
        assert "institution" in response.context["form"].errors
    assert not Invitation.objects.filter(email="strana@test.kzn.example").exists()


def test_invite_twice_keeps_one_pending_invitation(admin_client, world):
    data = {"email": "dvaput@test.kzn.example", "role": Role.CASEWORKER, "institution": world.csr_a.pk}
    admin_client.post(reverse("accounts:staff_invite"), data)
    response = admin_client.post(reverse("accounts:staff_invite"), data, follow=True)
    assert Invitation.objects.filter(email="dvaput@test.kzn.example").count() == 1
    assert "already invited" in response.content.decode()


def test_non_admins_cannot_invite(verified_client, world):
    client = verified_client(world.users[Role.CASEWORKER])
    response = client.post(
        reverse("accounts:staff_invite"),
        {"email": "x@test.kzn.example", "role": Role.CASEWORKER, "institution": world.csr_a.pk},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# --- many people from CSV -----------------------------------------------------------------------


def test_csv_happy_path_semicolons_bom_codes_and_labels(admin_client, world, django_capture_on_commit_callbacks):
    text = (
        "\ufeffemail;first_name;last_name;role\r\n"
        "ana.primer@test.kzn.example;Ana;Primer;caseworker\r\n"
        "Boris.Primer@test.kzn.example;Boris;Primer;Coordinator\r\n"
        "\r\n"
        "cveta.primer@test.kzn.example;Cveta;Primer;institution admin\r\n"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(admin_client, text)
    assert response.status_code == 302, _errors(response)
    created = {i.email: i.role for i in Invitation.objects.filter(institution=world.csr_a)}
    assert created == {
        "ana.primer@test.kzn.example": Role.CASEWORKER,
        "boris.primer@test.kzn.example": Role.COORDINATOR,
        "cveta.primer@test.kzn.example": Role.INSTITUTION_ADMIN,
    }
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_SENT).count() == 3
    run_queued_tasks(callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(created)
    assert all("/accounts/invite/" in m.body for m in mail.outbox)


def test_csv_comma_separated_without_bom(admin_client, world):
    text = "email,first_name,last_name,role\nana.zarez@test.kzn.example,Ana,Zarez,Supervisor\n"
    response = _upload(admin_client, text)
    assert response.status_code == 302, _errors(response)
    assert Invitation.objects.get(email="ana.zarez@test.kzn.example").role == Role.SUPERVISOR


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "email;first_name;last_name;role\nana@test.kzn.example;Ana;A;caseworker\nnije-adresa;Bora;B;caseworker\n",
            "Row 3, column email",
        ),
        (
            "email;first_name;last_name;role\nana@test.kzn.example;Ana;A;caseworker\nbora@test.kzn.example;Bora;B;chief\n",
            "Row 3, column role",
        ),
        ("email;first_name;last_name\nana@test.kzn.example;Ana;A\n", "Row 1, column role"),
        (
            "email;first_name;last_name;role\nana@test.kzn.example;Ana;A;caseworker\n"
            "bora@test.kzn.example;Bora;B;caseworker\nANA@test.kzn.example;Ana;A;Caseworker\n",
            "Row 4, column email: duplicate of row 2",
        ),
        ("email;first_name;last_name;role\n;Ana;A;caseworker\n", "Row 2, column email"),
        ("email;first_name;last_name;role\n", "only the header row"),
    ],
    ids=["malformed-email", "unknown-role", "missing-column", "duplicate-row", "missing-email", "no-rows"],
)
def test_bad_csv_is_refused_whole(admin_client, text, expected):
    response = _upload(admin_client, text)
    assert response.status_code == 200
    assert expected in _errors(response)
    assert expected in response.content.decode()
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.INVITATION_SENT).exists()


def test_csv_lists_every_error_at_once(admin_client):
    text = (
        "email;first_name;last_name;role\n"
        "dobra@test.kzn.example;Dobra;Osoba;caseworker\n"
        "losa;Losa;Adresa;caseworker\n"
        "treca@test.kzn.example;Treca;Osoba;astronaut\n"
    )
    response = _upload(admin_client, text)
    errors = _errors(response)
    assert "Row 3, column email" in errors and "Row 4, column role" in errors
    assert not Invitation.objects.exists()


def test_csv_that_is_not_utf8_is_refused(admin_client):
    text = "email;first_name;last_name;role\nnada@test.kzn.example;Nađa;Đorđević;caseworker\n"
    response = _upload(admin_client, text, encoding="cp1250")
    assert "not UTF-8" in _errors(response)
    assert not Invitation.objects.exists()


def test_csv_institution_column_for_admins_of_several_institutions(verified_client, world, english):
    admin = member(Role.INSTITUTION_ADMIN, world.csr_a)
    from apps.accounts.services import membership_create

    membership_create(user=admin, institution=world.police_a, role=Role.INSTITUTION_ADMIN)
    client = verified_client(admin)

    # Without the column and without a choice, the file is refused: which institution is meant?
    response = _upload(client, "email;first_name;last_name;role\na@test.kzn.example;A;A;caseworker\n")
    assert "institution_id" in _errors(response)

    text = (
        "email;first_name;last_name;role;institution_id\n"
        f"u.csr@test.kzn.example;U;Csr;caseworker;{world.csr_a.pk}\n"
        f"u.policija@test.kzn.example;U;Policija;caseworker;{world.police_a.pk}\n"
    )
    response = _upload(client, text)
    assert response.status_code == 302, _errors(response)
    assert Invitation.objects.get(email="u.csr@test.kzn.example").institution == world.csr_a
    assert Invitation.objects.get(email="u.policija@test.kzn.example").institution == world.police_a

    # Picking the institution in the form works without the column.
    response = _upload(client, "email;first_name;last_name;role\nizbor@test.kzn.example;I;Z;official\n", institution=world.police_a)
    assert response.status_code == 302, _errors(response)
    assert Invitation.objects.get(email="izbor@test.kzn.example").institution == world.police_a


def test_csv_cannot_name_a_foreign_institution(admin_client, world):
    text = (
        "email;first_name;last_name;role;institution_id\n"
        f"ok@test.kzn.example;O;K;caseworker;{world.csr_a.pk}\n"
        f"strani@test.kzn.example;S;T;caseworker;{world.csr_b.pk}\n"
    )
    response = _upload(admin_client, text)
    assert "Row 3, column institution_id" in _errors(response)
    assert not Invitation.objects.exists()


def test_parser_accepts_labels_in_every_language(world):
    from django.utils import translation

    from apps.accounts.csv_import import role_lookup

    with translation.override("sr-latn"):
        label = str(Role.COORDINATOR.label)
    rows = f"email;first_name;last_name;role\nsr@test.kzn.example;S;R;{label.upper()}\n".encode()
    result = parse_invitation_csv(rows, institutions=[world.csr_a])
    assert result.ok, result.errors
    assert result.rows[0].role == Role.COORDINATOR
    assert role_lookup()["institution admin"] == Role.INSTITUTION_ADMIN


def test_csv_template_download(admin_client, world):
    response = admin_client.get(reverse("accounts:staff_invite_csv_template"))
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffemail;first_name;last_name;role")
    result = parse_invitation_csv(response.content, institutions=[world.csr_a])
    assert result.ok and len(result.rows) == 2


def test_inactive_institution_is_not_offered(admin_client, world):
    closed = InstitutionFactory(municipality=world.mun_a, is_active=False)
    from apps.accounts.models import User
    from apps.accounts.services import membership_create

    admin = User.objects.get(pk=admin_client.session["_auth_user_id"])
    membership_create(user=admin, institution=closed, role=Role.INSTITUTION_ADMIN)
    response = admin_client.get(reverse("accounts:staff_invite"))
    assert closed not in list(response.context["form"].fields["institution"].queryset)
