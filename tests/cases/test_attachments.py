"""Attachments: size limit, type checked by content (never the name), opaque storage, permission-
checked and audited reads."""
import hashlib
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation

from apps.cases.choices import Visibility
from apps.cases.models import Attachment, Case
from apps.cases.services.attachments import attachment_add, attachment_open
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry

from .factories_records import (
    EXE_BYTES,
    GIF_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    TIFF_BYTES,
    WEBP_BYTES,
    join,
    make_case,
    odf_bytes,
    ole2_bytes,
    ooxml_bytes,
    zip_bytes,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def case(world):
    c = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    join(c, world.police_a, added_by=world.users["caseworker"])
    return c


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def add(world, case, name, content, **kwargs):
    return attachment_add(user=world.users["caseworker"], case=case, uploaded_file=upload(name, content), **kwargs)


def refused(world, case, name, content, media_root) -> str:
    with pytest.raises(ValidationError) as exc:
        add(world, case, name, content)
    assert list(exc.value.message_dict) == ["file"]
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []
    assert not AuditEntry.objects.filter(object_type="cases.attachment").exists()
    return " ".join(exc.value.message_dict["file"])


def test_pdf_is_stored_with_an_opaque_name_hash_and_size(world, case, media_root, settings):
    before = Case.objects.get(pk=case.pk).last_activity_at
    attachment = add(world, case, "Izveštaj policije.pdf", PDF_BYTES, description="Zapisnik")

    attachment.refresh_from_db()
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.original_name == "Izveštaj policije.pdf"
    assert attachment.institution_id == world.csr_a.pk
    path = Path(attachment.file.path)
    assert path.is_relative_to(media_root)
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert "Izve" not in attachment.file.name and not attachment.file.name.endswith(".pdf")
    assert path.read_bytes() == PDF_BYTES
    entry = AuditEntry.objects.get(object_type="cases.attachment", object_id=str(attachment.pk))
    assert entry.action == AuditAction.CREATE
    assert "Izve" not in str(entry.details)
    assert Case.objects.get(pk=case.pk).last_activity_at > before


@pytest.mark.parametrize(
    "name,content,mime",
    [
        ("slika.png", PNG_BYTES, "image/png"),
        ("slika.JPG", JPEG_BYTES, "image/jpeg"),
        ("slika.jpeg", JPEG_BYTES, "image/jpeg"),
        ("slika.gif", GIF_BYTES, "image/gif"),
        ("slika.webp", WEBP_BYTES, "image/webp"),
        ("sken.tif", TIFF_BYTES, "image/tiff"),
        ("sken.tiff", TIFF_BYTES, "image/tiff"),
        ("plan.docx", ooxml_bytes("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("tabela.xlsx", ooxml_bytes("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("prezentacija.pptx", ooxml_bytes("ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("plan.odt", odf_bytes("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
        ("tabela.ods", odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
        ("stari.doc", ole2_bytes(["WordDocument", "1Table"]), "application/msword"),
        ("stara.xls", ole2_bytes(["Workbook"]), "application/vnd.ms-excel"),
        ("stara.ppt", ole2_bytes(["PowerPoint Document"]), "application/vnd.ms-powerpoint"),
    ],
)
def test_accepted_types(world, case, name, content, mime):
    attachment = add(world, case, name, content)
    assert attachment.content_type == mime
    assert Path(attachment.file.path).read_bytes() == content


def test_real_xlsx_written_by_a_spreadsheet_library_is_accepted(world, case):
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    attachment = add(world, case, "Tabela.xlsx", buffer.getvalue())
    assert attachment.content_type.endswith("spreadsheetml.sheet")


def test_executable_disguised_as_pdf_is_refused(world, case, media_root):
    message = refused(world, case, "nalaz.pdf", EXE_BYTES, media_root)
    assert ".pdf" in message


def test_pdf_named_as_a_word_document_is_refused(world, case, media_root):
    message = refused(world, case, "nalaz.docx", PDF_BYTES, media_root)
    assert ".pdf" in message and ".docx" in message


def test_ole2_file_named_doc_but_holding_a_workbook_is_refused(world, case, media_root):
    refused(world, case, "nalaz.doc", ole2_bytes(["Workbook"]), media_root)


def test_ole2_file_that_is_not_an_office_document_is_refused(world, case, media_root):
    """An installer package (MSI) is an OLE2 file too."""
    refused(world, case, "setup.doc", ole2_bytes(["SummaryInformation", "Property"]), media_root)


def test_zip_that_is_not_office_open_xml_is_refused(world, case, media_root):
    refused(world, case, "dokument.docx", zip_bytes([("readme.txt", b"test")]), media_root)


def test_zip_with_content_types_but_no_main_part_is_refused(world, case, media_root):
    content = zip_bytes([("[Content_Types].xml", b"<Types/>"), ("other/part.xml", b"<x/>")])
    refused(world, case, "dokument.docx", content, media_root)


def test_plain_zip_archive_is_refused(world, case, media_root):
    with translation.override("en"):
        message = refused(world, case, "arhiva.zip", zip_bytes([("a.txt", b"x")]), media_root)
    assert "PDF" in message


def test_document_with_macros_is_refused(world, case, media_root):
    with translation.override("en"):
        message = refused(world, case, "makro.docx", ooxml_bytes("word/document.xml", macros=True), media_root)
    assert "macro" in message


def test_legacy_document_with_macros_is_refused(world, case, media_root):
    refused(world, case, "makro.doc", ole2_bytes(["WordDocument", "Macros"]), media_root)


def test_executable_is_refused(world, case, media_root):
    refused(world, case, "program.exe", EXE_BYTES, media_root)


def test_text_file_is_refused(world, case, media_root):
    refused(world, case, "beleska.txt", b"obican tekst", media_root)


def test_file_without_extension_is_refused(world, case, media_root):
    message = refused(world, case, "nalaz", PDF_BYTES, media_root)
    assert ".pdf" in message


def test_empty_file_is_refused(world, case, media_root):
    refused(world, case, "prazan.pdf", b"", media_root)


def test_file_over_20_mb_is_refused(world, case, media_root):
    content = PDF_BYTES + b"0" * (20 * 1024 * 1024 + 1 - len(PDF_BYTES))
    message = refused(world, case, "veliki.pdf", content, media_root)
    assert "20 MB" in message


def test_file_of_exactly_20_mb_is_accepted(world, case):
    content = PDF_BYTES + b"0" * (20 * 1024 * 1024 - len(PDF_BYTES))
    attachment = add(world, case, "granica.pdf", content)
    assert attachment.size == 20 * 1024 * 1024


def test_size_limit_comes_from_the_settings(world, case, media_root, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    content = PDF_BYTES + b"0" * (1024 * 1024)
    message = refused(world, case, "srednji.pdf", content, media_root)
    assert "1 MB" in message


def test_description_too_long_names_the_field_and_stores_nothing(world, case, media_root):
    with pytest.raises(ValidationError) as exc:
        add(world, case, "nalaz.pdf", PDF_BYTES, description="x" * 300)
    assert "description" in exc.value.message_dict
    assert stored_files(media_root) == []
    assert not Attachment.objects.exists()


def test_user_of_another_municipality_cannot_attach(world, case, media_root):
    with pytest.raises(Http404):
        attachment_add(
            user=world.users["other_municipality"]["caseworker"], case=case, uploaded_file=upload("a.pdf", PDF_BYTES)
        )
    assert stored_files(media_root) == []


def test_open_returns_the_file_and_audits_the_read(world, case):
    attachment = add(world, case, "nalaz.pdf", PDF_BYTES)
    police = world.users["police_caseworker"]
    opened = attachment_open(user=police, attachment=attachment)
    try:
        assert opened.file.read() == PDF_BYTES
    finally:
        opened.file.close()
    entry = AuditEntry.objects.get(object_type="cases.attachment", object_id=str(attachment.pk), action=AuditAction.VIEW)
    assert entry.actor == police


def test_own_institution_attachment_cannot_be_opened_by_another_team_member(world, case):
    attachment = add(world, case, "nalaz.pdf", PDF_BYTES, visibility=Visibility.OWN_INSTITUTION)
    with pytest.raises(Http404):
        attachment_open(user=world.users["police_caseworker"], attachment=attachment)
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="cases.attachment").exists()
    opened = attachment_open(user=world.users["coordinator"], attachment=attachment.pk)
    opened.file.close()


@pytest.mark.parametrize("who", ["other_municipality", "official", "platform_admin"])
def test_outsiders_cannot_open_attachments(world, case, who):
    attachment = add(world, case, "nalaz.pdf", PDF_BYTES)
    user = {
        "other_municipality": world.users["other_municipality"]["caseworker"],
        "official": world.users["official"],
        "platform_admin": world.platform_admin,
    }[who]
    with pytest.raises(Http404):
        attachment_open(user=user, attachment=attachment)


def test_restricted_case_attachment_only_for_assigned_staff(world, case):
    attachment = add(world, case, "nalaz.pdf", PDF_BYTES)
    Case.objects.filter(pk=case.pk).update(is_restricted=True)
    with pytest.raises(Http404):
        attachment_open(user=world.users["police_caseworker"], attachment=attachment)


def test_closed_case_takes_no_new_attachments(world, case, media_root):
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationError):
        add(world, case, "nalaz.pdf", PDF_BYTES)
    assert stored_files(media_root) == []


def test_real_pdf_with_a_dangerous_extension_is_refused(world, case, media_root):
    refused(world, case, "nalaz.pdf.exe", PDF_BYTES, media_root)


def test_odf_template_or_unknown_opendocument_kind_is_refused(world, case, media_root):
    refused(world, case, "obrazac.odt", odf_bytes("application/vnd.oasis.opendocument.text-template"), media_root)


def test_sweep_removes_only_old_files_no_attachment_references(world, case, media_root):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from apps.cases.services.attachments import attachments_sweep_orphans

    kept = add(world, case, "Izveštaj.pdf", PDF_BYTES)
    # An upload inside a larger transaction that is rolled back leaves its file without a row.
    with pytest.raises(RuntimeError), transaction.atomic():
        add(world, case, "Poništeno.pdf", PDF_BYTES)
        raise RuntimeError("the surrounding work failed")
    assert len(stored_files(media_root)) == 2
    assert Attachment.objects.count() == 1
    # Written now by the platform's clock (the file system keeps the real one when tests pin it).
    for path in stored_files(media_root):
        os.utime(path, (timezone.now().timestamp(),) * 2)

    # Too fresh: the transaction that wrote it might still be open.
    assert attachments_sweep_orphans() == 0
    assert len(stored_files(media_root)) == 2

    assert attachments_sweep_orphans(now=timezone.now() + timedelta(days=2)) == 1
    remaining = stored_files(media_root)
    assert [p.relative_to(media_root).as_posix() for p in remaining] == [kept.file.name]
    assert attachment_open(user=world.users["caseworker"], attachment=kept).file.read() == PDF_BYTES
