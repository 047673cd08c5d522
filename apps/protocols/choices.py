"""Choices of the protocols app (translated labels)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtocolKind(models.TextChoices):
    """What a protocol is: the general protocol, a sector protocol or the model agreement."""

    GENERAL = "general", _("General protocol")
    SECTOR = "sector", _("Sector protocol")
    MODEL_AGREEMENT = "model_agreement", _("Model cooperation agreement")


class VersionStatus(models.TextChoices):
    """Draft -> adopted -> superseded; an adopted version never changes."""

    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class Sector(models.TextChoices):
    """The sector a section of a protocol speaks to (who acts)."""

    SOCIAL = "social", _("Social protection (centre for social work)")
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")
    JUDICIARY = "judiciary", _("Courts")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    NGO = "ngo", _("Civil society organisations")
    LOCAL_GOVERNMENT = "local_government", _("Local self-government")


class TimeUnit(models.TextChoices):
    """Hours are real hours; days are calendar days in Europe/Belgrade."""

    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class ProvingEvent(models.TextChoices):
    """The case event that proves a procedure step was kept (measured by the compliance figures)."""

    NONE = "", _("None (not measured)")
    POLICE_NOTIFIED = "police_notified", _("Police report notified to the centre for social work")
    CSR_FIRST_REACTION = "csr_first_reaction", _("Centre's first reaction within the deadline of its urgency")
    REFERRAL_ANSWERED = "referral_answered", _("Referral answered within the agreed time")
    EXTENSION_PROPOSED = "extension_proposed", _("Extension of an emergency measure proposed within 24 hours")
    PLAN_MADE = "plan_made", _("Individual protection and support plan made within the legal time")


class AgreementStatus(models.TextChoices):
    """Where a cooperation agreement stands."""

    NEGOTIATING = "negotiating", _("Being negotiated")
    PARTLY_SIGNED = "partly_signed", _("Signed by some parties")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Theme(models.TextChoices):
    """Themes of the self-assessment checklist."""

    ACCESSIBILITY = "accessibility", _("Accessibility of the service")
    VICTIM_CENTRED = "victim_centred", _("Victim-centred practice")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    SAFETY = "safety", _("Safety planning")
    ACCOUNTABILITY = "accountability", _("Perpetrator accountability")
    COOPERATION = "cooperation", _("Cooperation and referrals")
    RECORDS = "records", _("Records and data")
    TRAINING = "training", _("Staff training")


class Answer(models.TextChoices):
    """The answer scale: no / partly / yes / not applicable."""

    NO = "no", _("No")
    PARTLY = "partly", _("Partly")
    YES = "yes", _("Yes")
    NOT_APPLICABLE = "na", _("Not applicable")


# Points per answer (not applicable is left out of the score).
ANSWER_POINTS = {Answer.NO: 0, Answer.PARTLY: 1, Answer.YES: 2}


class RoundStatus(models.TextChoices):
    """A self-assessment round is open until the coordinator closes it."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ResponseStatus(models.TextChoices):
    """An institution's answers to a round."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
