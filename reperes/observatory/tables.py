"""The fixed catalogue of the observatory's tables, and how each is built from the facts.

Every release holds the same tables (a table whose figure has no data that period is a table of
empty cells). A table aggregates the facts of the contributing organisations into cells of
contributions, one per organisation, and hands them to disclosure.protect, which decides what
is shown; only what is shown is stored (ReleaseTable.data).

Two rules for the tables built from team diagnostics (TEAM): only a campaign with at least k
respondents gives scores (facts.py), and an organisation whose responses in a cell are fewer
than k does not enter that cell at all (disclosure.md: « contributions under k never enter »).
"""

from dataclasses import dataclass, field

from django.conf import settings

from reperes.instruments import frameworks
from reperes.instruments.models import Questionnaire, QuestionnaireVersion, Use
from reperes.listings.models import Listing
from reperes.matchmaking.models import Case
from reperes.observatory import dimensions
from reperes.observatory.facts import QVT
from reperes.programmes.models import Programme
from reperes.requests.models import Request

BREAKDOWNS = ["region", "size_band", "sector", "legal_form", "programme"]
BREAKDOWN_WORDS = {
    "region": "par région",
    "size_band": "par taille",
    "sector": "par secteur",
    "legal_form": "par forme juridique",
    "programme": "par parcours suivi",
    "period": "par année",
}


@dataclass
class TableSpec:
    key: str
    figure: str
    title: str
    definition: str
    unit: str
    rule: str  # disclosure.TEAM or disclosure.PER_ORG
    rows: str  # a dimension of the organisation, or theme / period
    columns: str  # a dimension, or measure / theme / level / outcome
    kind: str  # how a shown cell's figure is displayed: count | mean | share | rate
    row_totals: bool = False
    column_totals: bool = True
    instrument: str = ""
    extra: dict = field(default_factory=dict)


def _team():
    from reperes.observatory.disclosure import TEAM

    return TEAM


def _per_org():
    from reperes.observatory.disclosure import PER_ORG

    return PER_ORG


PARTICIPATION_DEFINITION = (
    "Diagnostics d'équipe clôturés pendant la période, réponses reçues, et part des invitations "
    "personnelles qui ont reçu une réponse (pour les diagnostics qui en ont envoyé). Seules les "
    "structures qui ont accepté de contribuer aux statistiques du réseau sont comptées, et "
    "seulement lorsque leurs réponses atteignent le seuil d'anonymat."
)
QVT_DEFINITION = (
    "Score moyen sur 5 de chaque thème du diagnostic de la qualité de vie au travail, pondéré par le "
    "nombre de réponses : pour chaque structure, son dernier diagnostic « QVT » clôturé pendant "
    "la période, s'il a réuni au moins le seuil d'anonymat de réponses."
)

DETERMINANTS_DEFINITION = (
    "Les mêmes diagnostics « QVT » lus par les six déterminants de la qualité de vie au travail "
    "(relations et climat social, contenu du travail, santé, compétences et parcours, égalité "
    "professionnelle, management) : pour chaque structure, la moyenne sur 5 des affirmations qui "
    "touchent le déterminant, calculée à la clôture, puis la moyenne des structures pondérée par "
    "leur nombre de réponses."
)


def determinant_codes():
    """The tags of the six LAB'QVT determinants, in the frameworks' order (the first view)."""
    _framework, group, _name = frameworks.views()[0]
    return [entry["tag"] for entry in group["entries"]]


