from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("Une adresse e-mail est nécessaire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_verified", True)
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Answering a diagnostic never needs one."""

    email = models.EmailField("adresse e-mail", unique=True)
    name = models.CharField("nom affiché", max_length=150)
    email_verified = models.BooleanField("adresse vérifiée", default=False)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(
        "administration de l'instance",
        default=False,
        help_text="Donne accès à l'interface d'administration technique.",
    )
    date_joined = models.DateTimeField("inscription", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "compte"
        verbose_name_plural = "comptes"

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class SecurityEvent(models.Model):
    """What happened to the security of one account: logins, failures, password and two-factor
    changes. Seen by that person (« Sécurité du compte ») and the instance administration only,
    never in an organisation's journal: a lead must not learn when members log in to vote.
    Entries older than SECURITY_LOG_RETENTION are deleted whenever a new one is written."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Connexion"
        LOGIN_FAILED = "login_failed", "Mot de passe incorrect"
        LOGIN_LOCKED = "login_locked", "Connexion suspendue après trop d'essais"
        CODE_FAILED = "code_failed", "Code de double authentification incorrect"
        CODE_LOCKED = "code_locked", "Saisie du code suspendue après trop d'essais"
        RECOVERY_CODE_USED = "recovery_code_used", "Code de secours utilisé"
        PASSWORD_CHANGED = "password_changed", "Mot de passe changé"
        PASSWORD_RESET = "password_reset", "Mot de passe choisi par le lien « mot de passe oublié »"
        EMAIL_VERIFIED = "email_verified", "Adresse e-mail confirmée"
        TWO_FACTOR_ENABLED = "two_factor_enabled", "Double authentification activée"
        TWO_FACTOR_DISABLED = "two_factor_disabled", "Double authentification désactivée"
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "Nouveaux codes de secours"
        ADMIN_LOGIN = "admin_login", "Entrée dans l'administration de l'instance"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="security_events", verbose_name="compte"
    )
    kind = models.CharField("événement", max_length=32, choices=Kind.choices)
    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    network = models.CharField(
        "réseau d'origine",
        max_length=64,
        blank=True,
        help_text="L'adresse IP tronquée (/24 en IPv4, /48 en IPv6) : assez pour reconnaître "
        "un lieu habituel, pas une personne.",
    )
    detail = models.CharField("précision", max_length=200, blank=True)

    class Meta:
        verbose_name = "événement de sécurité"
        verbose_name_plural = "journal de sécurité"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="security_user_at")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.user}"
