from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from reperes.demo.management.commands.seed_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Prints the current two-factor code of the demo's network and administration accounts "
        "(they share one authenticator key). DEBUG only: the key is public."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code ne sert qu'à la démonstration : il s'exécute avec DEBUG=1.")
        totp = TOTP(unhexlify(DEMO_TOTP_KEY.encode()))
        self.stdout.write(f"Code de double authentification de la démo : {totp.token():06d}")
