from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.db import transaction
from django.template.loader import render_to_string

from reperes.accounts import throttle, two_factor
from reperes.accounts.models import SecurityEvent, User
from reperes.lib.forms import SingleLineField
from reperes.lib.mail import queue_mail


class SignUpForm(forms.Form):
    name = SingleLineField(  # it goes into mail subjects
        label="Votre nom",
        max_length=150,
        help_text="Tel qu'il apparaîtra à votre équipe, par exemple « Camille Martin ».",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text="Au moins 10 caractères, pas uniquement des chiffres ni un mot de passe courant.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Un compte existe déjà avec cette adresse. Connectez-vous, ou utilisez "
                "« Mot de passe oublié » si vous ne vous en souvenez plus."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if password := cleaned.get("password"):
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Vérifiez la saisie "
            "(les majuscules comptent dans le mot de passe)."
        ),
        "inactive": "Ce compte est désactivé.",
        "unverified": (
            "Votre adresse e-mail n'est pas encore confirmée. Ouvrez le lien que nous vous "
            "avons envoyé, ou demandez-en un nouveau ci-dessous."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name"]
        labels = {"name": "Votre nom"}
        field_classes = {"name": SingleLineField}  # it goes into mail subjects


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Django's reset mail, queued for the mail task like every mail (reperes.lib.mail). At
        once rather than on commit: asking for a reset changes nothing in the database."""
        subject = render_to_string(subject_template_name, context)
        queue_mail(to_email, subject, render_to_string(email_template_name, context))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Votre mot de passe, pour confirmer",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Ce mot de passe ne correspond pas à votre compte.")
        return password


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or a recovery code, for `user`.

    Wrong codes are counted (reperes.accounts.throttle.code_counter): past the limit, the form
    refuses every code until the wait ends, and says until when (`locked_until`).
    """

    code = forms.CharField(
        label="Code de vérification",
        max_length=32,
        help_text="Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.device = None
        self.counter = throttle.code_counter(user)
        self.locked_until = self.counter.locked_until()

    def clean_code(self):
        from reperes.accounts import actions

        if self.locked_until:
            raise forms.ValidationError(self._locked_message())
        with transaction.atomic():
            self.device = two_factor.match_code(self.user, self.cleaned_data["code"])
        if self.device is not None:
            self.counter.reset()
            return self.cleaned_data["code"]
        actions.record_security_event(self.user, SecurityEvent.Kind.CODE_FAILED, request=self.request)
        self.locked_until = self.counter.fail()
        if self.locked_until:
            actions.record_security_event(
                self.user,
                SecurityEvent.Kind.CODE_LOCKED,
                request=self.request,
                detail=actions.until_label(self.locked_until),
            )
            raise forms.ValidationError(self._locked_message())
        raise forms.ValidationError(
            "Ce code ne convient pas. Vérifiez l'heure de votre téléphone, attendez le code suivant, "
            "ou utilisez un code de secours."
        )

    def _locked_message(self):
        from reperes.accounts import actions

        return (
            "Trop de codes incorrects. Par sécurité, la saisie est suspendue "
            f"{actions.until_label(self.locked_until)}."
        )


class EnableTwoFactorForm(forms.Form):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=16,
        help_text="6 chiffres, qui changent toutes les 30 secondes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args, secret, **kwargs):
        super().__init__(*args, **kwargs)
        self.secret = secret
        self.time_step = None

    def clean_code(self):
        self.time_step = two_factor.check_new_secret(self.secret, self.cleaned_data["code"])
        if self.time_step is None:
            raise forms.ValidationError(
                "Ce code ne correspond pas. Vérifiez que l'application a bien ajouté le compte « Repères », "
                "que l'heure du téléphone est à jour, puis saisissez le code affiché maintenant."
            )
        return self.cleaned_data["code"]


class DisableTwoFactorForm(SecondFactorForm):
    password = forms.CharField(
        label="Votre mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["password", "code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Ce mot de passe ne correspond pas à votre compte.")
        return password

    def clean_code(self):
        if "password" not in self.cleaned_data:
            return self.cleaned_data["code"]  # no code is used up behind a wrong password
        return super().clean_code()
