from datetime import timedelta

from django import forms
from django.utils import timezone

from reperes.campaigns.actions import DEFAULT_GROUPS
from reperes.campaigns.models import Campaign, new_token
from reperes.instruments.models import Questionnaire, Use
from reperes.lib.forms import DATE_INPUT, SingleLineField

MAX_GROUPS = 8
# One form sends at most as many invitations as the largest organisation Repères serves has people.
MAX_INVITATIONS = 250


DEFAULT_QUESTIONNAIRE = "qvt-numerique"


class QuestionnaireChoiceField(forms.ModelChoiceField):
    """Each questionnaire with what its latest version asks and how long it takes."""

    def label_from_instance(self, questionnaire):
        version = questionnaire.latest_version()
        if version is None:
            return questionnaire.title
        spec = version.spec
        parts = [f"{len(spec.item_ids)} affirmations"]
        if spec.text_items:
            parts.append(f"{len(spec.text_items)} questions ouvertes")
        parts.append(f"environ {spec.data['duration_minutes']} minutes")
        if questionnaire.network_id:
            parts.append(f"proposé par {questionnaire.network.name}")
        return f"{questionnaire.title} — {', '.join(parts)}"


class CampaignForm(forms.ModelForm):
    questionnaire = QuestionnaireChoiceField(
        label="Questionnaire",
        queryset=Questionnaire.objects.filter(versions__isnull=False, use=Use.TEAM)
        .select_related("network")
        .distinct(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=(
            "« Numérique et qualité de vie au travail » est le diagnostic général ; les autres portent "
            "sur le télétravail et la déconnexion, ou viennent de vos réseaux."
        ),
    )
    groups = forms.CharField(
        label="Collèges",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Un par ligne. Chaque personne indique le sien (ou préfère ne pas le dire) ; un collège "
            f"n'apparaît dans les résultats qu'à partir du seuil d'anonymat. {MAX_GROUPS} au plus."
        ),
        initial="\n".join(DEFAULT_GROUPS),
        required=False,
    )

    class Meta:
        model = Campaign
        fields = ["title", "mode", "access", "collective_method", "closes_on"]
        field_classes = {"title": SingleLineField}  # it goes into invitation subjects
        labels = {"title": "Titre du diagnostic", "closes_on": "Date de clôture"}
        help_texts = {
            "title": "Par exemple « Diagnostic numérique, automne 2026 ».",
            "closes_on": "Les réponses sont possibles jusqu'à ce jour inclus ; vous pourrez la repousser.",
            "collective_method": "Seulement pour le mode en réunion.",
            "access": (
                "Seulement pour le mode individuel. Avec un lien partagé, rien ne peut empêcher quelqu'un "
                "de répondre plusieurs fois pour atteindre le seuil d'anonymat et déduire ensuite la réponse "
                "d'un·e collègue : Repères signale les réponses au-delà du nombre attendu, sans pouvoir les "
                "écarter. Avec des invitations seulement, chaque lien personnel donne une réponse, et toute "
                "l'équipe pilote voit à qui elles sont parties."
            ),
        }
        widgets = {
            "closes_on": DATE_INPUT,
            "mode": forms.RadioSelect,
            "access": forms.RadioSelect,
            "collective_method": forms.RadioSelect,
        }

    def __init__(self, *args, organisation, chosen=None, **kwargs):
        """`chosen`: the slug of a questionnaire to propose first (a link may name one)."""
        super().__init__(*args, **kwargs)
        # The shipped questionnaires and those the organisation's networks published.
        queryset = self.fields["questionnaire"].queryset.available_to(organisation)
        self.fields["questionnaire"].queryset = queryset
        if self.instance._state.adding:
            self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=21)
            self.initial["questionnaire"] = (
                (queryset.filter(slug=chosen).first() if chosen else None)
                or queryset.filter(slug=DEFAULT_QUESTIONNAIRE).first()
                or queryset.first()
            )
        else:
            self.fields["questionnaire"].initial = self.instance.questionnaire_version.questionnaire
            self.fields["groups"].initial = "\n".join(g.label for g in self.instance.groups.all())
        self.fields["access"].required = False
        self.fields["mode"].help_text = (
            "Individuel : chacun répond seul, anonymement, depuis un lien. En réunion : l'équipe "
            "répond ensemble et vous notez les réponses ; ce n'est pas anonyme, mais cela convient "
            "aux petites équipes."
        )

    def clean_access(self):
        return self.cleaned_data.get("access") or Campaign.Access.LINK

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError("Choisissez aujourd'hui ou une date à venir.")
        if closes_on > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError("Un diagnostic reste ouvert un an au plus.")
        return closes_on

    def clean_groups(self):
        labels = []
        for line in self.cleaned_data["groups"].splitlines():
            label = " ".join(line.split())[:80]
            if label and label.lower() not in {existing.lower() for existing in labels}:
                labels.append(label)
        if len(labels) > MAX_GROUPS:
            raise forms.ValidationError(f"{MAX_GROUPS} collèges au plus : regroupez-en certains.")
        return labels


