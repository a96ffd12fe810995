from django import forms
from django.contrib.auth import password_validation

from reperes.accounts.models import User
from reperes.lib.forms import SingleLineField
from reperes.organisations import reference
from reperes.organisations.models import (
    Network,
    NetworkInvitation,
    NetworkRole,
    Organisation,
    Role,
)

ROLE_HELP = (
    "Référent·e : pilote la démarche et gère l'équipe. Représentant·e du personnel : voit tout "
    "ce que voit la personne référente et copilote. Membre : participe."
)


# The agreement's wording, beside the checkbox (creation and profile) and on the privacy page.
STATISTICS_AGREEMENT = (
    "Ce qui est partagé : des chiffres anonymes et agrégés tirés des diagnostics clôturés de la "
    "structure (scores par thème, nombre de réponses) et de son usage de Repères (plan d'action, "
    "charte de télétravail, autodiagnostic, demandes d'accompagnement) ; jamais une réponse, jamais "
    "un chiffre sous les seuils d'anonymat. Avec qui : les réseaux auxquels la structure adhère, "
    "dans leurs publications trimestrielles, où elle n'est jamais nommée. Vous pouvez retirer cet "
    "accord à tout moment dans le profil de la structure : il prend effet à la publication suivante."
)


class OrganisationForm(forms.ModelForm):
    legal_form = forms.ChoiceField(label="Forme juridique")
    sector = forms.ChoiceField(label="Secteur d'activité")
    region = forms.ChoiceField(label="Région")
    opco = forms.ChoiceField(
        label="OPCO",
        required=False,
        help_text="L'opérateur de compétences de votre branche, si vous le connaissez.",
    )

    class Meta:
        model = Organisation
        field_classes = {"name": SingleLineField}  # it goes into the subject of every invitation
        fields = [
            "name",
            "legal_form",
            "headcount",
            "employees",
            "sector",
            "region",
            "opco",
            "has_cse",
            "has_union_delegate",
            "shares_statistics",
        ]
        labels = {
            "name": "Nom de la structure",
            "headcount": "Effectif",
            "has_cse": "La structure a un comité social et économique (CSE) élu",
            "has_union_delegate": "La structure a un·e délégué·e syndical·e",
            "shares_statistics": "Contribuer aux statistiques anonymes de nos réseaux",
        }
        help_texts = {
            "headcount": "Salarié·es, associé·es et bénévoles réguliers qui participeront.",
            "shares_statistics": STATISTICS_AGREEMENT,
            "employees": "Les salarié·es seulement, sans les bénévoles : les parcours et le droit "
            "du travail comptent ainsi (par exemple « moins de 50 salarié·es »).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholder = [("", "Choisir…")]
        self.fields["legal_form"].choices = placeholder + reference.choices("legal_forms")
        self.fields["sector"].choices = placeholder + reference.choices("sectors")
        self.fields["region"].choices = placeholder + reference.choices("regions")
        self.fields["opco"].choices = [("", "Je ne sais pas / aucun")] + reference.choices("opcos")
        self.fields["headcount"].min_value = 1
        self.fields["headcount"].widget.attrs.update({"min": 1, "max": 100000, "inputmode": "numeric"})
        self.fields["employees"].widget.attrs.update({"min": 0, "max": 100000, "inputmode": "numeric"})
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean_headcount(self):
        headcount = self.cleaned_data["headcount"]
        if headcount < 1:
            raise forms.ValidationError("L'effectif compte au moins une personne.")
        if headcount > 100000:
            raise forms.ValidationError("Cet effectif semble trop grand : vérifiez le nombre.")
        return headcount

    def clean_employees(self):
        employees = self.cleaned_data["employees"]
        if employees is not None and employees > 100000:
            raise forms.ValidationError("Ce nombre semble trop grand : vérifiez-le.")
        return employees


class InviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne")
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.MEMBER, help_text=ROLE_HELP)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError("Cette personne fait déjà partie de la structure.")
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class JoinNetworkForm(forms.Form):
    code = forms.CharField(
        label="Code d'adhésion du réseau",
        max_length=16,
        help_text="Le code de 8 caractères que votre réseau vous a communiqué.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "").replace("-", "")
        network = Network.objects.filter(join_code=code).first()
        if network is None:
            raise forms.ValidationError(
                "Aucun réseau ne correspond à ce code. Vérifiez-le auprès de votre réseau."
            )
        self.network = network
        return code


class NetworkInviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    role = forms.ChoiceField(
        label="Inviter comme",
        choices=NetworkInvitation.ROLE_CHOICES,
        initial=NetworkRole.FACILITATOR,
        help_text="« Structure adhérente » : la personne référente d'une structure reçoit un lien "
        "pour faire adhérer sa structure au réseau.",
    )


class NewAccountForm(forms.Form):
    """Creates the account of someone who accepts an invitation without having one."""

    name = SingleLineField(  # shown in the subject of the invitations this person will send
        label="Votre nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choisissez un mot de passe",
        strip=False,
        help_text="Au moins 10 caractères, pas uniquement des chiffres ni un mot de passe courant.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        if password := cleaned.get("password"):
            candidate = User(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ChooseOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Structure qui rejoint le réseau",
        queryset=Organisation.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
