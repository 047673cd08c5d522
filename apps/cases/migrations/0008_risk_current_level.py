"""A case's risk level and priority now follow its current assessment (services.cases.current_of):
an assessment lower than the current one, without a reason for lowering, no longer lowers the case.
Recorded assessments never stated such a reason, so a case whose latest assessment is lower than an
earlier one goes back to the higher level (the case page shows which assessment and why).

The rule is restated here as it stood when this migration was written (a migration must not follow
later changes of the code)."""
from django.db import migrations

ORDER = {"low": 0, "medium": 1, "high": 2, "immediate": 3}
PRIORITY = {"low": "regular", "medium": "urgent", "high": "immediate", "immediate": "immediate"}


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    RiskAssessment = apps.get_model("cases", "RiskAssessment")
    rows = (
        RiskAssessment.objects.order_by("case_id", "assessed_at", "id")
        .values_list("case_id", "level", "immediate_danger", "lower_reason")
        .iterator(chunk_size=5000)
    )
    current: dict[int, tuple[str, bool]] = {}
    for case_id, level, immediate, lower_reason in rows:
        before = current.get(case_id)
        if before is None or ORDER[level] >= ORDER[before[0]] or lower_reason:
            current[case_id] = (level, immediate)
    changed = []
    stored = Case.objects.filter(pk__in=list(current)).only("id", "risk_level", "priority").iterator(chunk_size=5000)
    for case in stored:
        level, immediate = current[case.pk]
        priority = "immediate" if immediate else PRIORITY[level]
        if (case.risk_level, case.priority) != (level, priority):
            case.risk_level, case.priority = level, priority
            changed.append(case)
    Case.objects.bulk_update(changed, ["risk_level", "priority"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_form_drafts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
