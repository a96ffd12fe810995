"""The legal assistance of a sharing case as data: content/legal.yaml holds the checklists (staff
lending, shared job through an employer group) and the wording of the lending agreement and the
contract amendment. `get_legal()` reads and checks the file once per process; a problem raises
MatchmakingContentError naming the file, the place and the problem, in French."""

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reperes.legal.references import get_references
from reperes.lib.content import Checks, ContentError, read_yaml

LEGAL_FILE = Path(__file__).parent / "content" / "legal.yaml"
ARRANGEMENTS = ("lending", "employer_group")
DOCUMENTS = ("lending_agreement", "amendment")
# When an item applies: always, or only where the lender's (the user's) organisation has a CSE.
APPLIES = ("always", "lender_cse", "user_cse")
REVIEW = ("non-relu", "relu")
# What a document's wording may say about the case (documents.placeholders fills them).
PLACEHOLDERS = {
    "lender",
    "user",
    "employee_name",
    "employee_qualification",
    "what",
    "starts_on",
    "ends_on",
    "volume",
    "duties",
    "hours",
    "place",
    "post_features",
    "salary",
    "charges",
    "expenses",
    "cost",
    "invoiced",
    "trial_period",
}


class MatchmakingContentError(ContentError):
    pass


_checks = Checks(MatchmakingContentError, collapse_spaces=True)
_need, _text = _checks.need, _checks.text


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    explanation: str
    legal: tuple
    applies: str
    automatic: bool

    @property
    def references(self):
        known = get_references()
        return [known[ref_id] for ref_id in self.legal]


@dataclass(frozen=True)
class Article:
    title: str
    text: str


@dataclass(frozen=True)
class DocumentWording:
    id: str
    title: str
    legal: tuple
    reviewed: bool
    articles: tuple


@dataclass(frozen=True)
class Legal:
    checklists: dict
    documents: dict


def _legal_ids(entry, source, place):
    ids = entry.get("legal")
    _need(isinstance(ids, list) and ids, source, place, "« legal » doit citer au moins un texte")
    known = get_references()
    for ref_id in ids:
        _need(ref_id in known, source, place, f"référence inconnue « {ref_id} »")
    return tuple(ids)


def _placeholders(text, source, place):
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            _need(name in PLACEHOLDERS, source, place, f"champ inconnu « {{{name}}} »")


def parse_legal(data, *, source):
    _need(isinstance(data, dict), source, "racine", "« checklists » et « documents » attendus")
    checklists = {}
    for arrangement in ARRANGEMENTS:
        entries = (data.get("checklists") or {}).get(arrangement)
        _need(isinstance(entries, list) and entries, source, arrangement, "liste de points attendue")
        items = {}
        for position, entry in enumerate(entries, start=1):
            place = f"{arrangement}, point {position}"
            _need(isinstance(entry, dict), source, place, "doit décrire un point")
            item_id = _text(entry, "id", source, place)
            _need(item_id not in items, source, place, f"identifiant en double « {item_id} »")
            applies = entry.get("applies")
            _need(applies in APPLIES, source, place, f"« applies » doit être l'un de : {', '.join(APPLIES)}")
            items[item_id] = Item(
                id=item_id,
                label=_text(entry, "label", source, place),
                explanation=_text(entry, "explanation", source, place),
                legal=_legal_ids(entry, source, place),
                applies=applies,
                automatic=bool(entry.get("automatic", False)),
            )
        checklists[arrangement] = items
    documents = {}
    for document_id in DOCUMENTS:
        entry = (data.get("documents") or {}).get(document_id)
        place = f"document « {document_id} »"
        _need(isinstance(entry, dict), source, place, "manquant")
        review = entry.get("review")
        _need(review in REVIEW, source, place, f"« review » doit être l'un de : {', '.join(REVIEW)}")
        articles = []
        for position, article in enumerate(entry.get("articles") or [], start=1):
            article_place = f"{place}, article {position}"
            _need(isinstance(article, dict), source, article_place, "doit avoir un titre et un texte")
            text = _text(article, "text", source, article_place)
            _placeholders(text, source, article_place)
            articles.append(Article(_text(article, "title", source, article_place), text))
        _need(articles, source, place, "aucun article")
        documents[document_id] = DocumentWording(
            id=document_id,
            title=_text(entry, "title", source, place),
            legal=_legal_ids(entry, source, place),
            reviewed=review == "relu",
            articles=tuple(articles),
        )
    return Legal(checklists=checklists, documents=documents)


@cache
def get_legal(path=LEGAL_FILE):
    return parse_legal(read_yaml(path), source=path.name)


def check_legal():
    """The content loader of `manage.py load_content`: checks the file, stores nothing."""
    get_legal.cache_clear()
    legal = get_legal()
    return [(LEGAL_FILE.name, sum(len(items) for items in legal.checklists.values()), False)]
