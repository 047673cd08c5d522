"""The public page: anonymous, no cookie, nothing about the request stored, bad input refused."""
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.surveys.models import Answer, Collection, Submission, TextAnswer
from apps.surveys.services import collections as collection_services

from .conftest import GOOD, form_token, post_answer

pytestmark = pytest.mark.django_db


def test_answer_end_to_end_without_cookies_or_audit(client, survey):
    audit_before = AuditEntry.objects.count()
    page = client.get(f"/surveys/a/{survey.token}/")
    assert page.status_code == 200
    assert not page.cookies, "the public page sets no cookie"
    assert page["Cache-Control"].startswith("no-store")
    html = page.content.decode()
    assert "<title>Questionnaire</title>" in html
    assert "violence" not in html.lower().split("<body")[0]
    assert len(page.content) < 50_000
    response = post_answer(client, survey, {**GOOD, "q_comment": "Very kind staff"})
    assert response.status_code == 302, response.content[:500]
    assert not response.cookies
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == 5
    assert TextAnswer.objects.get().text == "Very kind staff"
    assert AuditEntry.objects.count() == audit_before, "no audit entry (it would hold the address and the time)"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "0800 100 007" in thanks.content.decode()
    assert not thanks.cookies
    survey.refresh_from_db()
    assert survey.answer_count == 1


def test_answer_tables_hold_no_request_data():
    """The columns of the answer tables: no address, browser, user or time finer than the day."""
    allowed = {
        "surveys_submission": {"id": "uuid", "municipality_id": "bigint", "collection_id": "bigint",
                               "submitted_on": "date", "pair_key": "character varying"},
        "surveys_answer": {"id": "bigint", "municipality_id": "bigint", "submission_id": "uuid",
                           "collection_id": "bigint", "question_id": "bigint", "number": "numeric",
                           "choice": "character varying"},
        "surveys_textanswer": {"id": "uuid", "municipality_id": "bigint", "collection_id": "bigint",
                               "question_id": "bigint", "text": "text"},
    }
    with connection.cursor() as cursor:
        for table, columns in allowed.items():
            cursor.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [table]
            )
            assert dict(cursor.fetchall()) == columns, table
    assert "submission_id" not in {f.column for f in TextAnswer._meta.concrete_fields}


def test_submission_stores_only_the_day(client, survey):
    post_answer(client, survey)
    submission = Submission.objects.get()
    assert submission.submitted_on == timezone.localdate()
    assert submission.pair_key == ""


@pytest.mark.parametrize("answers, key", [
    ({**GOOD, "q_unknown": "3"}, ""),
    ({**GOOD, "q_reach": "6"}, "reach"),
    ({**GOOD, "q_reach": "0"}, "reach"),
    ({**GOOD, "q_waiting": "forever"}, "waiting"),
    ({**GOOD, "q_recommend": "maybe"}, "recommend"),
    ({k: v for k, v in GOOD.items() if k != "q_believed"}, "believed"),
])
def test_bad_input_is_refused_and_nothing_saved(client, survey, answers, key):
    response = post_answer(client, survey, answers)
    assert response.status_code == 400
    assert key in response.context["errors"]
    assert Submission.objects.count() == 0 and Answer.objects.count() == 0 and TextAnswer.objects.count() == 0


def test_closed_collection_refuses(client, survey, world):
    page = client.get(f"/surveys/a/{survey.token}/")
    token = form_token(page)
    collection_services.close_collection(actor=world.users["coordinator"], collection=survey)
    from apps.surveys import public

    public.clear_caches()
    response = client.post(f"/surveys/a/{survey.token}/", {**GOOD, "form": token, "work": public.solve(token)})
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert Submission.objects.count() == 0
    assert "closed" in client.get(f"/surveys/a/{survey.token}/").content.decode()


def test_unknown_token_is_404(client, survey):
    assert client.get("/surveys/a/not-a-token/").status_code == 404


def test_duplicate_submission_collapses(client, survey):
    page = client.get(f"/surveys/a/{survey.token}/")
    from apps.surveys import public

    token = form_token(page)
    data = {**GOOD, "form": token, "work": public.solve(token)}
    assert client.post(f"/surveys/a/{survey.token}/", data).status_code == 302
    assert client.post(f"/surveys/a/{survey.token}/", data).status_code == 302
    assert Submission.objects.count() == 1


def test_conditional_answer_ignored_when_condition_not_met(client, survey):
    post_answer(client, survey, {**GOOD, "q_recommend": "yes", "q_change": "should not be kept"})
    assert TextAnswer.objects.count() == 0
    post_answer(client, survey, {**GOOD, "q_recommend": "no", "q_change": "longer hours"})
    assert TextAnswer.objects.get().text == "longer hours"


