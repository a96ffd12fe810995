"""A network's questionnaire draft, page by page, exactly as a respondent will see it: the same
forms and templates as the answering pages, with nothing to submit. It lives here because the
answering forms are the campaigns app's; the draft itself is reperes.instruments'."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from reperes.campaigns.forms import FreeTextForm, ThemeAnswersForm
from reperes.instruments.views import get_draft
from reperes.organisations.access import get_network_for_user


def draft_preview(request, slug, draft_id, number):
    """Page `number` of the draft: its themes one by one, then its open questions."""
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    spec = draft.spec
    pages = len(spec.themes) + (1 if spec.text_items else 0)
    if not 1 <= number <= pages:
        raise Http404("Page introuvable")

    def page_url(n):
        return (
            reverse("campaigns:draft_preview", args=[network.slug, draft.pk, n]) if 1 <= n <= pages else None
        )

    context = {
        "draft": draft,
        "network": network,
        "number": number,
        "pages": pages,
        "theme_count": len(spec.themes),
        "previous_url": page_url(number - 1),
        "next_url": page_url(number + 1),
    }
    if number <= len(spec.themes):
        theme = spec.themes[number - 1]
        context.update(theme=theme, form=ThemeAnswersForm(theme=theme, scale=spec.scale))
    else:
        context.update(free_text=spec.free_text, form=FreeTextForm(items=spec.text_items))
    return render(request, "answer/preview.html", context)
