import uuid

from django import forms

from reperes.exercises.guide import FAMILIES
from reperes.exercises.models import Decision, Entry, Stage
from reperes.lib.forms import SingleLineField

CHOICE_ERROR = {"invalid_choice": "« %(value)s » ne fait pas partie des choix proposés."}


class StartForm(forms.Form):
    """Starting an exercise. `submit_key` is drawn when the form is shown: the same form sent
    twice (a double click, a phone retrying) starts one exercise."""

    title = SingleLineField(label="Titre", max_length=200)
    submit_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["submit_key"].initial = uuid.uuid4()
        if kind.key == "tool_review":
            self.fields["tool_name"] = SingleLineField(
                label="Outil",
                max_length=100,
                help_text="Par exemple « agenda partagé », « logiciel de paie », « groupe de messagerie ».",
            )
            self.fields["family"] = forms.ChoiceField(
                label="Famille d'outils",
                choices=[(family.key, f"{family.label} : {family.examples}") for family in FAMILIES],
                widget=forms.RadioSelect,
                error_messages=CHOICE_ERROR,
            )
            self.fields["stage"] = forms.ChoiceField(
                label="Moment de la revue",
                choices=[(Stage.BEFORE, "Avant de l'adopter"), (Stage.AFTER, "Nous l'utilisons déjà")],
                widget=forms.RadioSelect,
                initial=Stage.BEFORE,
                error_messages=CHOICE_ERROR,
            )
            self.fields["title"].required = False
            self.fields["title"].help_text = "Laissé vide : « Revue de » suivi du nom de l'outil."
            self.order_fields(["tool_name", "family", "stage", "title"])
        else:
            self.fields["title"].initial = kind.default_title

    def clean(self):
        cleaned = super().clean()
        if "submit_key" in self.errors:
            # Shown above the form (a hidden field has no place of its own), with a fresh key
            # so that sending the form again works.
            del self.errors["submit_key"]
            self.add_error(None, "Le formulaire est incomplet : vérifiez-le et envoyez-le à nouveau.")
            self.data = self.data.copy()
            self.data["submit_key"] = str(uuid.uuid4())
        if self.kind.key == "tool_review" and not cleaned.get("title") and cleaned.get("tool_name"):
            cleaned["title"] = f"Revue de « {cleaned['tool_name']} »"[:200]
        return cleaned


class EntriesForm(forms.Form):
    """The team's answers to every section of an exercise, in one form: notes, decision (a tool
    review) and what is agreed, per section. Fields are named « <section>-<field> »."""

    title = SingleLineField(label="Titre", max_length=200)

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        self.fields["title"].initial = exercise.title
        entries = {entry.key: entry for entry in exercise.entries.all()}
        notes_field = Entry._meta.get_field("notes")
        agreed_field = Entry._meta.get_field("agreed")
        for section in exercise.spec.sections:
            entry = entries.get(section.key)
            self.fields[f"{section.key}-notes"] = forms.CharField(
                label="Ce que l'équipe en dit",
                max_length=notes_field.max_length,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=entry.notes if entry else "",
            )
            if exercise.is_tool_review:
                self.fields[f"{section.key}-decision"] = forms.ChoiceField(
                    label="Décision",
                    choices=[("", "À décider"), *Decision.choices],
                    required=False,
                    widget=forms.RadioSelect,
                    initial=entry.decision if entry else "",
                    error_messages=CHOICE_ERROR,
                )
            self.fields[f"{section.key}-agreed"] = SingleLineField(
                label="Ce que nous retenons"
                if exercise.is_tool_review
                else "La règle ou la décision retenue",
                max_length=agreed_field.max_length,
                required=False,
                help_text=agreed_field.help_text,
                initial=entry.agreed if entry else "",
            )

    def groups(self):
        """[{section, fields, earlier}] for the template, in the guide's order."""
        return [
            {
                "section": item["section"],
                "earlier": item["earlier"],
                "fields": [self[name] for name in self.fields if name.startswith(f"{item['section'].key}-")],
            }
            for item in self.exercise.sections()
        ]

    def entries(self):
        """{key: {notes, decision, agreed}} from cleaned_data."""
        return {
            section.key: {
                "notes": self.cleaned_data.get(f"{section.key}-notes", ""),
                "decision": self.cleaned_data.get(f"{section.key}-decision", ""),
                "agreed": self.cleaned_data.get(f"{section.key}-agreed", ""),
            }
            for section in self.exercise.spec.sections
        }
