from django import forms

from reperes.action_plans.models import Action, Status
from reperes.instruments.frameworks import author_choices
from reperes.lib.forms import DATE_INPUT, checkboxes


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "owner",
            "owner_name",
            "contributors",
            "start_on",
            "due_on",
            "review_on",
            "status",
            "indicator",
            "indicator_target",
            "project_step",
            "social_dialogue",
            "determinants",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "contributors": forms.CheckboxSelectMultiple,
            "start_on": DATE_INPUT,
            "due_on": DATE_INPUT,
            "review_on": DATE_INPUT,
        }
        help_texts = {
            "indicator": (
                "Comment saurez-vous que l'action porte ses fruits ? "
                "Par exemple « nombre de mails après 19 h »."
            ),
            "indicator_target": "Par exemple « moins de 5 par semaine ».",
            "review_on": "Le jour où l'équipe fera le point sur cette action.",
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        members = organisation.memberships.values_list("user", flat=True)
        users = self.fields["owner"].queryset.filter(pk__in=members).order_by("name")
        self.fields["owner"].queryset = users
        self.fields["owner"].empty_label = "Personne pour l'instant"
        self.fields["contributors"].queryset = users
        self.fields["project_step"].empty_label = "Sans objet"
        self.fields["determinants"] = checkboxes(
            "Déterminants de la qualité de vie au travail",
            author_choices(),
            "Ceux sur lesquels l'action agit. Une action née d'un thème du diagnostic part de ceux de ses "
            "affirmations.",
        )

    def clean(self):
        cleaned = super().clean()
        start, due, review = cleaned.get("start_on"), cleaned.get("due_on"), cleaned.get("review_on")
        if start and due and due < start:
            self.add_error("due_on", "L'échéance ne peut pas précéder le début.")
        if start and review and review < start:
            self.add_error("review_on", "Le bilan ne peut pas précéder le début.")
        if cleaned.get("owner") and cleaned.get("owner_name"):
            self.add_error("owner_name", "Choisissez un·e membre ou une personne sans compte, pas les deux.")
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Statut", choices=Status.choices)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous")] + Status.choices)
    owner = forms.ChoiceField(label="Responsable", required=False)
    overdue = forms.BooleanField(label="En retard seulement", required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        members = organisation.memberships.select_related("user").order_by("user__name")
        self.fields["owner"].choices = [("", "Tout le monde")] + [
            (str(m.user_id), m.user.name) for m in members
        ]

    def filter(self, actions):
        if not self.is_valid():
            return actions
        if status := self.cleaned_data["status"]:
            actions = actions.filter(status=status)
        if owner := self.cleaned_data["owner"]:
            actions = actions.filter(owner_id=owner)
        if self.cleaned_data["overdue"]:
            actions = actions.overdue()
        return actions


class FeedbackForm(forms.Form):
    value = forms.ChoiceField(
        label="Votre avis",
        choices=[("yes", "Oui"), ("partly", "En partie"), ("no", "Non")],
        widget=forms.RadioSelect,
    )
