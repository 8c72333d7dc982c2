from pathlib import Path

from django.core.management.base import BaseCommand

from kotaku.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        fingerprint = backup_create(archive=archive)
        rows = sum(entry["rows"] for entry in fingerprint.values())
        self.stdout.write(self.style.SUCCESS(f"{rows} rows and the uploads written to {archive}"))
