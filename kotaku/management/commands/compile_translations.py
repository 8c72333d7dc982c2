from django.conf import settings
from django.core.management.base import BaseCommand

from kotaku.translations import compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) with Babel."

    def handle(self, *args, **options):
        written = compile_catalogues(settings.BASE_DIR)
        self.stdout.write(f"{len(written)} catalogue(s) compiled.")
