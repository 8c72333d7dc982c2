from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from budgets import demo as budgets_demo
from locations import demo as locations_demo
from programs import demo as programs_demo
from slums import demo as slums_demo
from works import demo as works_demo


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
        self.stdout.write(f"Demo slum areas: {slums_demo.load()} created")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD}):")
        )
        for username, role in users:
            self.stdout.write(f"  {username:<22} {role}")
        programs = programs_demo.load()
        self.stdout.write(f"Demo programs: {programs['bkm']} BKM/LKM, {programs['groups']} groups")
        works_demo.load(say=self.stdout.write)
        budgets_demo.load(say=self.stdout.write)
