"""Writing a fiche in the interface: one form for every section of the fiche format
(definition.parse_fiche), lists as one entry per line, steps as blocks under « ## Titre ». The
Markdown fields are rendered through the allow-list sanitiser (lib.markdown) wherever they are
shown; every field has a size limit."""

from django import forms

from reperes.fiches.determinants import author_choices
from reperes.fiches.models import Collection
from reperes.lib.forms import SectionedForm, SingleLineField, checkboxes

MARKDOWN_HELP = "Markdown simple : **gras**, *italique*, listes à tirets, liens."
STEP_MARK = "## "
MAX_LINES = 12


def _text(label, max_length, *, required=False, rows=6, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _lines(value):
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class FicheDraftForm(SectionedForm, forms.Form):
    SECTIONS = [
        ("L'essentiel", ["title", "collection", "summary"]),
        ("Contexte et enjeux", ["context", "stakes"]),
        ("Opportunités et risques", ["opportunities", "risks"]),
        ("Les questions à se poser en équipe", ["questions"]),
        ("Comment agir", ["how_to_act", "steps"]),
        ("Un exemple", ["example_organisation", "example_text"]),
        ("Pour aller plus loin", ["reading"]),
        ("Déterminants de la QVT", ["determinants"]),
    ]

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = SingleLineField(label="Titre", max_length=200)
    collection = forms.ChoiceField(
        label="Collection",
        choices=Collection.choices,
        help_text=(
            "Une fiche « Télétravail » rappelle au lecteur qu'elle donne des repères, pas un avis juridique."
        ),
    )
    summary = _text("En une ou deux phrases", 600, rows=3, help_text="Affiché sous le titre.")
    context = _text("Contexte", 8000, required=True, rows=10, help_text=MARKDOWN_HELP)
    stakes = _text("Enjeux", 8000, rows=8, help_text=MARKDOWN_HELP)
    opportunities = _text(
        "Opportunités", 3000, rows=4, help_text="Une par ligne, 300 caractères au plus chacune."
    )
    risks = _text("Risques", 3000, rows=4, help_text="Un par ligne, 300 caractères au plus chacun.")
    questions = _text(
        "Questions",
        4000,
        required=True,
        rows=6,
        help_text=f"Une par ligne, {MAX_LINES} au plus, 400 caractères au plus chacune.",
    )
    how_to_act = _text("Comment agir", 8000, required=True, rows=10, help_text=MARKDOWN_HELP)
    steps = _text(
        "Étapes",
        12000,
        rows=10,
        help_text=(
            "Facultatif. Chaque étape commence par une ligne « ## Titre de l'étape », suivie de son texte "
            f"(Markdown). {MAX_LINES} étapes au plus."
        ),
    )
    example_organisation = SingleLineField(label="Structure de l'exemple", max_length=200, required=False)
    example_text = _text("Ce qu'elle a fait", 4000, rows=6, help_text=MARKDOWN_HELP)
    reading = _text(
        "Lectures",
        3000,
        rows=4,
        help_text=(
            "Une par ligne : « Titre | éditeur | https://adresse | année » (seul le titre est obligatoire)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["determinants"] = checkboxes(
            "Déterminants",
            author_choices(),
            "Ceux dont la fiche traite, dans chaque référentiel ; ils sont affichés sur la fiche.",
        )
        self.fields["title"].error_messages["required"] = "Donnez un titre à la fiche."
        self.fields["context"].error_messages["required"] = (
            "Le contexte est la première section : écrivez-le."
        )
        self.fields["questions"].error_messages["required"] = (
            "Une fiche propose au moins une question à l'équipe."
        )
        self.fields["how_to_act"].error_messages["required"] = (
            "Dites comment agir : c'est le cœur de la fiche."
        )

    @staticmethod
    def initial_for(draft):
        """The form's values for `draft`'s content (the inverse of `content`)."""
        content = draft.content
        example = content.get("example") or {}
        steps = "\n\n".join(
            f"{STEP_MARK}{step['title']}\n{step['text'].strip()}" for step in content.get("steps", ())
        )
        reading = "\n".join(
            " | ".join(
                part
                for part in (
                    entry["title"],
                    entry.get("publisher", ""),
                    entry.get("url", ""),
                    entry.get("year", ""),
                )
            ).rstrip(" |")
            for entry in content.get("reading", ())
        )
        return {
            "revision": draft.revision,
            "title": content.get("title", draft.title),
            "collection": content.get("collection", Collection.GUIDE),
            "summary": content.get("summary", ""),
            "context": content.get("context", ""),
            "stakes": content.get("stakes", ""),
            "opportunities": "\n".join(content.get("opportunities", ())),
            "risks": "\n".join(content.get("risks", ())),
            "questions": "\n".join(question["text"] for question in content.get("questions", ())),
            "how_to_act": content.get("how_to_act", ""),
            "steps": steps,
            "example_organisation": example.get("organisation", ""),
            "example_text": example.get("text", ""),
            "reading": reading,
            "determinants": list(content.get("determinants", ())),
        }

    def _short_lines(self, name, limit, noun):
        lines = _lines(self.cleaned_data.get(name))
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(f"{MAX_LINES} {noun} au plus : il y en a {len(lines)}.")
        for position, line in enumerate(lines, start=1):
            if len(line) > limit:
                raise forms.ValidationError(
                    f"La ligne {position} dépasse {limit} caractères ({len(line)}) : raccourcissez-la."
                )
        return lines

    def clean_opportunities(self):
        return self._short_lines("opportunities", 300, "lignes")

    def clean_risks(self):
        return self._short_lines("risks", 300, "lignes")

    def clean_questions(self):
        return self._short_lines("questions", 400, "questions")

    def clean_steps(self):
        steps = []
        for position, line in enumerate((self.cleaned_data.get("steps") or "").splitlines(), start=1):
            if line.startswith(STEP_MARK.strip()) and line.lstrip("#").strip():
                title = line.lstrip("#").strip()
                if len(title) > 200:
                    raise forms.ValidationError(f"Le titre de la ligne {position} dépasse 200 caractères.")
                steps.append({"title": title, "lines": []})
            elif line.strip() and not steps:
                raise forms.ValidationError(
                    f"Ligne {position} : commencez chaque étape par une ligne « ## Titre de l'étape »."
                )
            elif steps:
                steps[-1]["lines"].append(line)
        if len(steps) > MAX_LINES:
            raise forms.ValidationError(f"{MAX_LINES} étapes au plus : il y en a {len(steps)}.")
        normalised = []
        for position, step in enumerate(steps, start=1):
            text = "\n".join(step["lines"]).strip()
            if not text:
                raise forms.ValidationError(f"L'étape « {step['title']} » n'a pas de texte.")
            normalised.append({"title": step["title"], "text": text, "anchor": f"etape-{position}"})
        return normalised

    def clean_reading(self):
        entries = []
        for position, line in enumerate(self._short_lines("reading", 500, "lectures"), start=1):
            parts = [part.strip() for part in line.split("|")] + ["", "", ""]
            title, publisher, url, year = parts[:4]
            if not title:
                raise forms.ValidationError(f"Ligne {position} : le titre de la lecture manque.")
            if url and not url.startswith(("http://", "https://")):
                raise forms.ValidationError(
                    f"Ligne {position} : l'adresse doit commencer par https:// ou http://."
                )
            entries.append({"title": title, "publisher": publisher, "url": url, "year": year[:4]})
        return entries

    def clean(self):
        cleaned = super().clean()
        organisation, text = cleaned.get("example_organisation"), cleaned.get("example_text")
        if bool(organisation) != bool(text):
            self.add_error(
                "example_text" if organisation else "example_organisation",
                "Un exemple a une structure et un texte : remplissez les deux, ou aucun.",
            )
        return cleaned

    def content(self, base):
        """The draft's new content: `base` (what it held: references, a copy's slug) with every
        section of the form."""
        data = self.cleaned_data
        content = {
            **base,
            "collection": data["collection"],
            "theme": "",
            "title": data["title"],
            "summary": data["summary"],
            "context": data["context"],
            "stakes": data["stakes"],
            "opportunities": data["opportunities"],
            "risks": data["risks"],
            "questions": [{"item": "", "text": text} for text in data["questions"]],
            "how_to_act": data["how_to_act"],
            "steps": data["steps"],
            "example": (
                {"organisation": data["example_organisation"], "text": data["example_text"]}
                if data["example_organisation"]
                else None
            ),
            "reading": data["reading"],
        }
        content.pop("determinants", None)
        if data["determinants"]:  # kept in the frameworks' order, as a file would list them
            chosen = set(data["determinants"])
            content["determinants"] = [
                tag for _, choices in author_choices() for tag, _ in choices if tag in chosen
            ]
        return content


class NewFicheForm(forms.Form):
    title = SingleLineField(
        label="Titre de la nouvelle fiche",
        max_length=200,
        error_messages={"required": "Donnez un titre à la fiche."},
    )
