"""The link point of the before/after questionnaire (the surveys app), without importing it.

The surveys app registers ``fn(user, event) -> list[QuestionnaireLink]`` in its ``ready()``; the
event page shows each link (e.g. "before the training" to the invited, "after" once it was held).
It may also store its questionnaire's reference on ``Event.survey_ref``. Until an app registers,
the page shows nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionnaireLink:
    label: str
    url: str


questionnaire_providers: list[Callable] = []


def register_questionnaires(provider: Callable) -> Callable:
    if provider not in questionnaire_providers:
        questionnaire_providers.append(provider)
    return provider


def questionnaires_for(user, event) -> list[QuestionnaireLink]:
    links: list[QuestionnaireLink] = []
    for provider in questionnaire_providers:
        links.extend(provider(user, event) or [])
    return links
