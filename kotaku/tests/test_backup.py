import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from kotaku.backup import database_fingerprint
from locations.models import RtRw


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_equal_counts_and_sums(
    tmp_path, settings, capsys
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "works" / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "works" / "photos" / "foto.jpg").write_bytes(b"\xff\xd8\xff-photo")
    call_command("load_demo")
    RtRw.objects.create(kelurahan_id="35.19.09.2010", rt=99, rw=9)
    before = database_fingerprint()
    archive = tmp_path / "kotaku.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    (settings.MEDIA_ROOT / "works" / "photos" / "foto.jpg").unlink()
    assert not User.objects.exists()

    call_command("restore", str(archive))
    assert database_fingerprint() == before
    photo = settings.MEDIA_ROOT / "works" / "photos" / "foto.jpg"
    assert photo.read_bytes() == b"\xff\xd8\xff-photo"
    assert User.objects.get(username="fasilitator.jiwan").check_password("kotaku-demo-2026")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo")
    archive = tmp_path / "kotaku.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
