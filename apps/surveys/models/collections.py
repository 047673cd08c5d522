"""Distribution: a collection (one questionnaire version at one institution or municipality, open
between two dates, answered through an unguessable public link) and a pre/post wave of
professionals' answers around a training.

``Wave.event_ref`` is the link point for the programme events app: the id of the training it
measures, kept as a plain number (this app never imports the events app); empty for a standalone wave.
"""
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import WavePhase
from ..querysets import CollectionManager, WaveManager


def new_token() -> str:
    """The public link's secret: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


class Wave(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    event_ref = models.BigIntegerField(_("training (events app)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WaveManager()

    class Meta:
        verbose_name = _("Wave")
        verbose_name_plural = _("Waves")
        ordering = ["municipality_id", "-id"]

    def __str__(self):
        return self.title


class Collection(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, verbose_name=_("municipality"))
    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("institution"),
    )
    questionnaire_version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="collections", verbose_name=_("questionnaire"),
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    wave = models.ForeignKey(Wave, null=True, blank=True, on_delete=models.PROTECT, related_name="collections")
    phase = models.CharField(_("phase"), max_length=8, choices=WavePhase.choices, blank=True)
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = CollectionManager()

    class Meta:
        verbose_name = _("Collection")
        verbose_name_plural = _("Collections")
        ordering = ["municipality_id", "-opens_on", "-id"]
        indexes = [models.Index(fields=["municipality", "institution"], name="surveys_coll_mun_inst")]

    def __str__(self):
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on
