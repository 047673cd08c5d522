"""Small builders for the records-and-reading tests (notes, attachments, timeline, lists, search,
exports). Every name is obviously fictional."""
from __future__ import annotations

import io
import itertools
import struct
import zipfile
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.cases.choices import (
    ConsentMethod,
    EmergencyMeasureKind,
    PersonRole,
    PlaceType,
    ReportChannel,
    RiskLevel,
    Visibility,
)
from apps.cases.models import (
    Attachment,
    Case,
    CaseAssignment,
    CaseNote,
    CaseParticipant,
    CasePerson,
    Consent,
    EmergencyMeasure,
    Incident,
    RiskAssessment,
)
from apps.core.text import search_key

_sequence = itertools.count(1)


def make_case(*, institution, opened_by, reported_at: datetime | None = None, **fields) -> Case:
    """A case led by ``institution`` (in its municipality), with the lead as a team member."""
    n = next(_sequence)
    reported_at = reported_at or timezone.now() - timedelta(days=1)
    year = reported_at.year
    code = (institution.municipality.code or "TST")[:3].upper()
    case = Case.objects.create(
        municipality=institution.municipality,
        number=fields.pop("number", f"{code}-{year}-{n:05d}"),
        year=year,
        sequence=n,
        lead_institution=institution,
        opened_by=opened_by,
        reported_at=reported_at,
        **fields,
    )
    CaseParticipant.objects.create(
        municipality=case.municipality, case=case, institution=institution, added_by=opened_by
    )
    return case


def join(case, institution, *, added_by) -> CaseParticipant:
    """Add an institution to the case team."""
    return CaseParticipant.objects.create(
        municipality=case.municipality, case=case, institution=institution, added_by=added_by
    )


def assign(case, user, *, institution, assigned_by=None) -> CaseAssignment:
    """Assign a staff member to the case."""
    return CaseAssignment.objects.create(
        municipality=case.municipality,
        case=case,
        user=user,
        institution=institution,
        assigned_by=assigned_by or user,
    )


def person(case, first_name: str, last_name: str, *, role=PersonRole.VICTIM, **fields) -> CasePerson:
    """A person on the case, with the script-insensitive name key the persons service writes."""
    return CasePerson.objects.create(
        municipality=case.municipality,
        case=case,
        role=role,
        first_name=first_name,
        last_name=last_name,
        name_key=search_key(f"{first_name} {last_name}"),
        **fields,
    )


def incident(case, *, forms, recorded_by, occurred_at=None, **fields) -> Incident:
    """An incident with the given forms of violence."""
    return Incident.objects.create(
        municipality=case.municipality,
        case=case,
        occurred_at=occurred_at or case.reported_at - timedelta(hours=2),
        reported_at=case.reported_at,
        place_type=PlaceType.SHARED_HOME,
        forms=list(forms),
        channel=ReportChannel.POLICE_REPORT,
        recorded_by=recorded_by,
        **fields,
    )


def risk(case, *, assessor, institution, level=RiskLevel.HIGH, assessed_at=None) -> RiskAssessment:
    return RiskAssessment.objects.create(
        municipality=case.municipality,
        case=case,
        assessor=assessor,
        institution=institution,
        computed_level=level,
        level=level,
        immediate_danger=level == RiskLevel.IMMEDIATE,
        assessed_at=assessed_at or timezone.now(),
    )


def emergency(case, *, ordered_by, recorded_by, delivered_at=None, **fields) -> EmergencyMeasure:
    delivered_at = delivered_at or timezone.now() - timedelta(hours=3)
    return EmergencyMeasure.objects.create(
        municipality=case.municipality,
        case=case,
        kind=EmergencyMeasureKind.REMOVAL,
        order_number="TEST-HM-1",
        ordered_by=ordered_by,
        delivered_at=delivered_at,
        expires_at=delivered_at + timedelta(hours=48),
        extension_proposal_due=delivered_at + timedelta(hours=24),
        recorded_by=recorded_by,
        **fields,
    )


def consent(case, victim, *, recorded_by, institutions=(), given_at=None) -> Consent:
    c = Consent.objects.create(
        municipality=case.municipality,
        case=case,
        person=victim,
        given_at=given_at or date.today(),
        scope="Testna saglasnost",
        method=ConsentMethod.WRITTEN,
        recorded_by=recorded_by,
    )
    c.institutions.set(institutions)
    return c


def note(case, *, author, institution, text="Testna beleška", visibility=Visibility.TEAM, occurred_at=None) -> CaseNote:
    """A note written straight to the table (the service is tested separately)."""
    return CaseNote.objects.create(
        municipality=case.municipality,
        case=case,
        text=text,
        visibility=visibility,
        author=author,
        institution=institution,
        occurred_at=occurred_at or timezone.now(),
    )


def attachment_row(case, *, uploaded_by, institution, visibility=Visibility.TEAM) -> Attachment:
    """An attachment row with a small stored PDF."""
    from django.core.files.base import ContentFile

    a = Attachment(
        municipality=case.municipality,
        case=case,
        original_name="testni-dokument.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        visibility=visibility,
        uploaded_by=uploaded_by,
        institution=institution,
    )
    a.file.save("upload", ContentFile(PDF_BYTES), save=False)
    a.save()
    return a


# --- file contents ----------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 30
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 30 + b"\xff\xd9"
GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP_BYTES = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 20
TIFF_BYTES = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 20
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def zip_bytes(members: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, content) in enumerate(members):
            compress = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def ooxml_bytes(main_part: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package with the given main part (e.g. word/document.xml)."""
    members = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", b"<Relationships/>"), (main_part, b"<doc/>")]
    if macros:
        members.append(("word/vbaProject.bin", b"\x00" * 16))
    return zip_bytes(members)


def odf_bytes(mimetype: str) -> bytes:
    """A minimal OpenDocument package: the uncompressed mimetype member first."""
    return zip_bytes([("mimetype", mimetype.encode()), ("content.xml", b"<office:document-content/>")], stored_first=True)


def ole2_bytes(stream_names: list[str]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose root holds the named streams.

    Sector 0 is the FAT, sector 1 the directory (root entry + up to three streams), sector 2 data.
    """
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [fat_sector, end, end] + [free] * 125
    fat_bytes = struct.pack("<128I", *fat)

    def entry(name: str, kind: int, child=free, left=free, right=free, start=end, size=0) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 0x44, left, right, child)
        struct.pack_into("<II", raw, 0x74, start, size)
        return bytes(raw)

    names = stream_names[:3]
    entries = [entry("Root Entry", 5, child=1 if names else free)]
    for i, name in enumerate(names, start=1):
        entries.append(entry(name, 2, right=i + 1 if i < len(names) else free))
    while len(entries) < 4:
        entries.append(bytes(128))
    directory = b"".join(entries)
    return bytes(header) + fat_bytes + directory + b"\x00" * 512