def catalogue(network=None, *, labels=None):
    """The tables of a release, in their order. The instruments other than the QVT diagnostic
    come from the team questionnaires loaded (one query); the maturity levels from `labels`."""
    levels = [code for code, _ in (labels or Labels()).levels]
    team, per_org = _team(), _per_org()
    specs = []
    for dimension in [*BREAKDOWNS, "period"]:
        specs.append(
            TableSpec(
                key=f"participation-{dimension.replace('_', '-')}",
                figure="participation",
                title=f"Participation aux diagnostics {BREAKDOWN_WORDS[dimension]}",
                definition=PARTICIPATION_DEFINITION,
                unit="diagnostics, réponses, taux en %",
                rule=team,
                rows=dimension,
                columns="measure",
                kind="participation",
                # An organisation in several programmes is in several rows: no column total.
                column_totals=dimension != "programme",
                extra={"measures": ["campaigns", "responses", "rate"]},
            )
        )
    specs.append(
        TableSpec(
            key="reponses-region-taille",
            figure="participation",
            title="Réponses aux diagnostics par région et par taille",
            definition=PARTICIPATION_DEFINITION,
            unit="réponses",
            rule=team,
            rows="region",
            columns="size_band",
            kind="count",
            row_totals=True,
        )
    )
    for dimension in BREAKDOWNS:
        specs.append(
            TableSpec(
                key=f"qvt-{dimension.replace('_', '-')}",
                figure="qvt",
                title=f"Qualité de vie au travail : scores des six thèmes {BREAKDOWN_WORDS[dimension]}",
                definition=QVT_DEFINITION,
                unit="score moyen sur 5",
                rule=team,
                rows=dimension,
                columns="theme",
                kind="mean",
                column_totals=dimension != "programme",
                instrument=QVT,
            )
        )
    specs.append(
        TableSpec(
            key="qvt-region-taille",
            figure="qvt",
            title="Qualité de vie au travail : score moyen par région et par taille",
            definition=QVT_DEFINITION + " Le score d'une structure est la moyenne de ses six thèmes.",
            unit="score moyen sur 5",
            rule=team,
            rows="region",
            columns="size_band",
            kind="mean",
            instrument=QVT,
        )
    )
    for dimension in BREAKDOWNS:
        specs.append(
            TableSpec(
                key=f"determinants-{dimension.replace('_', '-')}",
                figure="determinants",
                title=f"Qualité de vie au travail : les six déterminants {BREAKDOWN_WORDS[dimension]}",
                definition=DETERMINANTS_DEFINITION,
                unit="score moyen sur 5",
                rule=team,
                rows=dimension,
                columns="determinant",
                kind="mean",
                column_totals=dimension != "programme",
                instrument=QVT,
            )
        )
    slugs = Questionnaire.objects.filter(use=Use.TEAM).exclude(slug=QVT).order_by("slug")
    for questionnaire in slugs.values("slug", "title"):
        specs.append(
            TableSpec(
                key=f"instrument-{questionnaire['slug']}",
                figure=f"instrument:{questionnaire['slug']}",
                title=f"{questionnaire['title']} : scores par région",
                definition=(
                    f"Score moyen sur 5 de chaque thème du questionnaire « {questionnaire['title']} », "
                    "pondéré par le nombre de réponses : le dernier diagnostic de chaque structure "
                    "clôturé pendant la période, s'il a réuni au moins le seuil d'anonymat de réponses."
                ),
                unit="score moyen sur 5",
                rule=team,
                rows="region",
                columns="theme",
                kind="mean",
                instrument=questionnaire["slug"],
            )
        )
    specs.append(
        TableSpec(
            key="evolution-qvt",
            figure="change",
            title="Évolution entre deux diagnostics QVT (T0 → T1)",
            definition=(
                "Pour les structures qui ont répondu deux fois au diagnostic QVT : score moyen sur 5 "
                "de chaque thème à leur premier diagnostic (T0) et à leur dernier (T1), "
                "pondéré par le plus petit des deux nombres de réponses."
            ),
            unit="score moyen sur 5",
            rule=team,
            rows="theme",
            columns="measure",
            kind="mean",
            column_totals=False,
            instrument=QVT,
            extra={"measures": ["before", "after"]},
        )
    )
    for dimension in ["region", "size_band"]:
        specs.append(
            TableSpec(
                key=f"maturite-{dimension.replace('_', '-')}",
                figure="maturity",
                title=f"Maturité numérique : structures à chaque niveau {BREAKDOWN_WORDS[dimension]}",
                definition=(
                    "Part des structures à chaque niveau de leur dernier autodiagnostic de maturité "
                    "numérique terminé avant la fin de la période, parmi celles qui en ont fait un."
                ),
                unit="% des structures",
                rule=per_org,
                rows=dimension,
                columns="level",
                kind="share",
                extra={"levels": levels},
            )
        )
    specs.append(
        TableSpec(
            key="actions-theme",
            figure="actions",
            title="Plans d'action : actions ouvertes et faites par thème",
            definition=(
                "Nombre d'actions créées et d'actions faites pendant la période dans les plans "
                "d'action des structures, par thème du diagnostic dont elles viennent."
            ),
            unit="actions",
            rule=per_org,
            rows="theme",
            columns="measure",
            kind="count",
            extra={"measures": ["opened", "done"]},
        )
    )
    for dimension in ["region", "size_band"]:
        specs.append(
            TableSpec(
                key=f"chartes-{dimension.replace('_', '-')}",
                figure="charters",
                title=f"Chartes de télétravail adoptées {BREAKDOWN_WORDS[dimension]}",
                definition=(
                    "Nombre de structures contributrices qui ont adopté une charte ou un accord de "
                    "télétravail avant la fin de la période, et part qu'elles représentent."
                ),
                unit="structures",
                rule=per_org,
                rows=dimension,
                columns="measure",
                kind="count",
                extra={"measures": ["adopted"]},
            )
        )
    specs.append(
        TableSpec(
            key="demandes-region",
            figure="requests",
            title="Demandes d'accompagnement closes, par région et par issue",
            definition=(
                "Nombre de demandes d'accompagnement adressées au réseau et closes pendant la période, "
                "selon leur issue."
            ),
            unit="demandes",
            rule=per_org,
            rows="region",
            columns="outcome",
            kind="count",
            row_totals=True,
        )
    )
    cases_definition = (
        "Dossiers de mise en lien clos pendant la période, comptés pour la structure qui avait le "
        "besoin, selon leur issue ; les heures et jours partagés sont ceux des partages réalisés."
    )
    specs.append(
        TableSpec(
            key="mises-en-lien-categorie",
            figure="cases",
            title="Mises en lien closes, par catégorie et par issue",
            definition=cases_definition,
            unit="dossiers",
            rule=per_org,
            rows="category",
            columns="case_outcome",
            kind="count",
            row_totals=True,
        )
    )
    specs.append(
        TableSpec(
            key="mises-en-lien-region",
            figure="cases",
            title="Mises en lien closes, par région et par issue",
            definition=cases_definition,
            unit="dossiers",
            rule=per_org,
            rows="region",
            columns="case_outcome",
            kind="count",
            row_totals=True,
        )
    )
    specs.append(
        TableSpec(
            key="mises-en-lien-volume",
            figure="cases",
            title="Heures et jours partagés par les mises en lien réalisées, par catégorie",
            definition=cases_definition,
            unit="heures, jours",
            rule=per_org,
            rows="category",
            columns="measure",
            kind="count",
            extra={"measures": ["hours", "days"]},
        )
    )
    return specs


