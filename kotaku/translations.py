"""Compile the .po catalogues to .mo with Babel (pure Python, no GNU gettext needed).

`make run` and `make test` call this through `manage.py compile_translations`; the .mo
files are build output and are not committed.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_paths(base_dir: Path):
    yield from sorted(base_dir.glob("locale/*/LC_MESSAGES/*.po"))
    yield from sorted(base_dir.glob("*/locale/*/LC_MESSAGES/*.po"))


def compile_catalogues(base_dir: Path) -> list[Path]:
    """Write a .mo next to every .po that is newer than its .mo; return those written."""
    written = []
    for po_path in catalogue_paths(base_dir):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        locale = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=locale)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        written.append(mo_path)
    return written
