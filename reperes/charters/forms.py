from django import forms

from reperes.charters import rules
from reperes.charters.models import Instrument, TeleworkCharter
from reperes.lib.forms import DATE_INPUT, TIME_INPUT


class CharterCreateForm(forms.ModelForm):
    proposal = forms.BooleanField(
        label="Partir d'une proposition complète",
        required=False,
        initial=True,
        help_text="Une clause par rubrique, que vous modifiez ensuite. Décochez pour partir d'une page vide.",
    )

    class Meta:
        model = TeleworkCharter
        fields = ["title", "instrument", "co_drafted"]
        widgets = {"instrument": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = Instrument.choices  # no blank « choose » entry
        self.fields["instrument"].initial = Instrument.CHARTER


class CharterParametersForm(forms.Form):
    """One field per parameter of the clause library; consistency checked by rules."""

    def __init__(self, *args, library, initial_values, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = library
        for key, parameter in library.parameters.items():
            label = f"{parameter.label} ({parameter.unit})" if parameter.unit else parameter.label
            if parameter.type == "int":
                field = forms.IntegerField(
                    label=label,
                    min_value=parameter.minimum,
                    max_value=parameter.maximum,
                    help_text=parameter.help,
                )
            else:
                field = forms.TimeField(label=label, widget=TIME_INPUT, help_text=parameter.help)
            field.initial = initial_values[key]
            self.fields[key] = field

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = {
                key: (value.strftime("%H:%M") if hasattr(value, "strftime") else value)
                for key, value in cleaned.items()
            }
            for key, message in rules.check_parameters(values, self.library).items():
                self.add_error(key, message)
            cleaned = values
        return cleaned


class ClauseWordingForm(forms.Form):
    wording = forms.ChoiceField(label="Rédaction", widget=forms.RadioSelect)
    custom_text = forms.CharField(
        label="Votre propre rédaction",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Si vous l'écrivez, elle remplace la rédaction choisie. Elle n'a pas été relue par un·e juriste."
        ),
    )

    def __init__(self, *args, clause, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wording"].choices = [(w.id, w.label) for w in clause.wordings]


class ClauseCommentForm(forms.Form):
    text = forms.CharField(
        label="Votre commentaire", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DateForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE_INPUT)


class OpinionForm(forms.Form):
    on = forms.DateField(label="Date de l'avis", widget=DATE_INPUT)
    summary = forms.CharField(
        label="Résumé de l'avis", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
