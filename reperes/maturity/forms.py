from django import forms

from reperes.maturity.models import NOTE_MAX_LENGTH, Assessment


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        label="Comment répondez-vous ?",
        choices=Assessment.Mode.choices,
        initial=Assessment.Mode.PILOTS,
        widget=forms.RadioSelect,
        help_text=(
            "En réunion d'équipe, chaque dimension a une zone de notes pour garder ce qui a été dit, "
            "et la page se lit sur un écran projeté."
        ),
    )


class DimensionForm(forms.Form):
    """The statements of one dimension, each a radio group from « Pas encore » to « Oui, c'est
    établi », and the meeting's note. Nothing is required until completing."""

    def __init__(self, *args, dimension, scale, with_note, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c["value"], c["label"]) for c in sorted(scale["choices"], key=lambda c: c["points"])]
        for position, item in enumerate(dimension["items"], start=1):
            field = forms.ChoiceField(
                label=item["text"], choices=choices, widget=forms.RadioSelect, required=False
            )
            field.position = position
            self.fields[item["id"]] = field
        self.item_ids = [item["id"] for item in dimension["items"]]
        if with_note:
            self.fields["note"] = forms.CharField(
                label="Ce que l'équipe en a dit",
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=NOTE_MAX_LENGTH,
                required=False,
                help_text=f"Quelques lignes pour s'en souvenir, {NOTE_MAX_LENGTH} caractères au plus. "
                "Toute la structure les lira avec les résultats.",
            )

    def statements(self):
        return [self[item_id] for item_id in self.item_ids]

    def answers(self):
        return {
            item_id: self.cleaned_data[item_id] for item_id in self.item_ids if self.cleaned_data.get(item_id)
        }

    def note(self):
        return self.cleaned_data.get("note", "")


class CompareForm(forms.Form):
    """Two completed assessments of the organisation, by their date."""

    avant = forms.ChoiceField(label="Avant")
    apres = forms.ChoiceField(label="Après")

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(a.pk), f"{a.completed_at:%d/%m/%Y} — {a.overall_level['label']}") for a in assessments
        ]
        self.fields["avant"].choices = choices
        self.fields["apres"].choices = choices
        self.by_id = {str(a.pk): a for a in assessments}

    def clean(self):
        data = super().clean()
        if data.get("avant") and data.get("avant") == data.get("apres"):
            raise forms.ValidationError("Choisissez deux autodiagnostics différents.")
        return data

    def pair(self):
        before, after = self.by_id[self.cleaned_data["avant"]], self.by_id[self.cleaned_data["apres"]]
        if before.completed_at > after.completed_at:
            before, after = after, before
        return before, after
