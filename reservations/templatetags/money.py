"""``{% load money %}{{ amount|money }}``: an amount in the ``CURRENCY`` setting (``reservations.money``)."""

from django import template

from reservations.money import format_money

register = template.Library()


@register.filter
def money(amount) -> str:
    return "" if amount is None or amount == "" else format_money(amount)
