"""Fill the database with a generated KOTAKU program (see kotaku.dataset)."""

from django.core.management.base import BaseCommand, CommandError

from kotaku.dataset import PASSWORD, PREFIX, SCALES, DatasetError, generate


class Command(BaseCommand):
    help = (
        "Generate a realistic program (places, institutions, slum surveys, works, progress "
        "reports, money) on top of the imported region list. Deterministic from --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        try:
            generate(scale=scale, seed=seed, out=self.stdout.write)
        except DatasetError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in as {PREFIX}nasional, {PREFIX}perkim-<kab>, {PREFIX}fasilitator-00001 "
                f"… (password {PASSWORD})."
            )
        )
