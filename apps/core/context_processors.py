"""Template context shared by every page."""
from django.conf import settings


def platform(request):
    """The demo banner, the acting membership and the navigation for the user's roles."""
    user = getattr(request, "user", None)
    ctx = {"demo_skip_2fa": settings.DEMO_SKIP_2FA, "nav": [], "active_membership": None, "memberships": ()}
    if user is None or not user.is_authenticated:
        return ctx
    from .navigation import navigation_for

    ctx["nav"] = navigation_for(user)
    ctx["memberships"] = user.access.memberships
    ctx["active_membership"] = user.active_membership(request)
    if len(ctx["memberships"]) > 1:
        ctx["user_memberships_display"] = _membership_labels(ctx["memberships"])
    return ctx


def _membership_labels(memberships) -> list[dict]:
    """"Institution · role" labels for the acting-as switcher (one query)."""
    from django.apps import apps

    from .choices import Role

    Institution = apps.get_model("institutions", "Institution")
    names = dict(Institution.objects.filter(pk__in={m.institution_id for m in memberships}).values_list("id", "name"))
    return [{"id": m.id, "label": f"{names.get(m.institution_id, '')} · {Role(m.role).label}"} for m in memberships]
