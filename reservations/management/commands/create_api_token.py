"""Issue (or revoke) Bearer tokens for an API client's user."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reservations import auth


class Command(BaseCommand):
    help = "Prints a new Bearer token for USERNAME (shown once), or revokes all its tokens."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Revoke every token of the user.")

    def handle(self, *args, username: str, revoke: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named '{username}'.")
        if revoke:
            count = auth.revoke_tokens(user=user)
            self.stdout.write(self.style.SUCCESS(f"Revoked {count} token(s) of {username}."))
            return
        self.stdout.write(auth.issue_token(user=user))