class OpenForm(forms.Form):
    expected_respondents = forms.IntegerField(
        label="Combien de personnes attendez-vous ?",
        min_value=1,
        max_value=100000,
        help_text=(
            "Salarié·es, mais aussi bénévoles ou administrateurs·rices si vous les invitez. Au-delà, les "
            "réponses en trop seront signalées : un lien partagé ne peut pas empêcher quelqu'un de répondre "
            "deux fois."
        ),
    )


class PostponeForm(forms.Form):
    closes_on = forms.DateField(
        label="Nouvelle date de clôture",
        widget=DATE_INPUT,
    )


class FollowUpForm(forms.Form):
    closes_on = forms.DateField(
        label="Date de clôture du point de suivi",
        widget=DATE_INPUT,
    )

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError("Choisissez aujourd'hui ou une date à venir.")
        return closes_on


class InviteRespondentsForm(forms.Form):
    emails = forms.CharField(
        label="Adresses e-mail",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Une par ligne (ou séparées par des virgules). Chaque personne reçoit un lien personnel qui ne "
            "sert qu'une fois. Repères note seulement si elle a répondu, jamais ce qu'elle a répondu, et "
            "efface les adresses à la clôture."
        ),
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        validator = forms.EmailField()
        emails, invalid = [], []
        for candidate in raw:
            try:
                email = validator.clean(candidate).lower()
            except forms.ValidationError:
                invalid.append(candidate)
                continue
            if email not in emails:
                emails.append(email)
        if invalid:
            raise forms.ValidationError(
                "Ces adresses ne sont pas valides : %(list)s. Corrigez-les ou retirez-les.",
                params={"list": ", ".join(invalid[:10])},
            )
        if len(emails) > MAX_INVITATIONS:
            raise forms.ValidationError(
                f"{MAX_INVITATIONS} adresses au plus à la fois ({len(emails)} ici) : "
                "envoyez-les en plusieurs fois."
            )
        if not emails:
            raise forms.ValidationError("Indiquez au moins une adresse.")
        return emails


class ThemeAnswersForm(forms.Form):
    """The statements of one theme, each a radio group. Nothing is required until submitting."""

    def __init__(self, *args, theme, scale, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c["value"], c["label"]) for c in scale["choices"]]
        for position, item in enumerate(theme["items"], start=1):
            self.fields[item["id"]] = forms.ChoiceField(
                label=item["text"],
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                required=False,
            )
            self.fields[item["id"]].position = position

    def answers(self):
        return {key: value for key, value in self.cleaned_data.items() if value}


def text_field(item, *, label=None):
    """An open question: optional, at most its `max_length` characters, said in French."""
    limit = item["max_length"]
    help_parts = [item.get("help", ""), f"Facultatif, {limit} caractères au plus."]
    return forms.CharField(
        label=label or item["text"],
        required=False,
        max_length=limit,
        help_text=" ".join(part for part in help_parts if part),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": (
                f"Ce texte dépasse {limit} caractères (%(show_value)d) : raccourcissez-le. "
                "Vos autres réponses sont enregistrées."
            )
        },
    )


