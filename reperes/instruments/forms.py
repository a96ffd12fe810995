from django import forms

from reperes.instruments.authoring import fiche_choices
from reperes.instruments.definition import TEXT_MAX_LENGTH, load_scales
from reperes.instruments.frameworks import author_choices, labels
from reperes.instruments.xlsform import MAX_BYTES, MAX_TITLE

# The sizes of what an author types (a workbook's cell holds up to xlsform.MAX_CELL).
SHORT_TITLE = 80
SUMMARY = 1000
DESCRIPTION = 2000
INTERPRETATION = 2000
STATEMENT = 500
HELP = 1000


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="Classeur XLSForm (.xlsx)",
        help_text=(
            "Feuilles « survey », « choices » et « settings » ; les colonnes « reperes_… » et la feuille "
            f"« reperes » portent ce que seul Repères lit. {MAX_BYTES // (1024 * 1024)} Mo au plus."
        ),
        error_messages={
            "required": "Choisissez le classeur à importer.",
            "empty": "Ce fichier est vide : rien n'a été importé.",
        },
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        # Refused before it is read: the size the upload announces is the size received.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Ce fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : ce n'est pas un questionnaire. "
                "Rien n'a été importé."
            )
        return upload


def _text(label, max_length, *, required=True, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, help_text=help_text
    )


class RevisionForm(forms.Form):
    """A form over a draft: it carries the revision of the draft it was drawn from."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SettingsForm(RevisionForm):
    title = _text("Titre", MAX_TITLE)
    summary = _text(
        "En quelques mots", SUMMARY, required=False, rows=3, help_text="Ce que le questionnaire aide à voir."
    )
    duration_minutes = forms.IntegerField(
        label="Durée pour répondre (minutes)", min_value=1, max_value=120, help_text="De 1 à 120 minutes."
    )
    scale = forms.ChoiceField(label="Échelle de réponse")

    def __init__(self, *args, current_scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.scales = load_scales()
        choices = [(code, scale["label"]) for code, scale in self.scales.items()]
        if current_scale["code"] not in self.scales or current_scale != self.scales[current_scale["code"]]:
            # A workbook's own list: kept as it is unless the author picks a shipped scale.
            self.scales = {**self.scales, current_scale["code"]: current_scale}
            choices = [(current_scale["code"], f"{current_scale['label']} (celle du classeur importé)")] + [
                choice for choice in choices if choice[0] != current_scale["code"]
            ]
        self.fields["scale"].choices = choices


class ThemeForm(RevisionForm):
    title = _text("Titre du thème", MAX_TITLE)
    short_title = _text(
        "Titre court", SHORT_TITLE, required=False, help_text="Pour les graphiques ; le titre s'il est vide."
    )
    description = _text("Présentation", DESCRIPTION, required=False, rows=3)
    fiche = forms.ChoiceField(label="Fiche proposée après le thème", required=False)
    interpretation_low = _text("Si le score est bas", INTERPRETATION, required=False, rows=3)
    interpretation_medium = _text("Si le score est moyen", INTERPRETATION, required=False, rows=3)
    interpretation_high = _text("Si le score est haut", INTERPRETATION, required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].choices = [("", "Aucune fiche")] + fiche_choices()

    @staticmethod
    def initial_of(theme, revision):
        interpretation = theme.get("interpretation") or {}
        return {
            "revision": revision,
            "title": theme["title"],
            "short_title": theme.get("short_title", "") if theme.get("short_title") != theme["title"] else "",
            "description": theme.get("description", ""),
            "fiche": theme.get("fiche", ""),
            **{
                f"interpretation_{level}": interpretation.get(level, "")
                for level in ("low", "medium", "high")
            },
        }

    def applied_to(self, theme):
        data = self.cleaned_data
        theme = {**theme, "title": data["title"], "short_title": data["short_title"] or data["title"]}
        theme["description"] = data["description"]
        theme["fiche"] = data["fiche"]
        theme["interpretation"] = {
            level: data[f"interpretation_{level}"] for level in ("low", "medium", "high")
        }
        return theme


class StatementForm(forms.Form):
    text = _text("Affirmation", STATEMENT, rows=2)
    determinants = forms.MultipleChoiceField(
        label="Déterminants de la QVT qu'elle touche",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kept_tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["determinants"].choices = author_choices()
        # Finer tags (a factor of the Anact diagram) are kept as they are: said, not ticked.
        self.kept = labels(kept_tags)


class NewStatementForm(StatementForm):
    text = _text(
        "Nouvelle affirmation", STATEMENT, required=False, rows=2, help_text="Ajoutée à la fin du thème."
    )


class BaseStatementFormSet(forms.BaseFormSet):
    def __init__(self, *args, kept_tags=None, **kwargs):
        self.kept_tags = kept_tags or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        if index is not None and index < len(self.kept_tags):
            return {"kept_tags": self.kept_tags[index]}
        return {}


StatementFormSet = forms.formset_factory(StatementForm, formset=BaseStatementFormSet, extra=0, max_num=500)


class NewThemeForm(RevisionForm):
    title = _text("Titre du nouveau thème", MAX_TITLE)
    statement = _text("Sa première affirmation", STATEMENT, rows=2)


class FreeTextForm(RevisionForm):
    title = _text(
        "Titre de la page des questions ouvertes",
        MAX_TITLE,
        required=False,
        help_text="Elle vient après les thèmes ; aucune question, aucune page.",
    )
    description = _text("Présentation", DESCRIPTION, required=False, rows=3)


class OpenQuestionForm(forms.Form):
    text = _text("Question", STATEMENT, rows=2)
    help = _text("Aide", HELP, required=False)
    max_length = forms.IntegerField(
        label="Longueur de réponse (caractères)",
        min_value=1,
        max_value=TEXT_MAX_LENGTH,
        initial=1000,
        help_text=f"De 1 à {TEXT_MAX_LENGTH}.",
    )


class NewOpenQuestionForm(OpenQuestionForm):
    text = _text("Nouvelle question ouverte", STATEMENT, required=False, rows=2)
    max_length = forms.IntegerField(
        label="Longueur de réponse (caractères)",
        min_value=1,
        max_value=TEXT_MAX_LENGTH,
        required=False,
        help_text=f"De 1 à {TEXT_MAX_LENGTH} ; 1000 si vide.",
    )


OpenQuestionFormSet = forms.formset_factory(OpenQuestionForm, extra=0, max_num=500)
