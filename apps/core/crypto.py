"""Field encryption (MultiFernet, rotatable) and keyed hashes for exact look-up of secrets."""
from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts. Rotate by putting a new key first and
    # re-encrypting with `manage.py rotate_field_keys` (MultiFernet.rotate).
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    """Encrypt a text value (empty stays empty)."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a value written by encrypt()."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong or rotated-away key: never fall back to clear text
        raise ValueError("Encrypted value cannot be read with the configured keys.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a value under the first (newest) key."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value: equal inputs match, the value cannot be read back."""
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads and writes clear text in Python."""

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "apps.core.crypto.EncryptedTextField", args, kwargs
