"""Template context shared by every page."""
from django.conf import settings
from django.utils.translation import get_language

from .choices import Role
from .navigation import navigation_for
from .tenant_models import institution_model

# BCP 47 tags of the languages, for the lang attribute of each entry of the language menu.
_LANGUAGE_TAGS = {"sr-latn": "sr-Latn", "sr-cyrl": "sr-Cyrl"}


def language_menu() -> list[tuple[str, str, str]]:
    """(code, name, tag) of each language, each named in itself as settings.LANGUAGES writes it.

    Django's get_available_languages would translate the names into the page's language
    ("engleski"); a reader looks for their own language by its own name.
    """
    return [(code, name, _LANGUAGE_TAGS.get(code, code)) for code, name in settings.LANGUAGES]


def platform(request):
    """The demo banner, the acting membership, the language menu and the navigation for the user's roles."""
    user = getattr(request, "user", None)
    ctx = {"demo_skip_2fa": settings.DEMO_SKIP_2FA, "nav": [], "active_membership": None, "memberships": (),
           "language_menu": language_menu()}
    if user is None or not user.is_authenticated:
        return ctx

    ctx["nav"] = navigation_for(user)
    ctx["memberships"] = user.access.memberships
    ctx["active_membership"] = user.active_membership(request)
    if len(ctx["memberships"]) > 1:
        ctx["user_memberships_display"] = _membership_labels(ctx["memberships"])
    return ctx


def _membership_labels(memberships) -> list[dict]:
    """"Institution · role" labels for the acting-as switcher (one query)."""

    Institution = institution_model()
    cyrillic = (get_language() or "").lower().endswith("cyrl")
    names = {
        pk: (name_cyrl if cyrillic and name_cyrl else name)
        for pk, name, name_cyrl in Institution.objects.filter(
            pk__in={m.institution_id for m in memberships}).values_list("id", "name", "name_cyrl")
    }
    return [{"id": m.id, "label": f"{names.get(m.institution_id, '')} · {Role(m.role).label}"} for m in memberships]
