"""A full disk for media uploads: a real, tiny filesystem (tmpfs) as the media root. The upload is
refused with a message on the file field, no attachment row is saved and no partial file is left."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.cases.models import Attachment
from tests.cases.factories import open_case

FULL_DISK_BYTES = 64 * 1024


@pytest.fixture
def small_disk(settings):
    """A 64 KB filesystem mounted as the media root (the tests run as root, as CI does)."""
    mount = Path(tempfile.mkdtemp(prefix="kzn-full-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={FULL_DISK_BYTES}", "tmpfs", str(mount)], check=True)
    settings.MEDIA_ROOT = str(mount)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)
        mount.rmdir()


def test_an_upload_to_a_full_disk_is_refused_whole(login, jelena, world, small_disk):
    case = open_case(jelena)
    client = login(jelena)
    content = b"%PDF-1.4\n" + b"0" * (4 * FULL_DISK_BYTES) + b"\n%%EOF\n"  # larger than the whole disk
    response = client.post(reverse("cases:attachment_add", args=[case.pk]),
                           {"file": SimpleUploadedFile("izvestaj.pdf", content), "visibility": "team"})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == ["The document could not be stored: the server's storage is full or unavailable. Nothing was "
                      "saved; please try again later and tell your institution's admin."]
    assert not Attachment.objects.filter(case=case).exists()
    assert [p for p in small_disk.rglob("*") if p.is_file()] == []  # no partly written file
    # A file that fits is stored as usual.
    small = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    response = client.post(reverse("cases:attachment_add", args=[case.pk]),
                           {"file": SimpleUploadedFile("kratak.pdf", small), "visibility": "team"})
    assert response.status_code == 302
    assert Attachment.objects.filter(case=case).count() == 1
