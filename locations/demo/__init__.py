"""Demo places: the KOTAKU locations named in public reports (see DOMAIN.md)."""

from pathlib import Path

from locations.services import regions_import

REGIONS_CSV = Path(__file__).with_name("regions.csv")


def load():
    """Load the demo regions through the normal importer (idempotent)."""
    return regions_import(raw=REGIONS_CSV.read_bytes())