# ---------------------------------------------------------------------------------------------
# Contributions


def _rows_of(record, dimension):
    if dimension == "programme":
        return list(record.programmes)
    return [record.dimension(dimension)]


def contributions(spec, facts, *, k):
    """{(row, column): [Contribution…]} of `spec` for the facts {organisation: OrganisationFacts},
    and, for participation rates, the invitations sent behind each cell ({(row, col): {org: n}})."""
    from reperes.observatory.disclosure import Contribution

    cells = {}
    sent = {}

    def add(row, column, organisation, value, weight=1, answer=None, invitations=None):
        cells.setdefault((row, column), []).append(
            Contribution(organisation=organisation, value=value, weight=weight, answer=answer)
        )
        if invitations is not None:
            sent.setdefault((row, column), {})[organisation] = invitations

    for record in facts.values():
        figures = record.figures
        org = record.organisation
        if spec.figure == "participation":
            years = figures.get("years", {})
            if spec.rows == "period":
                per_row = {year: [numbers] for year, numbers in years.items()}
            else:
                per_row = {row: list(years.values()) for row in _rows_of(record, spec.rows)}
            for row, numbers in per_row.items():
                campaigns = sum(n["campaigns"] for n in numbers)
                responses = sum(n["responses"] for n in numbers)
                if not campaigns or responses < k:
                    continue
                if spec.columns == "measure":
                    add(row, "campaigns", org, campaigns, responses)
                    add(row, "responses", org, responses, responses)
                    invited = sum(n["sent"] for n in numbers)
                    if invited:
                        add(
                            row,
                            "rate",
                            org,
                            sum(n["answered"] for n in numbers),
                            responses,
                            invitations=invited,
                        )
                else:
                    add(row, record.dimension(spec.columns), org, responses, responses)
        elif spec.figure == "qvt" or spec.figure.startswith("instrument:"):
            taken = figures.get("instruments", {}).get(spec.instrument)
            if not taken or taken["respondents"] < k:
                continue
            respondents, scores = taken["respondents"], taken["scores"]
            for row in _rows_of(record, spec.rows):
                if spec.columns == "theme":
                    for theme, score in scores.items():
                        add(row, theme, org, score * respondents, respondents)
                else:
                    mean = sum(scores.values()) / len(scores)
                    add(row, record.dimension(spec.columns), org, mean * respondents, respondents)
        elif spec.figure == "determinants":
            taken = figures.get("instruments", {}).get(spec.instrument)
            if not taken or taken["respondents"] < k:
                continue
            respondents = taken["respondents"]
            for row in _rows_of(record, spec.rows):
                for tag, score in taken.get("determinants", {}).items():
                    add(row, tag, org, score * respondents, respondents)
        elif spec.figure == "change":
            change = figures.get("change", {}).get(spec.instrument)
            if not change or change["respondents"] < k:
                continue
            weight = change["respondents"]
            for theme in set(change["before"]) & set(change["after"]):
                add(theme, "before", org, change["before"][theme] * weight, weight)
                add(theme, "after", org, change["after"][theme] * weight, weight)
        elif spec.figure == "maturity":
            level = figures.get("maturity")
            if not level:
                continue
            for row in _rows_of(record, spec.rows):
                # Every organisation with a level is in every cell of its row (1 at its level, 0
                # elsewhere): a cell is a share of the row, and a row where all gave the same
                # level is unanimous.
                for column in spec.extra["levels"]:
                    add(row, column, org, 1 if column == level else 0, 1, answer=level)
        elif spec.figure == "actions":
            for theme, numbers in figures.get("actions", {}).items():
                for measure in ("opened", "done"):
                    if numbers.get(measure):
                        add(theme, measure, org, numbers[measure], 1)
        elif spec.figure == "charters":
            adopted = bool(figures.get("charter"))
            for row in _rows_of(record, spec.rows):
                add(row, "adopted", org, 1 if adopted else 0, 1, answer=adopted)
        elif spec.figure == "cases":
            cases = figures.get("cases", {})
            if not cases:
                continue
            if spec.rows == "category":
                for category, numbers in cases.items():
                    if spec.columns == "measure":
                        for measure in spec.extra["measures"]:
                            if numbers.get(measure):
                                add(category, measure, org, numbers[measure], 1)
                        continue
                    answer = tuple(sorted(o for o in CASE_OUTCOMES if numbers.get(o)))
                    for outcome in CASE_OUTCOMES:
                        if numbers.get(outcome):
                            add(category, outcome, org, numbers[outcome], 1, answer=answer)
            else:
                totals = {o: sum(numbers.get(o, 0) for numbers in cases.values()) for o in CASE_OUTCOMES}
                answer = tuple(sorted(o for o, n in totals.items() if n))
                for row in _rows_of(record, spec.rows):
                    for outcome, n in totals.items():
                        if n:
                            add(row, outcome, org, n, 1, answer=answer)
        elif spec.figure == "requests":
            outcomes = figures.get("requests", {})
            if not outcomes:
                continue
            answer = tuple(sorted(outcomes))
            for row in _rows_of(record, spec.rows):
                for outcome, n in outcomes.items():
                    add(row, outcome, org, n, 1, answer=answer)
    return cells, sent


