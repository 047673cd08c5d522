"""A national protocol template and model checklist, as the platform admin publishes them."""
import pytest

from apps.protocols.choices import ProtocolKind, ProvingEvent, Sector, Theme
from apps.protocols.models import Checklist, ChecklistItem
from apps.protocols.services.protocols import protocol_create, step_save, version_adopt


@pytest.fixture
def national(world):
    admin = world.platform_admin
    protocol = protocol_create(user=admin, municipality=None, kind=ProtocolKind.GENERAL,
                               title="Opšti protokol (test)", title_cyrl="Општи протокол (тест)")
    version = protocol.versions.get()
    step_save(user=admin, version=version, expected_version=version.version, sector=Sector.POLICE, position=1,
              actor="Policija", action="Obaveštava centar za socijalni rad", time_amount=24, time_unit="hours",
              legal_basis="ZSNP čl. 15", proving_event=ProvingEvent.POLICE_NOTIFIED)
    version.refresh_from_db()
    step_save(user=admin, version=version, expected_version=version.version, sector=Sector.SOCIAL, position=1,
              actor="Centar za socijalni rad", action="Prva reakcija po hitnosti", time_amount=24,
              time_unit="hours", legal_basis="Posebni protokol", proving_event=ProvingEvent.CSR_FIRST_REACTION)
    version.refresh_from_db()
    version_adopt(user=admin, version=version, expected_version=version.version,
                  adopted_on=version.created_at.date(), decision_number="01-1/2026")
    checklist = Checklist.objects.create(name="Model ček liste (test)", created_by=admin)
    for n, theme in enumerate([Theme.ACCESSIBILITY, Theme.CONFIDENTIALITY, Theme.TRAINING], start=1):
        ChecklistItem.objects.create(checklist=checklist, theme=theme, position=n, text=f"Stavka {n} (test)")
    return protocol, checklist
