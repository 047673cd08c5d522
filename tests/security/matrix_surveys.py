"""Isolation matrix entries of the questionnaires (pages, downloads, API and the public link).

Scopes: OWN is a client questionnaire adopted for CSR A and its open collection at CSR A; SAME the
same for police A; OTHER for CSR B (municipality B). A pre/post wave exists in A (OWN) and B (OTHER).
Following apps/surveys/rules.py: the coordinator of A manages everything of A; the institution admin
of CSR A manages CSR A's (and reads the municipality's questionnaires); the official of A reads the
questionnaires and the suppressed results of A; caseworkers and supervisors reach nothing (404);
platform admins reach none of it (municipality content, closed to them by row-level security too). The public link needs no login: a valid token answers 200 for
anyone, an unknown one 404; the answer without the form's signed token is refused (400).

Editing pages act on a draft (a new version of each scope's published one); a published version's
editing pages answer 404 to everyone ("published"). The national templates' pages are the platform
admins' alone (404 for every other role).
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .matrix import API, CO, IA, OF, OTHER, OWN, PA, PAGE, REDIRECT, SAME, Entry, e


def q_pk(w, scope):
    return {"pk": w.surveys["questionnaire"][scope].pk}


def version_op(op):
    def build(w, scope):
        return {"pk": w.surveys["version"][scope].pk, "op": op}

    return build


def draft_part(kind, *, published=False):
    """URL kwargs of a question or section of the scope's draft (or, ``published``, of OWN's published version)."""
    def build(w, scope):
        version = w.surveys["version"][OWN] if published else w.surveys["draft"][scope]
        part = (version.questions if kind == "question" else version.sections).order_by("position").first()
        return {"pk": version.pk, f"{kind}_pk": part.pk}

    return build


def question_edit(w, scope):
    version = w.surveys["draft"].get(scope) or w.surveys["version"][OWN]
    question = version.questions.get(key="reach")
    return {"section": question.section_id, "kind": "likert", "text_sr_latn": "Matrica pitanje", "version": version.version,
            "options-TOTAL_FORMS": "0", "options-INITIAL_FORMS": "0"}


def draft_lock(w, scope):
    version = w.surveys["draft"].get(scope) or w.surveys["version"][OWN]
    return {"direction": "down", "version": version.version, "title_sr_latn": "Matrica odeljak"}


def national_pk(w, scope):
    return {"pk": w.surveys["national"][scope].pk}


def national_part(kind):
    def build(w, scope):
        return {"pk": w.surveys["national"][scope].pk, **({"key": "reach"} if kind == "question" else {"number": 1})}

    return build


def c_pk(w, scope):
    return {"pk": w.surveys["collection"][scope].pk}


def c_kwargs(**extra):
    def build(w, scope):
        return {"pk": w.surveys["collection"][scope].pk, **extra}

    return build


def wave_pk(w, scope):
    return {"pk": w.surveys["wave"][scope].pk}


def token(w, scope):
    return {"token": w.surveys["collection"][OWN].token if scope == "valid_token" else "unknown-token-value"}


def adopt(w, scope):
    return {"template": "client_experience", "institution": w.institution[scope].pk}


def new_questionnaire(w, scope):
    return {"title_sr_latn": "Matrica novi upitnik", "kind": "other", "institution": w.institution[scope].pk}


def build(w) -> None:
    from apps.core.choices import Role
    from apps.surveys.services import builder, collections

    base = w.base
    today = timezone.localdate()
    w.surveys = {key: {} for key in ("questionnaire", "version", "collection", "wave", "draft", "national")}
    for scope in (OWN, SAME, OTHER):
        coordinator = base.users[Role.COORDINATOR] if scope != OTHER else base.users["other_municipality"][Role.COORDINATOR]
        institution = w.institution[scope]
        questionnaire = builder.adopt_template(actor=coordinator, municipality=institution.municipality,
                                               institution=institution, key="client_experience")
        version = questionnaire.versions.get()
        builder.publish(actor=coordinator, version=version)
        w.surveys["questionnaire"][scope] = questionnaire
        w.surveys["version"][scope] = version
        w.surveys["draft"][scope] = builder.new_version(actor=coordinator, version=version)
        w.surveys["collection"][scope] = collections.create_collection(
            actor=coordinator, version=version, institution=institution, title=f"Matrica upitnik {scope}",
            opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=10),
        )
        if scope != SAME:
            w.surveys["wave"][scope] = collections.create_wave(
                actor=coordinator, version=version, title=f"Matrica obuka {scope}", pre_opens_on=today,
                pre_closes_on=today, post_opens_on=today, post_closes_on=today + timedelta(days=1),
            )
    from apps.surveys.models import NationalTemplate
    from apps.surveys.services import national

    national.seed()
    published = NationalTemplate.objects.get(key="client_experience", number=1)
    w.surveys["national"]["national_published"] = published
    w.surveys["national"]["national_draft"] = national.new_version(actor=base.platform_admin, template=published)
    w.leak_texts += ["Matrica upitnik other_municipality", "Matrica obuka other_municipality"]
    w.leak_ids["survey-collection-list"] = {w.surveys["collection"][OTHER].pk}
    w.leak_ids["survey-questionnaire-list"] = {w.surveys["questionnaire"][OTHER].pk}


MANAGE = e(default=404, **{CO: {OWN: 200, SAME: 200}, IA: {OWN: 200}})
READ = e(default=404, **{CO: {OWN: 200, SAME: 200}, IA: {OWN: 200}, OF: {OWN: 200, SAME: 200}})
QUESTIONNAIRES = e(default=404, **{CO: {OWN: 200, SAME: 200}, IA: {OWN: 200, SAME: 200}, OF: {OWN: 200, SAME: 200},
                                   })
MANAGE_POST = e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT}, IA: {OWN: REDIRECT}})
NATIONAL = ("national_draft", "national_published")


def national_op(op):
    def build(w, scope):
        return {"pk": w.surveys["national"][scope].pk, "op": op}

    return build


PUBLIC = e(default=200, anonymous=200, **{"@unknown_token": 404, "anonymous@unknown_token": 404})
PUBLIC_SCOPES = ("valid_token", "unknown_token")

ENTRIES = [
    Entry("surveys:home", PAGE, e(default=404, **{CO: 200, IA: 200, OF: 200, PA: REDIRECT}),
          note="platform admins are sent to the national templates"),
    Entry("surveys:adopt", PAGE, e(default=404, **{CO: 200, IA: 200})),
    Entry("surveys:adopt", PAGE, e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT, OTHER: 200},
                                                   IA: {OWN: REDIRECT, SAME: 200, OTHER: 200}}),
          method="POST", data=adopt, scopes=(OWN, SAME, OTHER),
          note="an institution one may not distribute to is not a valid choice: 200 with an error, nothing made"),
    Entry("surveys:create", PAGE, e(default=404, **{CO: 200, IA: 200})),
    Entry("surveys:create", PAGE, e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT, OTHER: 200},
                                                    IA: {OWN: REDIRECT, SAME: 200, OTHER: 200}}),
          method="POST", data=new_questionnaire, scopes=(OWN, SAME, OTHER),
          note="an institution one may not build for is not a valid choice: 200 with an error, nothing made"),
    Entry("surveys:questionnaire", PAGE, QUESTIONNAIRES, kwargs=q_pk),
    Entry("surveys:version_action", PAGE, e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT}, IA: {OWN: REDIRECT}}),
          method="POST", kwargs=version_op("new_version"), note="a draft copy of the published version"),
    # Editing a draft (up/down buttons are plain forms); a published version's pages answer 404.
    Entry("surveys:question_edit", PAGE, MANAGE, kwargs=draft_part("question")),
    Entry("surveys:question_edit", PAGE, MANAGE_POST, method="POST", kwargs=draft_part("question"), data=question_edit),
    Entry("surveys:question_edit", PAGE, e(default=404), kwargs=draft_part("question", published=True),
          scopes=("published",), note="a published version never changes"),
    Entry("surveys:question_move", PAGE, MANAGE_POST, method="POST", kwargs=draft_part("question"), data=draft_lock),
    Entry("surveys:question_move", PAGE, e(default=404), method="POST", kwargs=draft_part("question", published=True),
          data=draft_lock, scopes=("published",)),
    Entry("surveys:section_edit", PAGE, MANAGE, kwargs=draft_part("section")),
    Entry("surveys:section_edit", PAGE, MANAGE_POST, method="POST", kwargs=draft_part("section"), data=draft_lock),
    Entry("surveys:section_edit", PAGE, e(default=404), kwargs=draft_part("section", published=True),
          scopes=("published",)),
    Entry("surveys:section_move", PAGE, MANAGE_POST, method="POST", kwargs=draft_part("section"), data=draft_lock),
    Entry("surveys:section_delete", PAGE, MANAGE_POST, method="POST", kwargs=draft_part("section"), data=draft_lock,
          note="a section with questions is refused with a message (redirect), nothing removed"),
    Entry("surveys:section_delete", PAGE, e(default=404), method="POST", kwargs=draft_part("section", published=True),
          data=draft_lock, scopes=("published",)),
    # National templates: platform admins only.
    Entry("surveys:national", PAGE, e(default=404, **{PA: 200}), leaks=False),
    Entry("surveys:national_detail", PAGE, e(default=404, **{PA: 200}), kwargs=national_pk, scopes=NATIONAL,
          leaks=False),
    Entry("surveys:national_action", PAGE, e(default=404, **{PA: REDIRECT}), method="POST", kwargs=national_op("new_version"),
          scopes=NATIONAL, leaks=False, note="the draft already exists: refused with a message"),
    Entry("surveys:national_action", PAGE, e(default=404, **{PA: {"national_draft": REDIRECT, "national_published": 404}}),
          method="POST", kwargs=national_op("question_move"), data=lambda w, scope: {
              "key": "reach", "direction": "down", "version": w.surveys["national"][scope].version},
          scopes=NATIONAL, leaks=False, note="a published version never changes"),
    Entry("surveys:national_question", PAGE, e(default=404, **{PA: {"national_draft": 200, "national_published": 404}}),
          kwargs=national_part("question"), scopes=NATIONAL, leaks=False),
    Entry("surveys:national_section", PAGE, e(default=404, **{PA: {"national_draft": 200, "national_published": 404}}),
          kwargs=national_part("section"), scopes=NATIONAL, leaks=False),
    Entry("surveys:collection", PAGE, READ, kwargs=c_pk, note="suppressed results; free text only for who manages"),
    Entry("surveys:collection_close", PAGE, e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT}, IA: {OWN: REDIRECT}}),
          method="POST", kwargs=c_pk),
    Entry("surveys:results_export", PAGE, READ, kwargs=c_kwargs(fmt="csv")),
    Entry("surveys:raw_export", PAGE, e(default=404, **{CO: {OWN: 200, SAME: 200}}), kwargs=c_pk,
          note="raw answers without free text: coordinators only, audited"),
    Entry("surveys:poster", PAGE, MANAGE, kwargs=c_kwargs(kind="card")),
    Entry("surveys:wave", PAGE, e(default=404, **{CO: {OWN: 200}, OF: {OWN: 200}}), kwargs=wave_pk,
          scopes=(OWN, OTHER)),
    Entry("surveys:public_answer", PAGE, PUBLIC, kwargs=token, scopes=PUBLIC_SCOPES, leaks=False,
          note="the public link: no login, no cookie; the token is the secret"),
    Entry("surveys:public_answer", PAGE, e(default=400, anonymous=400, **{"@unknown_token": 404,
                                                                          "anonymous@unknown_token": 404}),
          method="POST", kwargs=token, scopes=PUBLIC_SCOPES, leaks=False,
          note="without the form's signed token the answer is refused and nothing is stored"),
    Entry("surveys:public_thanks", PAGE, PUBLIC, kwargs=token, scopes=PUBLIC_SCOPES, leaks=False),
    # --- API ------------------------------------------------------------------------------------
    Entry("survey-questionnaire-list", API, e(default=200)),
    Entry("survey-questionnaire-detail", API, QUESTIONNAIRES, kwargs=q_pk),
    Entry("survey-collection-list", API, e(default=200)),
    Entry("survey-collection-detail", API, READ, kwargs=c_pk),
    Entry("survey-collection-results", API, READ, kwargs=c_pk, note="the same suppressed results as the page"),
]