# ---------------------------------------------------------------------------------------------
# Labels


MEASURE_LABELS = {
    "campaigns": "Diagnostics clôturés",
    "responses": "Réponses",
    "rate": "Taux de réponse aux invitations (%)",
    "before": "T0 (premier diagnostic)",
    "after": "T1 (dernier diagnostic)",
    "opened": "Actions ouvertes",
    "done": "Actions faites",
    "adopted": "Structures avec une charte adoptée",
    "hours": "Heures partagées",
    "days": "Jours partagés",
}
CASE_OUTCOMES = [Case.Outcome.DONE.value, Case.Outcome.ABANDONED.value]


class Labels:
    """The labels of every code a table may show, read once per release (a few queries)."""

    def __init__(self):
        self._themes = {}
        self._theme_order = {}
        versions = (
            QuestionnaireVersion.objects.filter(questionnaire__use__in=[Use.TEAM, Use.ORGANISATION])
            .select_related("questionnaire")
            .order_by("questionnaire__slug", "-number")
        )
        self.levels = []
        seen = set()
        for version in versions:
            slug = version.questionnaire.slug
            if slug in seen:
                continue
            seen.add(slug)
            spec = version.spec
            if version.questionnaire.use == Use.ORGANISATION:
                if slug == "maturite-numerique":
                    self.levels = [(level["id"], level["label"]) for level in spec.levels]
                continue
            self._theme_order[slug] = [theme["id"] for theme in spec.themes]
            for theme in spec.themes:
                self._themes.setdefault(theme["id"], theme.get("short_title") or theme["title"])
        self.programmes = dict(Programme.objects.values_list("slug", "title"))
        self.outcomes = dict(Request.Outcome.choices)

    def themes_of(self, slug):
        return self._theme_order.get(slug, [])

    def label(self, dimension, code):
        if dimension == "theme":
            return self._themes.get(code, code)
        if dimension == "measure":
            return MEASURE_LABELS.get(code, code)
        if dimension == "determinant":
            return frameworks.label(code)
        if dimension == "level":
            return dict(self.levels).get(code, code)
        if dimension == "outcome":
            return self.outcomes.get(code, code)
        if dimension == "category":
            return dict(Listing.Category.choices).get(code, code)
        if dimension == "case_outcome":
            return dict(Case.Outcome.choices).get(code, code)
        if dimension == "programme":
            return self.programmes.get(code, code)
        if dimension == "period":
            return str(code)
        return dimensions.label(dimension, code)


