"""The builder: a questionnaire, its numbered versions, their sections and questions.

A version is a draft until published; a published version is never changed once it has answers
(``QuestionnaireVersion.is_frozen``): a copy (the next version, a draft) is edited instead. Texts are
stored in the three languages as {"sr-latn": ..., "sr-cyrl": ..., "en": ...}.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import QuestionKind, QuestionnaireKind, VersionStatus
from ..querysets import QuestionnaireManager, VersionPartManager
from .common import tr


class Questionnaire(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, verbose_name=_("municipality"))
    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("institution"),
        help_text=_("Empty: the questionnaire of the whole municipality."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionnaireKind.choices, default=QuestionnaireKind.CLIENT)
    title = models.JSONField(_("title"), default=dict)
    template_key = models.CharField(_("national template"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = QuestionnaireManager()

    class Meta:
        verbose_name = _("Questionnaire")
        verbose_name_plural = _("Questionnaires")
        ordering = ["municipality_id", "id"]
        indexes = [models.Index(fields=["municipality", "institution"], name="surveys_q_mun_inst")]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return tr(self.title)

    def latest_version(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    published_on = models.DateField(null=True, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = VersionPartManager()

    class Meta:
        verbose_name = _("Questionnaire version")
        verbose_name_plural = _("Questionnaire versions")
        ordering = ["questionnaire_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "questionnaire", "number"], name="surveys_version_number"),
        ]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        """Published versions are never edited (a copy is): answers must keep meaning what they said."""
        return self.is_published


class Section(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=1)
    title = models.JSONField(_("title"), default=dict, blank=True)

    objects = VersionPartManager()

    class Meta:
        verbose_name = _("Section")
        verbose_name_plural = _("Sections")
        ordering = ["questionnaire_version_id", "position", "id"]

    def __str__(self):
        return tr(self.title)


class Question(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=1)
    key = models.SlugField(_("key"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    text = models.JSONField(_("question"), default=dict)
    low_label = models.JSONField(_("label of 1"), default=dict, blank=True)
    high_label = models.JSONField(_("label of 5"), default=dict, blank=True)
    # [{"value": "a", "label": {"sr-latn": ..., ...}}, ...] for single and multiple choice.
    options = models.JSONField(_("options"), default=list, blank=True)
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)
    # Simple conditional display: shown only when the question ``show_if`` was answered ``show_if_value``.
    show_if = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    show_if_value = models.CharField(max_length=40, blank=True)
    # Pre/post: the scale the item belongs to ("knowledge", "attitudes", "preparedness"); for a
    # knowledge item, the right option (scored 1, any other 0).
    scale = models.CharField(_("scale"), max_length=40, blank=True)
    correct_value = models.CharField(max_length=40, blank=True)
    reverse_scored = models.BooleanField(default=False)

    objects = VersionPartManager()

    class Meta:
        verbose_name = _("Question")
        verbose_name_plural = _("Questions")
        ordering = ["questionnaire_version_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "questionnaire_version", "key"], name="surveys_question_key"),
        ]

    def __str__(self):
        return tr(self.text)

    @property
    def display_text(self) -> str:
        return tr(self.text)

    def option_values(self) -> list[str]:
        if self.kind == QuestionKind.YES_NO:
            return ["yes", "no"]
        return [str(o.get("value")) for o in self.options or []]

    def option_labels(self) -> list[str]:
        """The options' labels in the active language (script)."""
        return [tr(option.get("label")) for option in self.options or []]

    def option_label(self, value: str) -> str:
        if self.kind == QuestionKind.YES_NO:
            return str(_("Yes") if value == "yes" else _("No"))
        for option in self.options or []:
            if str(option.get("value")) == value:
                return tr(option.get("label"))
        return value