class FreeTextForm(forms.Form):
    """The open questions, after the statements. All are optional."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[item["id"]] = text_field(item)

    def answers(self):
        """The valid texts (empty ones included, to erase an earlier draft), even when another
        field is refused: a too-long text never costs the others."""
        return {key: value.strip() for key, value in self.cleaned_data.items()}


class SynthesisEntryForm(forms.Form):
    """One line under an open question, typed during the meeting."""

    text = forms.CharField(
        label="Nouvelle ligne",
        max_length=500,
        error_messages={
            "required": "Écrivez la ligne avant de l'ajouter.",
            "max_length": "500 caractères au plus (%(show_value)d) : coupez-la en deux lignes.",
        },
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix=item["id"], **kwargs)
        self.fields["text"].label = f"Ajouter une ligne à « {item['text']} »"


class CollectiveThemeForm(forms.Form):
    """In a meeting: for each statement, hands counted or the agreed answer, and a note."""

    def __init__(self, *args, theme, scale, method, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        self.items = theme["items"]
        self.scale = scale
        choices = [(c["value"], c["label"]) for c in scale["choices"]]
        for item in theme["items"]:
            if method == Campaign.CollectiveMethod.CONSENSUS:
                self.fields[f"{item['id']}__consensus"] = forms.ChoiceField(
                    label=item["text"], choices=choices, widget=forms.RadioSelect, required=False
                )
            else:
                for value, label in choices:
                    self.fields[f"{item['id']}__{value}"] = forms.IntegerField(
                        label=label, min_value=0, max_value=1000, required=False
                    )
            self.fields[f"{item['id']}__note"] = forms.CharField(
                label="Désaccords, remarques",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """For the template: per statement, its fields."""
        for item in self.items:
            prefix = item["id"] + "__"
            yield {
                "item": item,
                "consensus": self[prefix + "consensus"] if prefix + "consensus" in self.fields else None,
                "counts": [
                    self[prefix + c["value"]]
                    for c in self.scale["choices"]
                    if prefix + c["value"] in self.fields
                ],
                "note": self[prefix + "note"],
            }

    def entries(self):
        entries = {}
        for item in self.items:
            prefix = item["id"] + "__"
            note = self.cleaned_data.get(prefix + "note", "")
            if self.method == Campaign.CollectiveMethod.CONSENSUS:
                consensus = self.cleaned_data.get(prefix + "consensus") or ""
                if consensus or note:
                    entries[item["id"]] = {"consensus": consensus, "note": note}
            else:
                counts = {
                    c["value"]: self.cleaned_data.get(prefix + c["value"]) or 0 for c in self.scale["choices"]
                }
                if any(counts.values()) or note:
                    entries[item["id"]] = {"counts": counts, "note": note}
        return entries


class PaperSheetForm(forms.Form):
    """One paper answer sheet: the group ticked, and every statement. All are required, so
    that an incomplete sheet is pointed out rather than stored. `sheet_key`, drawn when the form
    is shown, makes a sheet posted twice (double click, back and resend) stored once."""

    sheet_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)
    group = forms.ChoiceField(label="Collège coché sur la feuille")

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["sheet_key"].initial = new_token()
        self.fields["group"].choices = [(str(g.pk), g.label) for g in campaign.groups.all()] + [
            ("aucun", "Rien de coché / préfère ne pas le dire")
        ]
        choices = [(c["value"], c["label"]) for c in campaign.spec.scale["choices"]]
        for theme in campaign.spec.themes:
            for item in theme["items"]:
                field = forms.ChoiceField(
                    label=item["text"],
                    choices=choices,
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    error_messages={
                        "required": "Reportez la réponse (« Je ne sais pas » si rien n'est coché)."
                    },
                )
                field.theme = theme["title"]
                self.fields[item["id"]] = field
        self.text_ids = campaign.spec.text_item_ids
        for item in campaign.spec.text_items:
            field = text_field(item)
            field.theme = campaign.spec.free_text["title"]
            self.fields[item["id"]] = field

    def group_object(self):
        value = self.cleaned_data["group"]
        return None if value == "aucun" else self.campaign.groups.get(pk=value)

    def answers(self):
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("group", "sheet_key") and key not in self.text_ids
        }

    def texts(self):
        return {key: self.cleaned_data[key] for key in self.text_ids}
