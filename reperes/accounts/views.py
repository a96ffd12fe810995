import math
import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from reperes.accounts import actions, throttle, two_factor
from reperes.accounts.forms import (
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SecondFactorForm,
    SignUpForm,
)
from reperes.accounts.models import User
from reperes.lib.errors import too_many_requests
from reperes.lib.limits import Throttled, count_mail_request, in_duration, may_send_to
from reperes.lib.signing import LinkExpired, LinkInvalid

# Between the password and the code: who, since when, where to go next (in the session).
PENDING_LOGIN = "reperes_pending_login"
PENDING_LOGIN_MAX_AGE = 10 * 60
# The secret of an authenticator app being set up, until a first code confirms it.
SETUP_SECRET = "reperes_totp_setup"
# Recovery codes just made, shown once.
FRESH_CODES = "reperes_fresh_recovery_codes"


@login_not_required
@sensitive_post_parameters("password")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if form.is_valid():
        try:
            count_mail_request(request)
        except Throttled as throttled:
            return too_many_requests(request, throttled)
        user = actions.sign_up(**form.cleaned_data)
        request.session["signup_email"] = user.email
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


@login_not_required
def verify(request, token):
    """A page with a button: opening the link (as mail scanners do) uses nothing up, and
    confirming verifies the address once without logging anyone in."""
    try:
        user = actions.user_from_verification_token(token)
    except LinkExpired:
        return _link_problem(request, "expired")
    except LinkInvalid:
        return _link_problem(request, "invalid")
    except actions.LinkUsed:
        return _link_problem(request, "used")
    if request.method == "POST":
        actions.verify_email(user, request=request)
        messages.success(request, "Votre adresse est confirmée. Connectez-vous avec votre mot de passe.")
        return redirect("home" if request.user.is_authenticated else "accounts:login")
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
        try:
            count_mail_request(request)
        except Throttled as throttled:
            return too_many_requests(request, throttled)
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_verified=False, is_active=True
        ).first()
        if user and may_send_to(user.email):  # past the address's daily quota, silently nothing
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
    """The password. An account with two-factor authentication is not logged in yet: it goes
    on to the code step, remembered in the session for ten minutes."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_two_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


def locked_out(request, response=None, credentials=None):
    """Shown (429) by django-axes when a login wait runs: says why and until when."""
    locks = AxesProxyHandler.get_implementation().locks(request, credentials)
    until = locks[-1].until if locks else throttle.now() + 60
    seconds = max(1, math.ceil(until - throttle.now()))
    response = render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request),
            "locked_out": True,
            # The longest wait says why.
            "lock_reason": locks[-1].rule if locks else "",
            "retry_until": actions.until_label(until),
            "retry_in": in_duration(seconds),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


def _code_step_user(request):
    """(user, where to go next, pending login) for the code step, or (None, …) when there is
    nothing to verify."""
    if request.user.is_authenticated:
        # Signed in without a code (a session from before the app was added, or a page that
        # asks again): the code verifies this session.
        next_url = _safe_next(request, request.GET.get("next"))
        if two_factor.has_two_factor(request.user) and not request.user.is_verified():
            return request.user, next_url, None
        return None, next_url, None
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_MAX_AGE:
        return None, reverse("accounts:login"), None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not two_factor.has_two_factor(user):
        return None, reverse("accounts:login"), None
    return user, _safe_next(request, pending["next"]), pending


@login_not_required
@sensitive_post_parameters("code")
def login_code(request):
    user, next_url, pending = _code_step_user(request)
    if user is None:
        if not request.user.is_authenticated:
            messages.info(request, "Saisissez d'abord votre adresse et votre mot de passe.")
        return redirect(next_url)
    form = SecondFactorForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        if pending is not None:
            del request.session[PENDING_LOGIN]
            user.otp_device = form.device  # django-otp keeps it in the session at login
            login(request, user, backend=pending["backend"])
        else:
            otp_login(request, form.device)
        actions.second_factor_used(user, form.device, request=request)
        if isinstance(form.device, StaticDevice):
            messages.warning(request, _recovery_code_message(user))
        return redirect(next_url)
    response = render(
        request,
        "accounts/login_code.html",
        {"form": form, "pending": pending is not None},
        status=429 if form.locked_until else 200,
    )
    if form.locked_until:
        response["Retry-After"] = str(max(1, math.ceil(form.locked_until - throttle.now())))
    return response


def _recovery_code_message(user):
    left = two_factor.recovery_codes_left(user)
    if left == 0:
        return (
            "Vous avez utilisé votre dernier code de secours : créez-en de nouveaux dans "
            "« Mon compte » dès maintenant."
        )
    plural = "s" if left > 1 else ""
    return (
        f"Ce code de secours ne servira plus. Il vous en reste {left}. Si votre téléphone est perdu, "
        "désactivez puis réactivez la double authentification depuis « Mon compte »."
        if left > 3
        else f"Il ne vous reste que {left} code{plural} de secours : créez-en de nouveaux "
        "dans « Mon compte »."
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            count_mail_request(self.request)
        except Throttled as throttled:
            return too_many_requests(self.request, throttled)
        if not may_send_to(form.cleaned_data["email"]):
            # The same page as when the email goes: nobody learns whether the address has an account.
            return redirect(self.success_url)
        # Links are built from SITE_URL, never from the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Receiving the reset email proves the address too; the account's login wait ends.
        actions.password_was_reset(form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        actions.rename(request.user, name=form.cleaned_data["name"])
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    context = {
        "form": form,
        "two_factor": two_factor.has_two_factor(request.user),
        "recovery_codes_left": two_factor.recovery_codes_left(request.user),
    }
    return render(request, "accounts/profile.html", context)


@sensitive_post_parameters()
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if form.is_valid():
        actions.change_password(request.user, form.cleaned_data["new_password1"], request=request)
        update_session_auth_hash(request, request.user)
        messages.success(request, "Votre mot de passe est changé.")
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
def logout(request):
    auth_logout(request)
    messages.info(request, "Vous êtes déconnecté·e. À bientôt !")
    return redirect("home")


def security_log(request):
    """« Sécurité du compte »: the account's own security events, newest first."""
    events = request.user.security_events.all()[:200]
    return render(
        request,
        "accounts/security_log.html",
        {"events": events, "two_factor": two_factor.has_two_factor(request.user)},
    )


