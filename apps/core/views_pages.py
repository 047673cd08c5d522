"""Pages of the core: the home page per role."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .choices import Role


class HomeView(LoginRequiredMixin, TemplateView):
    """What the user can do, by role."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        roles = user.access.roles()
        ctx["roles"] = sorted(roles)
        ctx["role_labels"] = [Role(r).label for r in sorted(roles)]
        ctx["is_platform_admin"] = user.is_platform_admin
        ctx["Role"] = Role
        return ctx
