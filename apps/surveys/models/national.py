"""The national templates municipalities adopt, kept by platform admins: one row per version of a
template, its questions as one document (the shape of apps/surveys/national.py, where the first
versions come from). Platform-wide reference data, no municipality: an adopted copy becomes the
municipality's own rows (apps/surveys/services/builder.py), so a new national version never changes
a municipality's questionnaire.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import QuestionnaireKind, VersionStatus
from ..querysets import NationalTemplateManager
from .common import tr


class NationalTemplate(models.Model):
    key = models.SlugField(_("template"), max_length=40)
    number = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionnaireKind.choices, default=QuestionnaireKind.CLIENT)
    # {"title": {...}, "intro": {...}, "sections": [{"title": {...}, "questions": [{"key": ..., ...}]}]}
    content = models.JSONField(_("content"), default=dict)
    published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = NationalTemplateManager()

    class Meta:
        verbose_name = _("National questionnaire template")
        verbose_name_plural = _("National questionnaire templates")
        ordering = ["key", "-number"]
        constraints = [models.UniqueConstraint(fields=["key", "number"], name="surveys_national_number")]

    def __str__(self):
        return f"{self.display_title} v{self.number}"

    @property
    def display_title(self) -> str:
        return tr((self.content or {}).get("title"))

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def questions(self) -> list[dict]:
        return [q for section in (self.content or {}).get("sections", []) for q in section.get("questions", [])]
