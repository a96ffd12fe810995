from django.urls import path

from reperes.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("verification/renvoyer/", views.resend_verification, name="resend_verification"),
    path("verification/<str:token>/", views.verify, name="verify"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.login_code, name="login_code"),
    path("deconnexion/", views.logout, name="logout"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mot-de-passe/", views.password_change, name="password_change"),
    path("securite/", views.security_log, name="security_log"),
    path("double-authentification/activer/", views.two_factor_enable, name="two_factor_enable"),
    path("double-authentification/codes-de-secours/", views.recovery_codes, name="recovery_codes"),
    path("double-authentification/desactiver/", views.two_factor_disable, name="two_factor_disable"),
    path("", views.profile, name="profile"),
]
