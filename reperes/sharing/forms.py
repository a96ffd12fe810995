from django import forms


def audience_key(network, cohort):
    return f"cohorte-{cohort.pk}" if cohort else f"reseau-{network.pk}"


class ShareForm(forms.Form):
    """Whom to share a campaign's results with, among the audiences not shared with yet."""

    audience = forms.ChoiceField(
        label="Partager avec",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez avec qui partager.",
            "invalid_choice": "Ce choix n'est plus possible : rechargez la page.",
        },
    )

    def __init__(self, *args, audiences, current, **kwargs):
        super().__init__(*args, **kwargs)
        taken = {audience_key(share.network, share.cohort) for share in current if not share.facilitator_id}
        self.audiences = {
            audience_key(network, cohort): (network, cohort)
            for network, cohort in audiences
            if audience_key(network, cohort) not in taken
        }
        self.fields["audience"].choices = [
            (
                key,
                f"Les accompagnateur·rices de la cohorte « {cohort.name} » ({network.name})"
                if cohort
                else f"Les accompagnateur·rices du réseau « {network.name} »",
            )
            for key, (network, cohort) in self.audiences.items()
        ]

    def clean_audience(self):
        return self.audiences[self.cleaned_data["audience"]]
