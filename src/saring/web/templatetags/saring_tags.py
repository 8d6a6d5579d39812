from django import template
from django.utils.formats import number_format

from saring.monitoring.explanations import describe_rule, describe_virality

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict lookup with a variable key (empty list if absent)."""
    return mapping.get(key, []) if mapping else []


@register.filter
def count(value):
    """`{{ n|count }}`: a count grouped in the reader's locale (id 12.345, en 12,345).

    Unknown counts (None, "") read "–"; anything that is not a number is shown as it is. Never
    for ids in URLs or attributes: those stay plain digits.
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return value
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    if isinstance(value, float) and number != value:  # a rate, not a count: keep one decimal
        return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    return number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def rule_text(rule: str) -> str:
    """`{{ hit.rule|rule_text }}`: why a watchlist term matched, in the reader's language."""
    return describe_rule(rule or "")


@register.filter
def virality_text(basis: str) -> str:
    """`{{ post.virality_basis|virality_text }}`: how virality was computed, worded."""
    return describe_virality(basis or "")
