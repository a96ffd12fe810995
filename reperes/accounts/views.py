from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from reperes.accounts import actions
from reperes.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SignUpForm,
)
from reperes.accounts.models import User
from reperes.lib.signing import LinkExpired, LinkInvalid


@login_not_required
@sensitive_post_parameters("password")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if form.is_valid():
        user = actions.sign_up(**form.cleaned_data)
        request.session["signup_email"] = user.email
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


@login_not_required
def verify(request, token):
    try:
        user = actions.user_from_verification_token(token)
    except LinkExpired:
        return _link_problem(request, "expired")
    except LinkInvalid:
        return _link_problem(request, "invalid")
    if user is None:
        return _link_problem(request, "invalid")
    if request.method == "POST":
        already = user.email_verified
        actions.verify_email(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if not already:
            messages.success(request, "Votre adresse est confirmée. Bienvenue sur Repères !")
        return redirect("home")
    return render(request, "accounts/verify.html", {"verified_user": user})


def _link_problem(request, problem):
    return render(
        request,
        "accounts/verify_problem.html",
        {"problem": problem, "form": ResendVerificationForm()},
        status=400 if problem == "invalid" else 410,
    )


@login_not_required
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None)
    if form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_verified=False, is_active=True
        ).first()
        if user:
            actions.send_verification_email(user)
        # Same answer whether or not the account exists: the page must not reveal who has one.
        messages.success(
            request,
            "Si un compte non confirmé existe avec cette adresse, un nouveau lien vient d'y être "
            "envoyé. Pensez à regarder dans les indésirables.",
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, response=None, credentials=None):
    """Shown by django-axes after too many failed logins: says when to try again."""
    cool_off = settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime() + cool_off
    minutes = int(cool_off.total_seconds() // 60)
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_out": True,
            "cool_off_minutes": minutes,
            "retry_at": retry_at,
        },
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Links are built from SITE_URL, never from the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Receiving the reset email proves the address too.
        actions.verify_email(form.user)
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@sensitive_post_parameters()
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "Votre mot de passe est changé.")
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
def logout(request):
    auth_logout(request)
    messages.info(request, "Vous êtes déconnecté·e. À bientôt !")
    return redirect("home")
