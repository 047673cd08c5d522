# Partial indexes for the work queue's open action items (owner branch, responsible branch).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_person_name_trigram_index'),
        ('conferences', '0003_calendar_feed_name'),
        ('institutions', '0002_initial'),
        ('municipalities', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='actionitem',
            index=models.Index(condition=models.Q(('status', 'open')), fields=['owner_institution', 'due_on', 'id'], name='action_open_owner_due'),
        ),
        migrations.AddIndex(
            model_name='actionitem',
            index=models.Index(condition=models.Q(('status', 'open')), fields=['responsible', 'due_on', 'id'], name='action_open_responsible_due'),
        ),
    ]
