import html


def page_text(response):
    """The response body with HTML entities decoded, for assertions on French text."""
    return html.unescape(response.content.decode())
