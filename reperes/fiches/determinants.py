"""The QVT frameworks' entries as fiches show and tag them: labels for a fiche's page, grouped
choices for an author's checkboxes.

The frameworks belong to the questionnaires (reperes/instruments/definitions/frameworks.yaml,
parsed and checked by reperes.instruments.frameworks), a sibling app that fiches does not import.
As the questionnaires read the fiche files as files (instruments.definition.FICHES_DIR), fiches
reads the frameworks file as data: only the codes, ids and labels, in the file's order. The file
is validated where it belongs; tests/fiches/test_fiche_determinants.py checks that both readings
give the same tags and labels.
"""

from functools import cache
from pathlib import Path

from reperes.lib.content import read_yaml

FRAMEWORKS_FILE = Path(__file__).resolve().parent.parent / "instruments" / "definitions" / "frameworks.yaml"


@cache
def _frameworks():
    """[(framework title, [(group label, [(tag, label)])])], every entry followed by its factors
    (« Domaine : facteur »)."""
    found = []
    for framework in read_yaml(FRAMEWORKS_FILE)["frameworks"]:
        code, groups = framework["code"], []
        for group in framework["groups"]:
            choices = []
            for entry in group["entries"]:
                choices.append((f"{code}:{entry['id']}", entry["label"]))
                choices += [
                    (f"{code}:{factor['id']}", f"{entry['label']} : {factor['label']}")
                    for factor in entry.get("factors", ())
                ]
            groups.append((group["label"], choices))
        found.append((framework["title"], groups))
    return tuple(found)


@cache
def _labels():
    """{tag: (label, framework's short name)} of every entry and factor (a factor by its own
    label). The short name is the end of the title in brackets (« LAB'QVT », « Anact »)."""
    labels = {}
    for framework in read_yaml(FRAMEWORKS_FILE)["frameworks"]:
        code, title = framework["code"], framework["title"]
        short = title.rpartition("(")[2].rstrip(") ") if title.endswith(")") else title
        for group in framework["groups"]:
            for entry in group["entries"]:
                labels[f"{code}:{entry['id']}"] = (entry["label"], short)
                for factor in entry.get("factors", ()):
                    labels[f"{code}:{factor['id']}"] = (factor["label"], short)
    return labels


def known_tags():
    return frozenset(_labels())


def label(tag):
    """The French label of `tag`; a tag the file no longer knows (kept by an older version) is
    shown as it is rather than breaking the page."""
    return _labels().get(tag, (tag, ""))[0]


def author_choices():
    """[(« framework — group », [(tag, label), …]), …]: a checkbox group per group of each
    framework, with every tag a fiche may carry."""
    return [
        (f"{title} — {group_label.lower()}", list(choices))
        for title, groups in _frameworks()
        for group_label, choices in groups
    ]


def grouped_labels(tags):
    """[{"framework", "labels"}] for a fiche's page: the labels of `tags` by framework, in the
    fiche's order. A tag the file no longer knows (kept by an older version) is shown as it is
    rather than breaking the page."""
    labels, groups = _labels(), {}
    for tag in tags:
        tag_label, framework = labels.get(tag, (tag, "Autres"))
        groups.setdefault(framework, []).append(tag_label)
    return [{"framework": framework, "labels": names} for framework, names in groups.items()]
