"""The checklists and document wordings as data: the real file loads, and a malformed one is
refused with a French message naming the place."""

import pytest

from reperes.matchmaking.legal import MatchmakingContentError, check_legal, get_legal, parse_legal


def test_the_real_file_cites_known_references():
    legal = get_legal()
    assert set(legal.checklists["lending"]) == {
        "no-profit",
        "employee-agreement",
        "lending-agreement",
        "amendment",
        "lender-cse",
        "user-cse",
        "no-sanction",
        "return",
    }
    assert all(item.references for items in legal.checklists.values() for item in items.values())
    assert not legal.documents["lending_agreement"].reviewed
    assert check_legal() == [("legal.yaml", 12, False)]


def good():
    item = {"id": "a", "label": "A", "explanation": "B", "legal": ["l8241-2"], "applies": "always"}
    document = {
        "title": "T",
        "legal": ["l8241-2"],
        "review": "non-relu",
        "articles": [{"title": "x", "text": "{lender}"}],
    }
    return {
        "checklists": {"lending": [dict(item)], "employer_group": [dict(item)]},
        "documents": {"lending_agreement": dict(document), "amendment": dict(document)},
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["checklists"]["lending"][0].update(legal=["l9999-9"]), "référence inconnue « l9999-9 »"),
        (lambda d: d["checklists"]["lending"][0].update(applies="parfois"), "« applies » doit être l'un de"),
        (
            lambda d: d["checklists"]["lending"].append(dict(d["checklists"]["lending"][0])),
            "identifiant en double",
        ),
        (
            lambda d: d["documents"]["amendment"].update(articles=[{"title": "x", "text": "{salaire}"}]),
            "champ inconnu",
        ),
        (lambda d: d["documents"]["amendment"].update(review="peut-être"), "« review » doit être l'un de"),
        (lambda d: d["documents"].pop("amendment"), "document « amendment »"),
    ],
)
def test_a_malformed_file_is_refused(change, message):
    data = good()
    change(data)
    with pytest.raises(MatchmakingContentError, match=message) as error:
        parse_legal(data, source="legal.yaml")
    assert str(error.value).startswith("legal.yaml, ")
