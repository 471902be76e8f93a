import os

from django.core.management.base import BaseCommand, CommandError

from live import pushpin


class Command(BaseCommand):
    help = (
        "Run Pushpin with the repository's configuration (deploy/pushpin/) and this machine's ports: "
        "PUSHPIN_PORT, PUSHPIN_CONTROL_PORT, PUSHPIN_ROUTE, PUSHPIN_DIR (the Procfile's push)."
    )

    def handle(self, *args, **options) -> None:
        if not pushpin.installed():
            raise CommandError(pushpin.INSTALL_HINT)
        command = pushpin.command_from_environment()
        self.stdout.write(self.style.SUCCESS(f"Starting {' '.join(command)}"))
        self.stdout.flush()
        os.execvp(command[0], command)  # Pushpin itself gets the signals to stop
