"""Markdown from content files, rendered through an allow-list sanitiser (nh3)."""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text):
    """Safe HTML for `text`: anything outside the allow-list (scripts, styles, images,
    headings, raw HTML attributes) is removed; links get rel="noopener noreferrer"."""
    text = text or ""
    return _remembered(text) if len(text) <= REMEMBERED_LENGTH else _rendered(text)


# The same summaries (offers, library items, listings) are rendered on page after page: the HTML
# of a text depends on the text alone, so each process renders a short one once (about a
# millisecond each) and keeps at most 2,048 of them (a few megabytes).
REMEMBERED_LENGTH = 2000


def _rendered(text):
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    return mark_safe(  # noqa: S308 - sanitised just above by an allow-list
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


_remembered = lru_cache(maxsize=2048)(_rendered)
