"""Money on everything the server writes for people, in the ``CURRENCY`` setting, which refuses to
start with anything but an ISO 4217 code."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from reservations.money import format_money

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("85.00"), "EUR", "€85.00"),
        (Decimal("85"), "GBP", "£85.00"),
        (Decimal("1250.5"), "USD", "$1,250.50"),
        (Decimal("8500.00"), "JPY", "¥8,500"),  # no minor unit
        (Decimal("85.00"), "CHF", "85.00 CHF"),  # no symbol every reader knows: the code, after
        ("0.10", "EUR", "€0.10"),
        (Decimal("-5.00"), "GBP", "-£5.00"),
    ],
)
def test_amounts_read_as_customers_expect(amount, currency, shown):
    assert format_money(amount, currency) == shown


def test_the_currency_is_the_setting_unless_named(settings):
    settings.CURRENCY = "GBP"
    assert format_money(Decimal("60.00")) == "£60.00"
    rendered = Template("{% load money %}{{ price|money }}|{{ missing|money }}").render(
        Context({"price": Decimal("60.00")})
    )
    assert rendered == "£60.00|"


@pytest.mark.parametrize("value", ["eur", "EURO", "€", "E1R", " EUR"])
def test_the_server_refuses_to_start_with_a_currency_that_is_not_an_iso_code(value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={**os.environ, "CURRENCY": value},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CURRENCY must be an ISO 4217 code" in result.stderr


def test_the_server_starts_with_a_currency_code():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={**os.environ, "CURRENCY": "CHF"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