def axis(dimension, codes_seen, spec, labels):
    """The ordered codes of a table's rows or columns: the fixed list where there is one (size
    bands, measures, themes, levels, outcomes), else the codes present in the data, sorted by
    label; « non renseigné » last."""
    if dimension == "size_band":
        codes = [code for code, _ in dimensions.size_band_choices()]
        codes += sorted(code for code in codes_seen if code not in codes)
    elif dimension == "measure":
        codes = list(spec.extra["measures"])
    elif dimension == "theme" and spec.instrument:
        codes = labels.themes_of(spec.instrument)
        codes += sorted(code for code in codes_seen if code not in codes)
    elif dimension == "determinant":
        codes = determinant_codes()
    elif dimension == "level":
        codes = [code for code, _ in labels.levels]
    elif dimension == "outcome":
        codes = [code for code in labels.outcomes]
    elif dimension == "category":
        codes = list(Listing.Category.values)
    elif dimension == "case_outcome":
        codes = list(CASE_OUTCOMES)
    elif dimension == "period":
        codes = sorted(codes_seen)
    else:
        codes = sorted((code for code in codes_seen if code), key=lambda c: labels.label(dimension, c))
        if dimensions.UNKNOWN in codes_seen:
            codes.append(dimensions.UNKNOWN)
    return codes


def dimension_codes(spec, facts):
    """The codes of `spec.rows` / columns present among the contributing organisations (so that
    an organisation-dimension row exists even when its cells are empty)."""
    seen = set()
    for record in facts.values():
        if spec.rows in ("region", "sector", "legal_form", "size_band"):
            seen.add(record.dimension(spec.rows))
        elif spec.rows == "programme":
            seen.update(record.programmes)
    return seen


# ---------------------------------------------------------------------------------------------
# Building


EMPTY = {"v": None, "n": 0, "w": 0, "why": "empty"}


