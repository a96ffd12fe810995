from django import forms

from reperes.instruments.xlsform import MAX_BYTES


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="Classeur XLSForm (.xlsx)",
        help_text=(
            "Feuilles « survey », « choices » et « settings » ; les colonnes « reperes_… » et la feuille "
            f"« reperes » portent ce que seul Repères lit. {MAX_BYTES // (1024 * 1024)} Mo au plus."
        ),
        error_messages={
            "required": "Choisissez le classeur à importer.",
            "empty": "Ce fichier est vide : rien n'a été importé.",
        },
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        # Refused before it is read: the size the upload announces is the size received.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Ce fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : ce n'est pas un questionnaire. "
                "Rien n'a été importé."
            )
        return upload
