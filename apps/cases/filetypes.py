"""File types accepted as case attachments, recognised from the content (never from the name).

Sniffing is done by hand (the signatures are few and stable): PDF, PNG, JPEG, GIF, WebP, TIFF,
Office Open XML (a ZIP with [Content_Types].xml and the main part of a Word, Excel or PowerPoint
document), OpenDocument (a ZIP whose first member is ``mimetype``) and the legacy binary Office
formats (an OLE2 compound file whose directory holds the Word, Excel or PowerPoint stream).
"""
from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    """A recognised type: a short code, its MIME type and the file-name extensions that fit it."""

    code: str
    mime: str
    extensions: tuple[str, ...]

    @property
    def main_extension(self) -> str:
        return self.extensions[0]


PDF = FileType("pdf", "application/pdf", ("pdf",))
PNG = FileType("png", "image/png", ("png",))
JPEG = FileType("jpeg", "image/jpeg", ("jpg", "jpeg"))
GIF = FileType("gif", "image/gif", ("gif",))
WEBP = FileType("webp", "image/webp", ("webp",))
TIFF = FileType("tiff", "image/tiff", ("tif", "tiff"))
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",))
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = FileType("odp", "application/vnd.oasis.opendocument.presentation", ("odp",))
ODG = FileType("odg", "application/vnd.oasis.opendocument.graphics", ("odg",))
DOC = FileType("doc", "application/msword", ("doc",))
XLS = FileType("xls", "application/vnd.ms-excel", ("xls",))
PPT = FileType("ppt", "application/vnd.ms-powerpoint", ("ppt",))

ACCEPTED: tuple[FileType, ...] = (PDF, PNG, JPEG, GIF, WEBP, TIFF, DOCX, XLSX, PPTX, ODT, ODS, ODP, ODG, DOC, XLS, PPT)
ACCEPTED_EXTENSIONS = frozenset(ext for t in ACCEPTED for ext in t.extensions)

_OOXML_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ODF_TYPES = {t.mime: t for t in (ODT, ODS, ODP, ODG)}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in the root storage that identify the legacy Office applications.
_OLE_STREAMS = (("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT))


class MacroDocument(Exception):
    """An Office document carrying macros (refused: macros are executable code)."""


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, without the dot ('' when there is none)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return base.rsplit(".", 1)[-1].strip().lower()


def detect(data: bytes) -> FileType | None:
    """The accepted type the content is, or None. Raises MacroDocument for macro-enabled Office files."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if data.startswith(b"PK\x03\x04"):
        return _detect_zip(data)
    if data.startswith(_OLE_SIGNATURE):
        return _detect_ole(data)
    return None


def _detect_zip(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if not members:
                return None
            first = members[0]
            if first.filename == "mimetype":
                # ODF stores the mimetype first and uncompressed; read at most a few bytes of it.
                if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
                    return None
                mime = archive.read(first).decode("ascii", "replace").strip()
                return _ODF_TYPES.get(mime)
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise MacroDocument()
            for part, filetype in _OOXML_MAIN_PARTS:
                if part in names:
                    return filetype
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, EOFError):
        return None


def _detect_ole(data: bytes) -> FileType | None:
    """Read the directory of an OLE2 compound file and find the Office application's stream."""
    try:
        names = _ole_root_names(data)
    except (struct.error, ValueError, IndexError):
        return None
    if "_VBA_PROJECT_CUR" in names or "Macros" in names:
        raise MacroDocument()
    for stream, filetype in _OLE_STREAMS:
        if stream in names:
            return filetype
    return None


_END = 0xFFFFFFFA  # ids from here up are special (end of chain, free, FAT/DIFAT sector)


def _ole_root_names(data: bytes) -> set[str]:
    """The names of the directory entries of a compound file ([MS-CFB]); bounded by the file size."""
    if len(data) < 512:
        raise ValueError("too short")
    (major,) = struct.unpack_from("<H", data, 0x1A)
    (shift,) = struct.unpack_from("<H", data, 0x1E)
    if (major, shift) not in ((3, 9), (4, 12)):
        raise ValueError("unknown version")
    size = 1 << shift
    sector_count = max(0, len(data) // size - 1)
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
    if n_fat > sector_count + 1:
        raise ValueError("bad FAT count")

    def sector(n: int) -> bytes:
        if n >= sector_count:
            raise ValueError("sector out of range")
        start = (n + 1) * size
        return data[start : start + size]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
    difat, seen = first_difat, 0
    while difat < _END and seen < n_difat:
        entries = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors.extend(s for s in entries[:-1] if s < _END)
        difat, seen = entries[-1], seen + 1
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))

    names: set[str] = set()
    current, steps = first_dir, 0
    while current < _END:
        steps += 1
        if steps > sector_count:
            raise ValueError("directory chain loops")
        block = sector(current)
        for offset in range(0, size, 128):
            entry = block[offset : offset + 128]
            (name_len,) = struct.unpack_from("<H", entry, 0x40)
            kind = entry[0x42]
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(entry[: name_len - 2].decode("utf-16-le", "replace"))
        if current >= len(fat):
            raise ValueError("directory outside the FAT")
        current = fat[current]
    return names
