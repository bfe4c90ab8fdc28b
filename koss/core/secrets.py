"""Secrets the portal must read back (the second factors' TOTP keys and recovery-code seeds),
encrypted with KOSS_ENCRYPTION_KEYS: a copy of the database alone reveals none of them.

The first key encrypts; every key decrypts, so that a new key can go first while the old one
still reads what it wrote (`manage.py rotate_encryption_key` then re-encrypts with the new one).
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "is_encrypted", "rotate"]


def _fernet():
    return MultiFernet([Fernet(key) for key in settings.KOSS_ENCRYPTION_KEYS])


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token):
    return _fernet().decrypt(token.encode("ascii")).decode()


def rotate(token):
    """The token encrypted anew with the first key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def is_encrypted(value):
    """Whether one of the keys decrypts the value."""
    try:
        decrypt(value)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def secret_values(type_, data):
    """Where allauth keeps the encrypted values in an authenticator's data: (key, index) pairs,
    index None for a single value. TOTP keeps its key, recovery codes their seed and the codes
    taken over from elsewhere; passkeys keep only public keys."""
    if type_ == "totp" and "secret" in data:
        yield "secret", None
    if type_ == "recovery_codes":
        if "seed" in data:
            yield "seed", None
        for index in range(len(data.get("migrated_codes") or [])):
            yield "migrated_codes", index


def transform_secrets(type_, data, function):
    """The authenticator's data with function applied to each secret value."""
    data = (
        {**data, "migrated_codes": list(data["migrated_codes"])}
        if "migrated_codes" in data
        else dict(data)
    )
    for key, index in secret_values(type_, data):
        if index is None:
            data[key] = function(data[key])
        else:
            data[key][index] = function(data[key][index])
    return data
