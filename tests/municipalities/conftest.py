"""Fixtures for onboarding tests: a fictional spec, row counts, English messages."""
from pathlib import Path

import pytest
from django.utils import translation

from apps.municipalities.onboarding import AdminSpec, InstitutionSpec, MunicipalitySpec, OnboardingSpec

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def spec():
    """Niš (demo): two institutions, two admins."""
    return OnboardingSpec(
        municipality=MunicipalitySpec(
            name="Niš", name_cyrl="Ниш", code="NIS", slug="nis", kind="city", district="Nišavski okrug",
            population=249501, size_class="large",
        ),
        institutions=(
            InstitutionSpec(key="csr", type="csr", name="Centar za socijalni rad Niš (demo)",
                            email="csr.nis@demo.kzn.example"),
            InstitutionSpec(key="police", type="police", name="Policijska stanica Niš (demo)"),
        ),
        admins=(
            AdminSpec(email="ana.admin.nis@demo.kzn.example", institution_key="csr", first_name="Ana",
                      last_name="Primer"),
            AdminSpec(email="petar.admin.nis@demo.kzn.example", institution_key="police", first_name="Petar",
                      last_name="Primer"),
        ),
    )


@pytest.fixture
def row_counts(db):
    """How many rows onboarding can touch: municipalities, institutions, invitations, groups, audit."""
    from django.contrib.auth.models import Group

    from apps.accounts.models import Invitation
    from apps.core.models import AuditEntry
    from apps.institutions.models import Institution
    from apps.municipalities.models import Municipality, MunicipalityGroupGrant

    def counts():
        return {
            "municipalities": Municipality.objects.count(),
            "institutions": Institution.objects.count(),
            "invitations": Invitation.objects.count(),
            "groups": Group.objects.count(),
            "grants": MunicipalityGroupGrant.objects.count(),
            "audit": AuditEntry.objects.count(),
        }

    return counts
