"""The forms of a programme template's draft, one per page: the general part, one workshop, the
review, a new workshop. Every field has a size limit; each form carries the draft's revision, so
that a page opened before someone else's save is refused (actions.StaleDraft) with its input
kept."""

from django import forms

from reperes.instruments.models import Questionnaire
from reperes.lib.forms import SingleLineField, checkboxes
from reperes.organisations import reference
from reperes.programmes.definition import (
    DATE_HINTS,
    ENROLMENTS,
    INTERSESSION_KINDS,
    MAX_PARTICIPANTS,
    MAX_REVIEW_MONTHS,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    TOOL_KINDS,
    shipped_questionnaire_slugs,
    shipped_tools,
)
from reperes.programmes.models import Participant, Workshop

MAX_LINES = 15
MAX_LINE = 300
MAX_PARAGRAPH = 3000
MAX_NOTE = 1000
MAX_TOOLS = 20

MARKDOWN_HELP = "Texte simple ; **gras**, *italique*, listes et liens sont acceptés."


def paragraph(label, *, required=True, max_length=MAX_PARAGRAPH, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"« {label} » est obligatoire.",
            "max_length": f"« {label} » : {max_length} caractères au plus (%(show_value)d saisis).",
        },
    )


class LinesField(forms.CharField):
    """A list of short texts, one per line, as a textarea: empty lines are left out."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, *args, max_lines=MAX_LINES, max_line=MAX_LINE, **kwargs):
        self.max_lines, self.max_line = max_lines, max_line
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", max_lines * (max_line + 2))
        kwargs.setdefault(
            "help_text", f"Une entrée par ligne, {max_lines} au plus, {max_line} caractères chacune."
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value):
        text = super().clean(value)
        lines = [" ".join(line.split()) for line in (text or "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > self.max_lines:
            raise forms.ValidationError(f"{self.max_lines} lignes au plus ({len(lines)} saisies).")
        for position, line in enumerate(lines, start=1):
            if len(line) > self.max_line:
                raise forms.ValidationError(
                    f"Ligne {position} : {self.max_line} caractères au plus ({len(line)} saisis)."
                )
        return lines


class RevisionForm(forms.Form):
    """The revision of the draft the page showed (a hidden field)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**9)

    def __init__(self, *args, draft=None, **kwargs):
        kwargs.setdefault("initial", {})
        if draft is not None:
            kwargs["initial"] = {"revision": draft.revision, **kwargs["initial"]}
        super().__init__(*args, **kwargs)


class NewTemplateForm(forms.Form):
    title = SingleLineField(label="Titre du parcours", max_length=200)
    aim = paragraph("À quoi sert le parcours", help_text=MARKDOWN_HELP)
    audience = paragraph("Pour qui", max_length=MAX_NOTE, rows=3)


