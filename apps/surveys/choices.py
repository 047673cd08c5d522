"""Choices of the surveys app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    CLIENT = "client", _("Client experience and satisfaction")
    PROFESSIONAL = "professional", _("Professionals' knowledge and attitudes")
    OTHER = "other", _("Other")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Scale 1-5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO})


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class WavePhase(models.TextChoices):
    PRE = "pre", _("Before the training")
    POST = "post", _("After the training")
