from datetime import timedelta

from django import forms
from django.utils import timezone

from reperes.discussions.models import Choice, Meeting
from reperes.lib.forms import DATE_INPUT


class DiscussionForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    agenda = forms.CharField(
        label="Ordre du jour",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Prérempli à partir des résultats et de la fiche : modifiez-le librement.",
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "participants", "notes"]
        widgets = {"held_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"held_on": "Date de la réunion", "participants": "Nombre de participant·es"}

    def clean_participants(self):
        participants = self.cleaned_data["participants"]
        if participants < 1:
            raise forms.ValidationError("Une réunion compte au moins une personne.")
        return participants

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError("Notez les réunions qui ont eu lieu, pas celles à venir.")
        return held_on


class ProposalForm(forms.Form):
    text = forms.CharField(label="Votre proposition", max_length=300)
    details = forms.CharField(
        label="Précisions", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision de la réunion",
        choices=[("adopted", "Adoptée"), ("rejected", "Écartée")],
        widget=forms.RadioSelect,
    )


class OpenVoteForm(forms.Form):
    anonymous = forms.TypedChoiceField(
        label="Type de vote",
        choices=[
            ("1", "Anonyme : personne ne saura qui a voté quoi"),
            ("0", "Nominatif : chacun voit les votes"),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    closes_on = forms.DateField(label="Fin du vote", widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=7)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label="Votre vote", choices=Choice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Pourquoi ?", required=False, max_length=500)