def _display(spec, column, cell, sent):
    """The figure shown for a protected cell, as stored in ReleaseTable.data."""
    if not cell.shown:
        return {"v": None, "n": None, "w": None, "why": cell.reason}
    stored = {"v": None, "n": cell.organisations, "w": cell.weight, "why": cell.reason}
    if cell.reason == "empty" or not cell.organisations:
        stored.update(v=None, n=0, w=0, why="empty")
        return stored
    kind = spec.kind
    if kind == "participation":
        kind = "rate" if column == "rate" else "count"
    if kind == "count":
        stored["v"] = round(cell.value)
    elif kind == "mean":
        stored["v"] = round(cell.value / cell.weight, 2) if cell.weight else None
    elif kind == "share":
        stored["v"] = round(100 * cell.value / cell.organisations, 1)
    elif kind == "rate":
        stored["v"] = round(100 * cell.value / sent, 1) if sent else None
    return stored


def _column_sent(sent, column):
    per_organisation = {}
    for (_row, col), per in sent.items():
        if col == column:
            per_organisation.update(per)
    return sum(per_organisation.values())


def prepare(spec, facts, *, k, labels):
    """(cells, sent, row codes, column codes) of `spec`: its contributions on its full grid."""
    cells, sent = contributions(spec, facts, k=k)
    row_codes = axis(spec.rows, {row for row, _ in cells} | dimension_codes(spec, facts), spec, labels)
    column_codes = axis(spec.columns, {column for _, column in cells}, spec, labels)
    rows_set, columns_set = set(row_codes), set(column_codes)
    cells = {key: value for key, value in cells.items() if key[0] in rows_set and key[1] in columns_set}
    for row in row_codes:
        for column in column_codes:
            cells.setdefault((row, column), [])
    return cells, sent, row_codes, column_codes


def protect_prepared(spec, prepared, *, k, known, previous=None, hide=()):
    from reperes.observatory.disclosure import protect

    cells, _sent, row_codes, column_codes = prepared
    return protect(
        cells,
        rule=spec.rule,
        k=k,
        known=known,
        row_totals=spec.row_totals,
        column_totals=spec.column_totals,
        previous=previous,
        rows=row_codes,
        columns=column_codes,
        hide=hide,
    )


def build_table(spec, facts, *, k, known, labels, previous=None, prepared=None, protected=None):
    """(rows, columns, data, cells) of `spec` protected by disclosure.protect; `previous` is the
    same table's PreviousTable of the previous release, or None. `prepared` and `protected`,
    when given, are `prepare`'s result and the table already protected (`protect_release`)."""
    prepared = prepared or prepare(spec, facts, k=k, labels=labels)
    cells, sent, row_codes, column_codes = prepared
    if protected is None:
        protected = protect_prepared(spec, prepared, k=k, known=known, previous=previous)

    grid = []
    for row in row_codes:
        line = []
        for column in column_codes:
            cell = protected.cells.get((row, column))
            sent_here = sum(sent.get((row, column), {}).values())
            line.append(_display(spec, column, cell, sent_here) if cell else EMPTY)
        grid.append(line)
    data = {"cells": grid, "row_totals": None, "column_totals": None, "total": None}
    if spec.row_totals:
        data["row_totals"] = [
            _display(spec, None, protected.row_totals[row], 0) if row in protected.row_totals else None
            for row in row_codes
        ]
    if spec.column_totals:
        data["column_totals"] = [
            _display(spec, column, protected.column_totals[column], _column_sent(sent, column))
            if column in protected.column_totals
            else None
            for column in column_codes
        ]
    if spec.row_totals and spec.column_totals and protected.total is not None:
        data["total"] = _display(spec, None, protected.total, 0)
    rows = [{"code": code, "label": labels.label(spec.rows, code)} for code in row_codes]
    columns = [{"code": code, "label": labels.label(spec.columns, code)} for code in column_codes]
    return rows, columns, data, cells


# ---------------------------------------------------------------------------------------------
# Linked tables: the figures that several tables of a release count, protected together


