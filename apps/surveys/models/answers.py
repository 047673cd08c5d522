"""The anonymous answers. By design a row holds no IP address, user agent, user or time finer than
the day (tests/surveys/test_anonymity.py reads the columns). Primary keys of submissions and text
answers are random (UUID), so their order tells nothing about when they came.

Free-text answers are kept apart (``TextAnswer``) with no link to the submission: they cannot be put
back together with the other answers of the same person, in a page, an export or the database.
"""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import AnswerManager


class Submission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    collection = models.ForeignKey("surveys.Collection", on_delete=models.PROTECT, related_name="submissions")
    submitted_on = models.DateField()
    # Pre/post pairing: a keyed hash of the code the professional made up (never a name); empty when none.
    pair_key = models.CharField(max_length=64, blank=True)

    objects = AnswerManager()

    class Meta:
        verbose_name = _("Submission")
        verbose_name_plural = _("Submissions")
        indexes = [models.Index(fields=["municipality", "collection"], name="surveys_sub_mun_coll")]


class Answer(models.Model):
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    collection = models.ForeignKey("surveys.Collection", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey("surveys.Question", on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    choice = models.CharField(max_length=40, blank=True)  # one row per chosen option of a multiple choice

    objects = AnswerManager()

    class Meta:
        verbose_name = _("Answer")
        verbose_name_plural = _("Answers")
        indexes = [models.Index(fields=["municipality", "collection", "question"], name="surveys_ans_coll_q")]


class TextAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT)
    collection = models.ForeignKey("surveys.Collection", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey("surveys.Question", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    objects = AnswerManager()

    class Meta:
        verbose_name = _("Text answer")
        verbose_name_plural = _("Text answers")
        indexes = [models.Index(fields=["municipality", "collection", "question"], name="surveys_text_coll_q")]