def test_honeypot_stores_nothing(client, survey):
    response = post_answer(client, survey, website="http://spam.example")
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_flood_refused_normal_answer_passes(client, survey, settings):
    from apps.surveys import public

    # Without the work: a few answers a day from one address, and not faster than a person reads.
    page = client.get(f"/surveys/a/{survey.token}/")
    too_fast = client.post(f"/surveys/a/{survey.token}/", {**GOOD, "form": form_token(page)})
    assert too_fast.status_code == 400
    statuses = [post_answer(client, survey).status_code for _ in range(public.DAILY_LIMIT_WITH_WORK + 3)]
    assert statuses[: public.DAILY_LIMIT_WITH_WORK] == [302] * public.DAILY_LIMIT_WITH_WORK
    assert statuses[-1] == 429
    assert Submission.objects.count() == public.DAILY_LIMIT_WITH_WORK
    # Another address (another phone) still answers normally.
    other = client.get(f"/surveys/a/{survey.token}/", REMOTE_ADDR="10.9.8.7")
    token = form_token(other)
    response = client.post(f"/surveys/a/{survey.token}/", {**GOOD, "form": token, "work": public.solve(token)},
                           REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302


def test_wrong_work_counts_as_none(client, survey):
    from apps.surveys import public

    assert public.work_done("abc", public.solve("abc", 8), 8)
    assert not public.work_done("abc", "x", 8)


def test_rate_limit_key_rotates_daily_and_hides_the_address(survey):
    import time_machine

    from apps.surveys import public

    today = public._address_key("192.0.2.1")
    assert "192.0.2.1" not in today
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert public._address_key("192.0.2.1") != today


def test_wave_pairs_by_code(client, world):
    from apps.surveys.services import builder

    coordinator = world.users["coordinator"]
    questionnaire = builder.adopt_template(actor=coordinator, municipality=world.mun_a, key="professional_kap")
    version = questionnaire.versions.get()
    builder.publish(actor=coordinator, version=version)
    today = timezone.localdate()
    wave = collection_services.create_wave(actor=coordinator, version=version, title="Training (demo)",
                                           pre_opens_on=today, pre_closes_on=today, post_opens_on=today,
                                           post_closes_on=today)
    pre = Collection.objects.get(wave=wave, phase="pre")
    answers = {"q_prep_ask": "2", "q_prep_risk": "2", "q_prep_refer": "3", "q_know_emergency": "48h",
               "q_know_group": "7d", "q_know_duty": "all", "q_att_private": "2", "q_att_stays": "3", "q_att_role": "4"}
    assert post_answer(client, pre, answers, code="AB 12").status_code == 302
    key = Submission.objects.get().pair_key
    assert len(key) == 64 and "ab12" not in key


def test_public_link_reads_run_in_the_links_municipality_only(survey, world):
    """Row-level security: no context, no collection; the link's context sees its municipality only."""
    from apps.core import tenancy
    from apps.surveys import public

    assert public.resolve_municipality(survey.token) == world.mun_a.pk
    assert public.resolve_municipality("x" * 43) is None
    with tenancy.tenant_context(tenancy.NOBODY):
        assert not Collection.objects.filter(pk=survey.pk).exists()
    with tenancy.public_link_context(world.mun_b.pk):
        assert not Collection.objects.filter(pk=survey.pk).exists()
    with tenancy.public_link_context(world.mun_a.pk):
        assert Collection.objects.filter(pk=survey.pk).exists()


def test_poster_and_card_pdf(login, survey, world):
    client = login(world.users["coordinator"])
    for kind in ("poster", "card"):
        response = client.get(f"/surveys/collections/{survey.pk}/{kind}.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        import io

        import pypdf

        assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 1, kind


def test_public_page_needs_no_database_once_warm(client, survey, django_assert_num_queries):
    """The public link's page is served from memory (the link from the shared cache, the rendered blank
    page from the process): a burst of visitors costs the database nothing; the answer opens its own context."""
    from apps.surveys import public

    url = f"/surveys/a/{survey.token}/"
    client.get(url)
    with django_assert_num_queries(0):
        second, third = client.get(url), client.get(url)
        cyrillic = client.get(url + "?lang=sr-cyrl")
        client.get(url + "?lang=sr-cyrl")
    assert second.status_code == third.status_code == 200
    assert len(public.pages) == 2  # one blank page per collection and language
    assert "Упитник" in cyrillic.content.decode()
    # Only the signed form token differs from one request to the next, and each one is accepted.
    assert form_token(second) != form_token(third)
    assert second.content.decode().replace(form_token(second), "") == third.content.decode().replace(form_token(third), "")
    assert "no-store" in second["Cache-Control"] and not second.cookies
    answer = client.post(url, {**GOOD, "lang": "en", "form": form_token(third), "work": public.solve(form_token(third))})
    assert answer.status_code == 302


def test_changed_collection_is_not_served_stale(client, survey, world):
    """A change of the collection moves its version on and drops its cached link: the next request shows it."""
    url = f"/surveys/a/{survey.token}/"
    assert 'name="form"' in client.get(url).content.decode()
    collection_services.close_collection(actor=world.users["coordinator"], collection=survey)
    page = client.get(url).content.decode()
    assert "This questionnaire is closed" in page and 'name="form"' not in page


def test_no_log_line_or_table_keeps_the_address(client, survey, caplog):
    """Neither the request logging (a refused answer logs a warning), the login lockout (axes) nor
    the audit log keeps the visitor's address for the public page."""
    from axes.models import AccessAttempt, AccessLog

    from apps.surveys import public

    address = "198.51.100.77"
    with caplog.at_level("DEBUG"):
        page = client.get(f"/surveys/a/{survey.token}/", REMOTE_ADDR=address)
        client.post(f"/surveys/a/{survey.token}/", {"form": "forged"}, REMOTE_ADDR=address)
        token = form_token(page)
        client.post(f"/surveys/a/{survey.token}/", {**GOOD, "form": token, "work": public.solve(token)},
                    REMOTE_ADDR=address)
    assert Submission.objects.count() == 1
    assert caplog.records, "the refused answer was logged"
    assert not [r for r in caplog.records if address in r.getMessage()]
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    assert not AuditEntry.objects.filter(ip=address).exists()