LINKED_FIGURES = ("participation", "qvt", "determinants", "maturity", "charters")
# Up to this many contributing organisations (a national network and more) the tables are
# audited jointly; its linear programmes grow with them (docs/disclosure.md, « Linked tables »).
LINKED_ORGANISATIONS_LIMIT = 50_000


def linked_terms(spec, facts, *, k):
    """What each inner cell of `spec` adds up, in pieces shared with the other tables of the
    release (disclosure.LinkedTable): ({(row, col): {quantity: {piece: coefficient}}}, {piece:
    (value, low, high)}, {quantity: measure}), or None for a table linked to no other.

    - participation: the responses of an organisation in a year, ("responses", org, year), at
      least k (an organisation counts from k responses), are the responses column, the weight of
      every cell (the responses behind it) and the cells of the region × size table; its
      campaigns, ("campaigns", org, year), the campaigns column;
    - QVT: its theme score times its respondents, ("qvt", org, theme), between 0 and 5 times
      its respondents (known to the reader, who sees the weights); the region × size table adds
      up the mean of its themes;
    - determinants: the same with its score by determinant, ("determinant", org, tag);
    - maturity: ("maturity", org, level), 1 at its level and 0 elsewhere;
    - charters: ("charter", org, ""), 1 when it adopted one."""
    from reperes.observatory.disclosure import COUNT, SUM

    if spec.figure not in LINKED_FIGURES:
        return None
    terms, pieces = {}, {}

    def put(row, column, quantity, piece, coefficient=1.0):
        into = terms.setdefault((row, column), {}).setdefault(quantity, {})
        into[piece] = into.get(piece, 0.0) + coefficient

    for record in facts.values():
        figures = record.figures
        org = record.organisation
        if spec.figure == "participation":
            years = figures.get("years", {})
            if spec.rows == "period":
                per_row = {year: [year] for year in years}
            else:
                per_row = {row: list(years) for row in _rows_of(record, spec.rows)}
            for row, chosen in per_row.items():
                campaigns = sum(years[year]["campaigns"] for year in chosen)
                responses = sum(years[year]["responses"] for year in chosen)
                if not campaigns or responses < k:
                    continue
                for year in chosen:
                    n = years[year]
                    pieces[("responses", org, year)] = (n["responses"], min(k, n["responses"]), None)
                    pieces[("campaigns", org, year)] = (n["campaigns"], 0, None)
                    if spec.columns != "measure":
                        put(row, record.dimension(spec.columns), "responses", ("responses", org, year))
                        continue
                    put(row, "campaigns", "campaigns", ("campaigns", org, year))
                    put(row, "campaigns", "responses", ("responses", org, year))
                    put(row, "responses", "responses", ("responses", org, year))
                    if sum(years[y]["sent"] for y in chosen):
                        put(row, "rate", "responses", ("responses", org, year))
        elif spec.figure == "qvt":
            taken = figures.get("instruments", {}).get(spec.instrument)
            if not taken or taken["respondents"] < k:
                continue
            respondents, scores = taken["respondents"], taken["scores"]
            for theme, score in scores.items():
                pieces[("qvt", org, theme)] = (score * respondents, 0.0, 5.0 * respondents)
            for row in _rows_of(record, spec.rows):
                for theme in scores:
                    if spec.columns == "theme":
                        put(row, theme, "qvt", ("qvt", org, theme))
                    else:
                        put(row, record.dimension(spec.columns), "qvt", ("qvt", org, theme), 1 / len(scores))
        elif spec.figure == "determinants":
            taken = figures.get("instruments", {}).get(spec.instrument)
            if not taken or taken["respondents"] < k:
                continue
            respondents = taken["respondents"]
            for tag, score in taken.get("determinants", {}).items():
                pieces[("determinant", org, tag)] = (score * respondents, 0.0, 5.0 * respondents)
            for row in _rows_of(record, spec.rows):
                for tag in taken.get("determinants", {}):
                    put(row, tag, "determinant", ("determinant", org, tag))
        elif spec.figure == "maturity":
            level = figures.get("maturity")
            if not level:
                continue
            for column in spec.extra["levels"]:
                pieces[("maturity", org, column)] = (1 if column == level else 0, 0, 1)
            for row in _rows_of(record, spec.rows):
                for column in spec.extra["levels"]:
                    put(row, column, "maturity", ("maturity", org, column))
        elif spec.figure == "charters":
            pieces[("charter", org, "")] = (1 if figures.get("charter") else 0, 0, 1)
            for row in _rows_of(record, spec.rows):
                put(row, "adopted", "charter", ("charter", org, ""))
    measures = {
        "responses": COUNT,
        "campaigns": COUNT,
        "qvt": SUM,
        "determinant": SUM,
        "maturity": COUNT,
        "charter": COUNT,
    }
    return terms, pieces, measures


