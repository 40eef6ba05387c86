from django import template

from ticketing.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ order.total|vnd }} → 1.500.000 ₫"""
    return format_vnd(amount)
