"""End any role that reads cases held by a platform admin (such memberships could be created before
the rule in apps/accounts/services.role_grant_check existed), and take them out of the role and
staff groups that carried the access. Each ended membership is audited."""

from django.db import migrations
from django.utils import timezone

CASE_READING_ROLES = ("caseworker", "coordinator", "supervisor")


def end_platform_admin_case_roles(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Group = apps.get_model("auth", "Group")
    AuditEntry = apps.get_model("core", "AuditEntry")
    now = timezone.now()
    for membership in Membership.objects.filter(
        is_active=True, role__in=CASE_READING_ROLES, user__is_platform_admin=True
    ).select_related("user"):
        membership.is_active = False
        membership.ended_at = now
        membership.save(update_fields=["is_active", "ended_at"])
        names = [f"municipality-{membership.municipality_id}:{membership.role}", f"institution-{membership.institution_id}:staff"]
        for group in Group.objects.filter(name__in=names):
            group.user_set.remove(membership.user)
        AuditEntry.objects.create(
            actor_label="migration accounts.0005", institution_id=membership.institution_id,
            municipality_id=membership.municipality_id, action="membership_ended",
            object_type="accounts.membership", object_id=str(membership.pk),
            details={"reason": "platform admin cannot hold a role that reads cases"},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_access_notice"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0004_audit_indexes_for_reads_and_inserts"),
    ]

    operations = [migrations.RunPython(end_platform_admin_case_roles, migrations.RunPython.noop)]
