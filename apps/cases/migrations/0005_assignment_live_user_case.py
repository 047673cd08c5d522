"""The live assignments of one person, read from the index alone by the "my cases" tab. Built
concurrently: the table is large and in use."""
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0004_work_queue_indexes")]

    operations = [
        AddIndexConcurrently(
            model_name="caseassignment",
            index=models.Index(
                condition=models.Q(("ended_at__isnull", True)), fields=["user", "case"], name="assignment_live_user_case"
            ),
        ),
    ]