def identities(facts, *, labels):
    """The sums every reader knows: an organisation with a maturity level has exactly one."""
    levels = [code for code, _ in labels.levels]
    found = []
    for record in facts.values():
        if record.figures.get("maturity") in levels:
            found.append(({("maturity", record.organisation, level): 1.0 for level in levels}, 1.0))
    return found


def protect_release(specs, facts, *, k, known, labels, previous):
    """({table key: (prepared, ProtectedTable)}, disclosure.LinkedResult) of the tables of a
    release: each protected on its own, and those that count the same figures of the same
    organisations (LINKED_FIGURES) protected together by disclosure.protect_linked, up to
    LINKED_ORGANISATIONS_LIMIT contributing organisations."""
    done = {}
    themes = [spec for spec in specs if spec.figure != "determinants"]
    result = _protect_together(themes, facts, k=k, known=known, labels=labels, previous=previous, done=done)
    # The determinant tables after the theme tables: a determinant's score and the themes' come
    # from the same answers, in sums that the joint audit does not relate (it sees no statement).
    # So a row where the theme table of the same breakdown hides a figure is hidden whole in the
    # determinant table, which can then tell nothing about it that its theme row withholds.
    determinants = [spec for spec in specs if spec.figure == "determinants"]
    if determinants:
        withheld = {}
        for spec in determinants:
            theme_table = done.get(spec.key.replace("determinants-", "qvt-"), (None, None))[1]
            withheld[spec.key] = (
                {row for (row, _col), cell in theme_table.cells.items() if not cell.shown and not cell.empty}
                if theme_table is not None
                else set()
            )
        more = _protect_together(
            determinants,
            facts,
            k=k,
            known=known,
            labels=labels,
            previous=previous,
            done=done,
            withheld=withheld,
        )
        result.tables.update(more.tables)
        result.unresolved += more.unresolved
        result.unchecked += more.unchecked
        result.fallback += more.fallback
    return done, result


def _protect_together(specs, facts, *, k, known, labels, previous, done, withheld=None):
    """protect_release's work for `specs`, protected together; `withheld`: {table key: rows hidden
    whole}. Fills `done`, returns protect_linked's LinkedResult."""
    from reperes.observatory.disclosure import LinkedTable, protect_linked

    linked, pieces = {}, {}
    for spec in specs:
        prepared = prepare(spec, facts, k=k, labels=labels)
        rows = (withheld or {}).get(spec.key, set())
        forced = {(row, column): "linked" for row in rows for column in prepared[3]}

        def protect_it(hide=(), spec=spec, prepared=prepared, forced=forced):
            hide = {**forced, **(hide if isinstance(hide, dict) else dict.fromkeys(hide, "linked"))}
            return protect_prepared(
                spec, prepared, k=k, known=known, previous=previous.get(spec.key), hide=hide
            )

        found = linked_terms(spec, facts, k=k) if len(facts) <= LINKED_ORGANISATIONS_LIMIT else None
        if found is None:
            done[spec.key] = (prepared, protect_it())
            continue
        terms, table_pieces, measures = found
        pieces.update(table_pieces)
        done[spec.key] = (prepared, None)
        linked[spec.key] = LinkedTable(protect=protect_it, terms=terms, measures=measures)
    result = protect_linked(
        linked, pieces=pieces, k=k, known=known, identities=identities(facts, labels=labels)
    )
    for key, protected in result.tables.items():
        done[key] = (done[key][0], protected)
    return result


def default_k():
    return settings.ANONYMITY_THRESHOLD
