"""Who a typed login name stands for: one key for the lockout counter, the audit log and axes' tables.

Login accepts the e-mail or the username in any capitalisation, so the failure counter must not key on
the string as typed (each spelling would get fresh tries). A name that belongs to an account becomes
that account's username, so its e-mail and username share one counter; any other name becomes a keyed
hash of its normalised form, so a password typed into the name field is never stored.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, Value, When

from .crypto import keyed_hash

# Usernames cannot contain "#" (Django's username validator), so a hashed key never equals one.
UNKNOWN_PREFIX = "#"
_CACHE_ATTR = "_kzn_login_identities"


def normalise(typed) -> str:
    """The name as compared: surrounding spaces removed, case folded."""
    return str(typed or "").strip().casefold()


def account_for(typed):
    """The account whose e-mail or username this is, ignoring case and surrounding spaces; else None.
    An e-mail match wins over a username match."""
    name = str(typed or "").strip()
    if not name:
        return None
    by_email = Case(When(email__iexact=name, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=name) | Q(username__iexact=name))
        .order_by(by_email, "pk")
        .first()
    )


def unknown_key(typed) -> str:
    """The stored stand-in for a name that is no account: a keyed hash, never the text ("" for none)."""
    name = normalise(typed)
    return UNKNOWN_PREFIX + keyed_hash(name)[:32] if name else ""


def identify(typed, request=None):
    """``(account or None, key)`` for a typed name; remembered on the request (axes asks several times)."""
    cache = getattr(request, _CACHE_ATTR, None) if request is not None else None
    name = str(typed or "")
    if cache is not None and name in cache:
        return cache[name]
    account = account_for(name)
    result = (account, account.username) if account is not None else (None, unknown_key(name))
    if request is not None:
        if cache is None:
            cache = {}
            setattr(request, _CACHE_ATTR, cache)
        cache[name] = result
    return result


def account_for_key(key: str):
    """The account a stored key stands for (None for a hashed unknown name)."""
    if not key or key.startswith(UNKNOWN_PREFIX):
        return None
    return get_user_model().objects.filter(username=key).first()


def axes_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the key the lockout counts failures under (and stores in its tables)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "data", request.POST).get(field)
    if not normalise(typed):
        return None
    return identify(typed, request)[1]