class GeneralForm(RevisionForm):
    title = SingleLineField(label="Titre du parcours", max_length=200)
    aim = paragraph("À quoi sert le parcours", help_text=MARKDOWN_HELP)
    audience = paragraph("Pour qui", max_length=MAX_NOTE, rows=3)
    origin = paragraph("D'où il vient", required=False, max_length=MAX_NOTE, rows=2)
    enrolment = forms.ChoiceField(
        label="Qui s'inscrit", choices=list(ENROLMENTS.items()), widget=forms.RadioSelect
    )
    pair_roles = checkboxes(
        "Les deux rôles du binôme",
        Participant.PairRole.choices,
        help_text="Seulement pour un parcours en binôme : cochez deux rôles.",
    )
    max_participants = forms.IntegerField(
        label="Personnes par structure, au plus", min_value=1, max_value=MAX_PARTICIPANTS
    )
    max_employees = forms.IntegerField(
        label="Nombre de salarié·es au plus",
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="Vide : toutes les tailles. 49 pour « moins de 50 salarié·es ».",
    )
    opcos = checkboxes("OPCO acceptés", [], help_text="Aucun coché : tous les OPCO.")
    regions = checkboxes("Régions acceptées", [], help_text="Aucune cochée : toutes les régions.")
    network_members_only = forms.BooleanField(
        label="Réservé aux structures adhérentes du réseau", required=False
    )
    management_commitment = forms.BooleanField(label="La direction doit s'engager", required=False)
    eligibility_note = paragraph(
        "Précisions sur les candidatures", required=False, max_length=MAX_NOTE, rows=2
    )
    equality_note = paragraph("Note sur l'égalité", required=False, max_length=MAX_NOTE, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opcos"].choices = reference.choices("opcos")
        self.fields["regions"].choices = reference.choices("regions")

    @classmethod
    def for_draft(cls, draft, data=None):
        content, eligibility = draft.content, draft.content["eligibility"]
        initial = {key: content.get(key) for key in ("title", "aim", "audience", "origin", "enrolment")}
        initial |= {
            "pair_roles": content.get("pair_roles", []),
            "max_participants": content.get("max_participants"),
            "max_employees": eligibility.get("max_employees"),
            "opcos": eligibility.get("opcos", []),
            "regions": eligibility.get("regions", []),
            "network_members_only": eligibility.get("network_members_only"),
            "management_commitment": eligibility.get("management_commitment"),
            "eligibility_note": eligibility.get("note", ""),
            "equality_note": content.get("equality_note", ""),
        }
        return cls(data, draft=draft, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("enrolment") == "pair":
            if len(data.get("pair_roles") or []) != 2:
                self.add_error("pair_roles", "Un binôme a deux rôles : cochez-en deux.")
            if (data.get("max_participants") or 0) < 2:
                self.add_error("max_participants", "Un binôme compte au moins deux personnes.")
        return data


def tool_choices():
    """The Repères tools a workshop may point at, grouped by kind, as « kind:slug »."""
    tools = shipped_tools()
    return [("", "—")] + [
        (TOOL_KINDS[kind], [(f"{kind}:{slug}", slug) for slug in sorted(tools[kind])]) for kind in TOOL_KINDS
    ]


class SessionForm(RevisionForm):
    title = SingleLineField(label="Titre de l'atelier", max_length=200)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        min_value=MIN_SESSION_MINUTES,
        max_value=MAX_SESSION_MINUTES,
        help_text=f"De {MIN_SESSION_MINUTES} à {MAX_SESSION_MINUTES} minutes ; 360 et plus : une journée.",
    )
    format = forms.ChoiceField(label="Format", choices=Workshop.Format.choices, widget=forms.RadioSelect)
    date_hint = forms.ChoiceField(
        label="Comment sa date est connue d'habitude",
        required=False,
        choices=[("", "Non précisé")] + [(value, Workshop.Precision(value).label) for value in DATE_HINTS],
    )
    objectives = LinesField(label="Objectifs")
    content = LinesField(label="Déroulé")
    speakers = LinesField(label="Intervenant·es", max_lines=6, max_line=200)
    intersession_title = SingleLineField(
        label="Intersession : titre",
        max_length=200,
        required=False,
        help_text="Vide : rien entre cet atelier et le suivant.",
    )
    intersession_kind = forms.ChoiceField(
        label="Intersession : ce qui est demandé", choices=list(INTERSESSION_KINDS.items()), initial="work"
    )
    intersession_task = paragraph("Intersession : consigne", required=False, help_text=MARKDOWN_HELP)
    is_review = forms.BooleanField(
        label="C'est l'atelier du bilan", required=False, help_text="Seul le dernier atelier peut l'être."
    )
    remove_tools = forms.MultipleChoiceField(
        label="Outils à retirer", required=False, widget=forms.CheckboxSelectMultiple
    )
    new_tool = forms.ChoiceField(label="Ajouter un outil de Repères", required=False)
    new_tool_label = SingleLineField(
        label="Ce que l'atelier en fait",
        max_length=200,
        required=False,
        help_text="Obligatoire avec un outil.",
    )

    def __init__(self, *args, session, is_last, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_tool"].choices = tool_choices()
        tools = self.tools = session.get("tools", [])
        self.fields["remove_tools"].choices = [
            (str(index), f"{TOOL_KINDS[tool['kind']]} « {tool['slug']} » : {tool['label']}")
            for index, tool in enumerate(tools)
        ]
        if not tools:
            del self.fields["remove_tools"]
        if is_last:
            for name in ("intersession_title", "intersession_kind", "intersession_task"):
                del self.fields[name]
        else:
            del self.fields["is_review"]

    @classmethod
    def for_session(cls, draft, number, data=None):
        sessions = draft.content["sessions"]
        session = sessions[number - 1]
        intersession = session.get("intersession") or {}
        initial = {
            key: session.get(key)
            for key in (
                "title",
                "duration_minutes",
                "format",
                "date_hint",
                "objectives",
                "content",
                "speakers",
            )
        } | {
            "intersession_title": intersession.get("title", ""),
            "intersession_kind": intersession.get("kind", "work"),
            "intersession_task": intersession.get("task", ""),
            "is_review": session.get("is_review", False),
        }
        return cls(data, draft=draft, initial=initial, session=session, is_last=number == len(sessions))

    def clean(self):
        data = super().clean()
        data.setdefault("remove_tools", [])
        if data.get("intersession_title") and not data.get("intersession_task"):
            self.add_error(
                "intersession_task", "Écrivez la consigne de l'intersession, ou effacez son titre."
            )
        if data.get("intersession_task") and not data.get("intersession_title"):
            self.add_error("intersession_title", "Donnez un titre à l'intersession, ou effacez sa consigne.")
        if data.get("new_tool") and not data.get("new_tool_label"):
            self.add_error("new_tool_label", "Dites en quelques mots ce que l'atelier fait de cet outil.")
        if data.get("new_tool") and len(self.tools) - len(data["remove_tools"]) >= MAX_TOOLS:
            self.add_error(
                "new_tool", f"Un atelier utilise {MAX_TOOLS} outils au plus : retirez-en un d'abord."
            )
        return data


class NewSessionForm(RevisionForm):
    title = SingleLineField(label="Titre du nouvel atelier", max_length=200)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=MIN_SESSION_MINUTES, max_value=MAX_SESSION_MINUTES, initial=180
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Workshop.Format.choices,
        initial=Workshop.Format.ONSITE,
        widget=forms.RadioSelect,
    )


class MoveForm(RevisionForm):
    direction = forms.ChoiceField(choices=[("up", "Plus tôt"), ("down", "Plus tard")])


class ReviewForm(RevisionForm):
    after_months = forms.IntegerField(
        label="Combien de mois après le premier atelier", min_value=1, max_value=MAX_REVIEW_MONTHS
    )
    questionnaire = forms.ChoiceField(
        label="Questionnaire que l'équipe refait",
        required=False,
        help_text="Pour comparer avec le point de départ ; « aucun » si le bilan se fait autrement.",
    )
    text = paragraph("Comment se fait le bilan", help_text=MARKDOWN_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slugs = shipped_questionnaire_slugs()
        titles = dict(
            Questionnaire.objects.filter(slug__in=slugs, network__isnull=True).values_list("slug", "title")
        )
        self.fields["questionnaire"].choices = [("", "Aucun")] + sorted(
            ((slug, titles.get(slug, slug)) for slug in slugs), key=lambda choice: choice[1]
        )

    @classmethod
    def for_draft(cls, draft, data=None):
        return cls(data, draft=draft, initial=draft.content["review"])
