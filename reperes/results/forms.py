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

    def clean_themes(self):
        themes = self.cleaned_data["themes"]
        if len(themes) > MAX_PRIORITIES:
            raise forms.ValidationError(
                f"{MAX_PRIORITIES} thèmes au plus : c'est déjà beaucoup pour une équipe."
            )
        return themes
