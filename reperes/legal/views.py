from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from reperes.legal.references import KINDS, get_references


@login_not_required
def reference_list(request):
    references = list(get_references().values())
    today = timezone.localdate()
    allowance = get_references()["allocation-teletravail"]
    current = allowance.parameters_on(today)
    return render(
        request,
        "legal/references.html",
        {
            "groups": [(label, [r for r in references if r.kind == kind]) for kind, label in KINDS.items()],
            "allowance": allowance,
            "current": current,
            # A scale from an earlier year may have been revalued since: say so.
            "current_may_be_stale": current is not None and current.valid_from.year < today.year,
        },
    )
