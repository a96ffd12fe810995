import datetime

from django import template

from reperes.lib.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def parse_iso_date(value):
    """« 2023-07-21 » (as stored in JSON documents) → a date for the `date` filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
