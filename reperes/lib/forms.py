from django import forms
from django.forms.renderers import TemplatesSetting

from reperes.lib.mail import single_line

# The browser's date and time pickers. They read ISO values only: a date shown as « 14/12/2026 »
# would leave the field empty. Django copies a widget into each field, so one instance serves all.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class FormRenderer(TemplatesSetting):
    """Renders every field through templates/components/field.html (label, help, errors)."""

    field_template_name = "components/field.html"


class SingleLineField(forms.CharField):
    """Text that may end up in a mail subject (a person's or an organisation's name, a title):
    one line, no control character (lib.mail.single_line). What is left empty is refused as
    any empty required field."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if value else value


def checkboxes(label, choices, help_text=""):
    """An optional list of codes chosen among `choices`, as checkboxes; a code that is not among
    them (a tampered form) is refused with a French message."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": "« %(value)s » ne fait pas partie de la liste."},
    )


class SectionedForm:
    """A form shown as cards, one per section: SECTIONS = [(title, [field names])]. A name the
    form does not have (a field removed in __init__) is left out of its card."""

    SECTIONS = []

    def sections(self):
        """[(title, [bound field])] for the page, one card each."""
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS
        ]
