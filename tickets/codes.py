"""Ticket codes: the text of a ticket's QR code.

A code is 16 random bytes (128 bits) followed by 9 bytes of an HMAC of them keyed by the
``SECRET_KEY``, in RFC 4648 base32 (A-Z and 2-7): 40 characters, no padding, nothing to mix up
between 0/O or 1/I. A code changed in any character fails the HMAC and is refused before the
database is asked; only a code this server issued can name a ticket. Rotating the ``SECRET_KEY``
refuses every code issued before it: do not rotate it between an on-sale and its event.
"""

import base64
import binascii
import hmac
import secrets

from django.utils.crypto import salted_hmac

_RANDOM_BYTES, _MAC_BYTES = 16, 9
LENGTH = (_RANDOM_BYTES + _MAC_BYTES) * 8 // 5  # 40


def _mac(random: bytes) -> bytes:
    return salted_hmac("tickets.codes", random, algorithm="sha256").digest()[:_MAC_BYTES]


def new_code() -> str:
    random = secrets.token_bytes(_RANDOM_BYTES)
    return base64.b32encode(random + _mac(random)).decode("ascii")


def is_genuine(code: str) -> bool:
    """True for a code this server issued, unchanged; False for anything else (never raises)."""
    if not isinstance(code, str) or len(code) != LENGTH or not code.isascii():
        return False
    try:
        raw = base64.b32decode(code.encode("ascii"))
    except (binascii.Error, ValueError):
        return False
    random, mac = raw[:_RANDOM_BYTES], raw[_RANDOM_BYTES:]
    return hmac.compare_digest(mac, _mac(random))
