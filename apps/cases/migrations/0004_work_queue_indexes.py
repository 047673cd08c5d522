"""Tenant-leading indexes for the work queue: measures in force, open plan measures of an owner in
deadline order, a sender's answered referrals. Built concurrently: the tables are large and in use."""
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models.functions import Greatest


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0003_person_name_trigram_index")]

    operations = [
        AddIndexConcurrently(
            model_name="emergencymeasure",
            index=models.Index(models.F("municipality"), Greatest("expires_at", "extended_until"), name="emergency_mun_live"),
        ),
        AddIndexConcurrently(
            model_name="planmeasure",
            index=models.Index(
                condition=models.Q(("status__in", ("planned", "in_progress"))),
                fields=["municipality", "owner_institution", "deadline", "id"],
                name="planmeasure_open_due",
            ),
        ),
        AddIndexConcurrently(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("status__in", ("accepted", "declined"))),
                fields=["municipality", "from_institution", "-answered_at"],
                name="referral_from_answered",
            ),
        ),
    ]
