from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every field through templates/components/field.html (label, help, errors)."""

    field_template_name = "components/field.html"
