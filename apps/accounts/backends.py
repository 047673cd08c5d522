"""Log in with e-mail or username."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from apps.core import fixed_sql
from apps.core.login_identity import identify


class EmailOrUsernameBackend(ModelBackend):
    """Authenticates by e-mail or by the short username (e.g. lazarevac.caseworker)."""

    def get_user(self, user_id):
        """The session's user, on every request: one prepared statement (apps/core/fixed_sql.py)."""

        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = fixed_sql.instances(get_user_model(), '"id" = %s', [user_id])
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if not login or password is None:
            return None

        user, _key = identify(login, request)  # the same resolution as the lockout counter's
        if user is None:
            get_user_model()().set_password(password)  # same work either way: no timing oracle for user names
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
