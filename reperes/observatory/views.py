"""The observatory's pages for the network's staff: the latest release (key figures, tables, the
filter, past releases), a release, a table with its chart and map, the files, the key-figures
report, and the analyst's « Publier maintenant ».

Every figure comes from a stored release: nothing is computed live, so that a campaign that
closes or an organisation that withdraws cannot be read by difference between two visits.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.http import PDF, download
from reperes.lib.pdf import PdfUnavailable
from reperes.observatory import actions, charts, exports
from reperes.observatory.dimensions import DIMENSION_LABELS
from reperes.observatory.models import Release, ReleaseRequest
from reperes.organisations.access import get_network_for_user

# The dimensions a reader may filter on, in the order of the form.
FILTERS = [
    ("region", "region"),
    ("taille", "size_band"),
    ("secteur", "sector"),
    ("forme", "legal_form"),
    ("parcours", "programme"),
    ("annee", "period"),
]
# Dimensions that split organisations (a filter picks one of their values); the others (measure,
# theme, level, outcome) are what a table shows about them.
SPLITTING = {"region", "size_band", "sector", "legal_form", "programme", "period"}


def _context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def _publishing(network):
    """The release on demand being prepared, or the one that failed: what the « Publier » box
    says."""
    return ReleaseRequest.objects.filter(network=network).first()


def _releases(network):
    return list(Release.objects.filter(network=network).order_by("-number"))


def _release(network, number, releases=None):
    """The release `number` of `network`, or 404 (a number of another network too)."""
    for release in releases if releases is not None else _releases(network):
        if release.number == number:
            release.network = network
            return release
    raise Http404("Publication introuvable")


def _tables(release):
    tables = list(release.tables.order_by("position"))
    for table in tables:
        table.release = release
    return tables


def _table(release, key):
    table = release.tables.filter(key=key).first()
    if table is None:
        raise Http404("Tableau introuvable")
    table.release = release
    return table


# The filter: it reads a row, a column or a cell of the release's fixed tables.


def _values(tables):
    """{dimension: [(code, label)]}: the values of each filter dimension present in the release."""
    found = {dimension: {} for _name, dimension in FILTERS}
    for table in tables:
        for dimension, entries in (
            (table.row_dimension, table.rows),
            (table.column_dimension, table.columns),
        ):
            if dimension in found:
                for entry in entries:
                    found[dimension].setdefault(entry["code"], entry["label"])
    return {
        dimension: sorted(values.items(), key=lambda item: item[1]) for dimension, values in found.items()
    }


class FilterForm(forms.Form):
    """Region, size, sector, legal form, programme, year: only the values the release has."""

    def __init__(self, data, *, values):
        super().__init__(data)
        for name, dimension in FILTERS:
            if values[dimension]:
                self.fields[name] = forms.ChoiceField(
                    label=DIMENSION_LABELS[dimension],
                    required=False,
                    choices=[("", "Toutes")] + values[dimension],
                )

    def selection(self):
        """{dimension: (code, label)} of the values chosen."""
        if not self.is_valid():
            return {}
        chosen = {}
        for name, dimension in FILTERS:
            code = self.cleaned_data.get(name)
            if code:
                chosen[dimension] = (code, dict(self.fields[name].choices)[code])
        return chosen


def _index(entries, code):
    return next((n for n, entry in enumerate(entries) if entry["code"] == code), None)


def _read(table, selection):
    """What `table` says about the selection, or None when it cannot say it: the cell of a
    two-way table, the row (or column) of a table by measure or theme, or a row's total."""
    view = exports.shown(table)
    rows, columns = table.rows, table.columns
    row_code = selection.get(table.row_dimension, (None,))[0]
    column_code = selection.get(table.column_dimension, (None,))[0]
    i = _index(rows, row_code) if row_code is not None else None
    j = _index(columns, column_code) if column_code is not None else None
    if (row_code is not None and i is None) or (column_code is not None and j is None):
        return None
    line = view["rows"][i] if i is not None else None
    if i is not None and j is not None:
        return [(None, line["cells"][j])]
    if i is not None:
        if table.column_dimension in SPLITTING or not columns:
            return [(None, line["total"])] if line["total"] else None
        return [(column["label"], cell) for column, cell in zip(columns, line["cells"], strict=False)]
    if j is not None:
        totals = view["column_totals"]
        if table.row_dimension in SPLITTING:
            return [(None, totals[j])] if totals else None
        return [(row["label"], row["cells"][j]) for row in view["rows"]]
    return None


