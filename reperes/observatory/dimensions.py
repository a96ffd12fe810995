"""The breakdowns of the observatory's tables: size bands by number of employees, and the labels
of every dimension a table may have for rows or columns.

Size bands count employees (salarié·es), not headcount: they express the programmes' cut-offs
and the legal 11-employee threshold. Regions, sectors and legal forms come from
reperes.organisations.reference.
"""

from reperes.organisations import reference

SIZE_BANDS = [
    ("1-10", "1 à 10 salarié·es", 1, 10),
    ("11-19", "11 à 19 salarié·es", 11, 19),
    ("20-49", "20 à 49 salarié·es", 20, 49),
    ("50-99", "50 à 99 salarié·es", 50, 99),
    ("100-249", "100 à 249 salarié·es", 100, 249),
    ("250+", "250 salarié·es et plus", 250, None),
]


def size_band(employees):
    """The code of the band `employees` falls in, or None when unknown (or no employee)."""
    if employees is None:
        return None
    for code, _label, low, high in SIZE_BANDS:
        if employees >= low and (high is None or employees <= high):
            return code
    return None


def size_band_label(code):
    for band_code, label, _low, _high in SIZE_BANDS:
        if band_code == code:
            return label
    return ""


def size_band_choices():
    return [(code, label) for code, label, _low, _high in SIZE_BANDS]


# Dimension name → reference list, for the three that come from the organisations' reference.
REFERENCE_LISTS = {"region": "regions", "sector": "sectors", "legal_form": "legal_forms"}

DIMENSION_LABELS = {
    "region": "Région",
    "sector": "Secteur d'activité",
    "legal_form": "Forme juridique",
    "size_band": "Taille (salarié·es)",
    "programme": "Parcours suivi",
    "period": "Période",
    "theme": "Thème",
    "level": "Niveau",
    "outcome": "Issue",
    "measure": "Indicateur",
}

UNKNOWN = ""  # the code of « non renseigné » in any dimension
UNKNOWN_LABEL = "Non renseigné"


def choices(dimension):
    """The fixed codes and labels of a dimension whose values do not depend on the data."""
    if dimension in REFERENCE_LISTS:
        return reference.choices(REFERENCE_LISTS[dimension])
    if dimension == "size_band":
        return size_band_choices()
    raise KeyError(dimension)


def label(dimension, code):
    if code == UNKNOWN or code is None:
        return UNKNOWN_LABEL
    if dimension in REFERENCE_LISTS:
        return reference.label(REFERENCE_LISTS[dimension], code) or str(code)
    if dimension == "size_band":
        return size_band_label(code) or str(code)
    return str(code)
