from django import forms

from reperes.results.actions import MAX_PRIORITIES


class PrioritiesForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label="Nos priorités",
        widget=forms.CheckboxSelectMultiple,
        help_text=f"De 1 à {MAX_PRIORITIES} thèmes, choisis ensemble à partir des résultats.",
        error_messages={"required": f"Cochez au moins un thème (et {MAX_PRIORITIES} au plus)."},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t["id"], t["title"]) for t in themes]

    def checkboxes(self):
        """(value, label, checked) per theme, for the results page, which writes the checkboxes
        itself: the widget templates cost a tenth of that page."""
        chosen = {str(value) for value in (self["themes"].value() or [])}
        return [(value, label, value in chosen) for value, label in self.fields["themes"].choices]

    def clean_themes(self):
        themes = self.cleaned_data["themes"]
        if len(themes) > MAX_PRIORITIES:
            raise forms.ValidationError(
                f"{MAX_PRIORITIES} thèmes au plus : c'est déjà beaucoup pour une équipe."
            )
        return themes
