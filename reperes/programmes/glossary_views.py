from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from reperes.fiches.models import Fiche
from reperes.fiches.pageviews import GLOSSARY, count_page_view
from reperes.programmes import glossary as glossary_content


@login_not_required
def glossary(request):
    """The programmes' key terms, public: a workshop hands the link out on its first day."""
    count_page_view(GLOSSARY)  # per month only (reperes/fiches/pageviews.py)
    terms = glossary_content.terms()
    # Only fiches loaded in this instance are linked (`manage.py load_content` loads them).
    fiches = Fiche.objects.in_bulk([slug for term in terms for slug in term.fiches], field_name="slug")
    entries = [{"term": term, "fiches": [fiches[s] for s in term.fiches if s in fiches]} for term in terms]
    return render(request, "programmes/glossary.html", {"entries": entries})
