from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from locations import demo as locations_demo


class Command(BaseCommand):
    help = "Load the demo places and users (safe to run again: nothing changes twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        report = locations_demo.load()
        self.stdout.write(
            f"Demo regions: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
        users = accounts_demo.load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD}):")
        )
        for username, role in users:
            self.stdout.write(f"  {username:<22} {role}")