def filtered(tables, selection):
    """The figures of the release for the selection: from the tables whose dimensions are
    exactly the chosen ones, else from the tables that hold them with one more (their totals)."""
    chosen = set(selection)
    readings = {"exact": [], "wider": []}
    for table in tables:
        splitting = {table.row_dimension, table.column_dimension} & SPLITTING
        if not chosen <= splitting:
            continue
        items = _read(table, selection)
        if items:
            readings["exact" if splitting == chosen else "wider"].append({"table": table, "items": items})
    return readings["exact"] or readings["wider"]


# Pages


def home(request, slug):
    network = get_network_for_user(request, slug, ability="see_observatory")
    releases = _releases(network)
    if not releases:
        return render(
            request,
            "observatory/empty.html",
            _context(network, releases=releases, release=None, publishing=_publishing(network)),
        )
    return _release_page(request, network, releases[0], releases)


def release(request, slug, number):
    network = get_network_for_user(request, slug, ability="see_observatory")
    releases = _releases(network)
    return _release_page(request, network, _release(network, number, releases), releases)


def _release_page(request, network, current, releases):
    current.network = network
    tables = _tables(current)
    if not tables:
        return render(
            request,
            "observatory/empty.html",
            _context(network, releases=releases, release=current, publishing=_publishing(network)),
        )
    form = FilterForm(request.GET or None, values=_values(tables))
    selection = form.selection()
    return render(
        request,
        "observatory/release.html",
        _context(
            network,
            release=current,
            is_latest=current == releases[0],
            releases=releases,
            figures=exports.key_figures(current, tables),
            groups=exports.grouped(tables),
            form=form,
            publishing=_publishing(network),
            selection=selection,
            selection_label=" · ".join(label for _code, label in selection.values()),
            readings=filtered(tables, selection) if selection else [],
        ),
    )


def table(request, slug, number, key):
    network = get_network_for_user(request, slug, ability="see_observatory")
    releases = _releases(network)
    current = _release(network, number, releases)
    shown_table = _table(current, key)
    view = exports.shown(shown_table)
    index = exports.chart_column(shown_table, request.GET.get("colonne"))
    column = shown_table.columns[index] if shown_table.columns else None
    chart_items = exports.column_cells(view, index)
    of_column = f" : {column['label']}" if column and len(shown_table.columns) > 1 else ""
    previous = next((r for r in releases if r.number < current.number), None)
    previous_view = None
    compare_asked = bool(request.GET.get("comparer"))
    if previous is not None and compare_asked:
        previous.network = network
        previous_table = previous.tables.filter(key=key).first()
        if previous_table is not None:
            previous_table.release = previous
            previous_view = exports.shown(previous_table)
    return render(
        request,
        "observatory/table.html",
        _context(
            network,
            release=current,
            table=shown_table,
            view=view,
            column=column,
            two_way=len(shown_table.columns) > 1,
            chart=charts.bars(chart_items, unit=shown_table.unit),
            region_map=(
                exports.region_map(view, index, unit=shown_table.unit)
                if shown_table.row_dimension == "region"
                else None
            ),
            # The map goes beside a narrow table; under a wide one, beside the chart.
            map_beside_table=shown_table.row_dimension == "region" and len(shown_table.columns) <= 3,
            previous=previous,
            previous_view=previous_view,
            compare_asked=compare_asked,
            now_caption=f"publication n° {current.number}",
            before_caption=f"publication n° {previous.number}" if previous else "",
            chart_title=f"{shown_table.title}{of_column}",
            map_title=f"Carte des régions : {shown_table.title}{of_column}",
        ),
    )


def table_csv(request, slug, number, key):
    network = get_network_for_user(request, slug, ability="see_observatory")
    return exports.csv_response(_table(_release(network, number), key))


def table_xlsx(request, slug, number, key):
    network = get_network_for_user(request, slug, ability="see_observatory")
    return exports.xlsx_response(_table(_release(network, number), key))


def key_figures_pdf(request, slug, number):
    network = get_network_for_user(request, slug, ability="see_observatory")
    current = _release(network, number)
    try:
        pdf = exports.key_figures_pdf(current, lambda: _tables(current))
    except PdfUnavailable as reason:
        return HttpResponse(str(reason), status=503, content_type="text/plain; charset=utf-8")
    return download(pdf, filename=f"chiffres-cles-{network.slug}-{current.number}.pdf", content_type=PDF)


@require_POST
def publish(request, slug):
    network = get_network_for_user(request, slug, ability="request_release")
    try:
        published = actions.request_release(network, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("observatory:home", network.slug)
    if published is None:
        messages.success(
            request,
            "La publication est en préparation : pour un grand réseau, cela prend quelques minutes. "
            "Elle paraîtra dans la liste des publications dès qu'elle sera prête.",
        )
        return redirect("observatory:home", network.slug)
    messages.success(request, f"La publication n° {published.number} est en ligne.")
    return redirect("observatory:release", network.slug, published.number)
