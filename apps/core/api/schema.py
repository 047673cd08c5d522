"""OpenAPI descriptions of our authentication classes (drf-spectacular matches exact classes only),
and the hook that keeps nullable nested objects valid OpenAPI 3.0."""
from django.conf import settings
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
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


def nullable_references(result, generator, request, public):
    """Make a nullable nested object valid OpenAPI 3.0: ``allOf: [$ref] + nullable`` has no effect
    without ``type`` (3.0.3), so a client would reject the null that is sent. It becomes
    ``oneOf: [$ref, NullEnum]``, the form drf-spectacular uses for nullable choices."""
    if not str(result.get("openapi", "")).startswith("3.0"):
        return result
    found = []

    def walk(node):
        if isinstance(node, dict):
            all_of = node.get("allOf")
            if node.get("nullable") and isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]:
                node.pop("nullable")
                node["oneOf"] = [node.pop("allOf")[0], {"$ref": "#/components/schemas/NullEnum"}]
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("paths", {}))
    walk(result.get("components", {}))
    if found:
        result.setdefault("components", {}).setdefault("schemas", {}).setdefault("NullEnum", {"enum": [None]})
    return result


def blank_formats(result, generator, request, public):
    """A link that is optional is sent as an empty string, and a file of the platform as a path on it:
    ``format: uri`` refuses both, so links are described as ``uri-reference`` (absolute, relative or
    empty). An optional address (``format: email``) becomes "an e-mail address, or empty"."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "uri":
                node["format"] = "uri-reference"
            elif node.get("type") == "string" and node.get("format") == "email" and "anyOf" not in node:
                node.pop("format")
                extra = {"nullable": True} if node.get("nullable") else {}
                node["anyOf"] = [{"type": "string", "format": "email", **extra},
                                 {"type": "string", "maxLength": 0, **extra}]
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}))
    walk(result.get("paths", {}))
    return result