@sensitive_post_parameters("code")
def two_factor_enable(request):
    """Scan the QR code (or type the key), confirm with a first code; then the recovery codes."""
    next_url = request.GET.get("next", "")
    if two_factor.has_two_factor(request.user):
        messages.info(request, "La double authentification est déjà activée sur votre compte.")
        return redirect(_safe_next(request, next_url) if next_url else "accounts:profile")
    secret = request.session.get(SETUP_SECRET) or two_factor.new_secret()
    request.session[SETUP_SECRET] = secret
    form = EnableTwoFactorForm(request.POST or None, secret=secret)
    if form.is_valid():
        device, codes = actions.enable_two_factor(
            request.user, secret=secret, time_step=form.time_step, request=request
        )
        del request.session[SETUP_SECRET]
        otp_login(request, device)
        request.session[FRESH_CODES] = codes
        messages.success(request, "La double authentification est activée.")
        url = reverse("accounts:recovery_codes")
        if next_url:
            url += "?" + urlencode({"next": _safe_next(request, next_url)})
        return redirect(url)
    url = two_factor.otpauth_url(request.user, secret)
    context = {
        "form": form,
        "qr": two_factor.qr_svg(url),
        "secret": two_factor.readable_secret(secret),
        "next_url": next_url,
    }
    return render(request, "accounts/two_factor_enable.html", context)


def recovery_codes(request):
    """The codes just made, shown once; and a button to replace them all."""
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:profile")
    if request.method == "POST":
        two_factor.require_verified(
            request, reason="Saisissez d'abord un code pour confirmer que c'est bien vous."
        )
        request.session[FRESH_CODES] = actions.renew_recovery_codes(request.user, request=request)
        messages.success(request, "Vos nouveaux codes de secours sont prêts ; les anciens ne servent plus.")
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(FRESH_CODES, None)
    next_url = request.GET.get("next", "")
    context = {
        "codes": [two_factor.readable_code(code) for code in codes] if codes else None,
        "codes_left": two_factor.recovery_codes_left(request.user),
        "next_url": _safe_next(request, next_url) if next_url else "",
    }
    return render(request, "accounts/recovery_codes.html", context)


@sensitive_post_parameters()
def two_factor_disable(request):
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:profile")
    form = DisableTwoFactorForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        actions.disable_two_factor(request.user, request=request)
        messages.success(request, "La double authentification est désactivée.")
        return redirect("accounts:profile")
    response = render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form},
        status=429 if form.locked_until else 200,
    )
    return response
