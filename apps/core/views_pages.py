"""Pages of the core: the home page per role."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from . import home
from .choices import Role


class HomeView(LoginRequiredMixin, TemplateView):
    """Where each person starts: the panels the apps contribute for the user's roles (a caseworker's
    work queue, a coordinator's next meeting, an official's figures, ...), the acting role's first."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        roles = user.access.roles()
        ctx["roles"] = sorted(roles)
        ctx["role_labels"] = [Role(r).label for r in sorted(roles)]
        ctx["is_platform_admin"] = user.is_platform_admin
        active = user.active_membership(self.request)
        ctx["panels"] = panels = home.collect(self.request, active.role if active else "")
        ctx["panel_styles"] = list(dict.fromkeys(s for p in panels for s in p.styles))
        ctx["panel_scripts"] = list(dict.fromkeys(s for p in panels for s in p.scripts))
        return ctx


def institution_admin_panel(request):
    """Institution admins: their staff and the audit log."""
    if Role.INSTITUTION_ADMIN not in request.user.access.roles():
        return None
    return home.HomePanel(key="staff", template="core/home/_staff.html", order=40,
                          roles=(Role.INSTITUTION_ADMIN,))


def platform_admin_panel(request):
    """Platform admins: the municipalities and onboarding (never case content)."""
    if not request.user.is_platform_admin:
        return None
    return home.HomePanel(key="platform", template="core/home/_platform.html", order=50)


home.register(institution_admin_panel)
home.register(platform_admin_panel)
