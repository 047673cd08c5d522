"""OpenAPI descriptions of our authentication classes (drf-spectacular matches exact classes only)."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class TokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` (knox, hashed and expiring)."""

    target_class = "apps.core.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """The browser session, only after the second factor."""

    target_class = "apps.core.api.authentication.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        from django.conf import settings

        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
