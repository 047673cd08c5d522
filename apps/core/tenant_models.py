"""The tenant models, found by label in Django's app registry (as ``get_user_model()`` finds the user).

The core names the tenant (``TenantScopedModel``'s foreign key points to "municipalities.Municipality")
but imports no domain app (docs/architecture.md): where a core page needs a municipality's or an
institution's name, it asks the registry for the model once the apps are loaded.
"""
from django.apps import apps

MUNICIPALITY_MODEL = "municipalities.Municipality"
INSTITUTION_MODEL = "institutions.Institution"


def municipality_model():
    """The tenant model (Municipality)."""
    return apps.get_model(MUNICIPALITY_MODEL)


def institution_model():
    """The institution model (a service of a municipality)."""
    return apps.get_model(INSTITUTION_MODEL)
