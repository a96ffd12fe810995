from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from reperes.fiches.models import Fiche


@login_not_required
def fiche_list(request):
    fiches = Fiche.objects.all()
    return render(request, "fiches/list.html", {"fiches": fiches})


@login_not_required
def fiche_detail(request, slug):
    fiche = Fiche.objects.filter(slug=slug).first()
    version = fiche.latest_version() if fiche else None
    if version is None:
        raise Http404("Fiche introuvable")
    return render(
        request, "fiches/detail.html", {"fiche": fiche, "content": version.content, "version": version}
    )
