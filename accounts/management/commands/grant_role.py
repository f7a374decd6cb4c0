from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import Role, User
from core.models import Ward


class Command(BaseCommand):
    help = (
        "Give a user a role, for every ward or for one (e.g. grant_role a@b.jp moderator 131067)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("ward_code", nargs="?", help="six-digit ward code; omit for all wards")

    def handle(self, email, role, ward_code=None, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}")
        ward = None
        if ward_code:
            ward = Ward.objects.filter(code=ward_code).first()
            if ward is None:
                raise CommandError(f"No ward with code {ward_code}")
        services.grant_role(user, Role(role), ward=ward)
        self.stdout.write(self.style.SUCCESS(f"{user.email}: {Role(role).label}"))
