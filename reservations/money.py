"""Money as a customer reads it, on everything the server writes for people (e-mail, the PDF ticket,
the admin): one home, so that every amount looks the same. The API itself sends amounts as decimal
strings with the event's ``currency`` beside them, and the browser formats them (Intl.NumberFormat).

Babel would know every currency and locale, but it is a large dependency for one line of text. The
site speaks English, so amounts are written as English readers expect them: the symbol in front
for the currencies whose symbol they know without doubt (€85.00, £85.00, $85.00, ¥8,500), and the
ISO code after the amount for every other one (85.00 CHF), which can never be mistaken.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}
# Currencies without minor units (ISO 4217 exponent 0) that venues are likely to price in.
NO_DECIMALS = {"JPY", "KRW", "ISK", "CLP", "VND"}


def format_money(amount: Decimal | int | str, currency: str | None = None) -> str:
    """``amount`` in ``currency`` (default: the ``CURRENCY`` setting), e.g. "€1,250.00", "85.00 CHF"."""
    currency = currency or settings.CURRENCY
    places = 0 if currency in NO_DECIMALS else 2
    value = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    number = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"
