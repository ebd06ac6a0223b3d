"""Checks for uploaded files: the one table of file types and their first bytes, type by
content (the name only chooses among types that look alike), size, and a safe name."""

import os
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MB = 1024 * 1024


def _starts(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(prefixes)


def _is_text(head: bytes) -> bool:
    """UTF-8 text without NUL bytes. The head is cut at an arbitrary byte, so a partial
    character at its very end is allowed."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3
    return True


_ZIP = _starts(b"PK\x03\x04")  # Office Open XML and OpenDocument files are zip archives


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    looks_right: Callable[[bytes], bool]


# The one table of what each kind of file we accept starts with: every upload (library
# documents, logos, meeting papers, proposal documents, receipts) is checked against it.
# Types that share a signature (the zip-based office files; plain text and CSV) are told
# apart by the name; the content must still match.
FILE_TYPES: dict[str, FileType] = {t.extension: t for t in [
    FileType(".pdf", "application/pdf", _starts(b"%PDF-")),
    FileType(".png", "image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    FileType(".jpg", "image/jpeg", _starts(b"\xff\xd8\xff")),
    FileType(".jpeg", "image/jpeg", _starts(b"\xff\xd8\xff")),
    FileType(".gif", "image/gif", _starts(b"GIF87a", b"GIF89a")),
    FileType(".webp", "image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    FileType(".heic", "image/heic", lambda head: head[4:8] == b"ftyp" and head[8:12] in {
        b"heic", b"heix", b"mif1", b"heim", b"heis", b"hevc", b"msf1"}),
    FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    FileType(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    FileType(".odt", "application/vnd.oasis.opendocument.text", _ZIP),
    FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    FileType(".doc", "application/msword", _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")),
    FileType(".rtf", "application/rtf", _starts(b"{\\rtf")),
    FileType(".txt", "text/plain", _is_text),
    FileType(".csv", "text/csv", _is_text),
]}
HEAD_BYTES = 2048


def read_head(upload) -> bytes:
    """The first bytes of an upload, leaving it ready to be read again from the start."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def content_matches(upload, extension: str) -> bool:
    """Whether the file's content is really of the type its extension names."""
    file_type = FILE_TYPES.get(extension)
    return file_type is not None and file_type.looks_right(read_head(upload))


def detect(upload, among: Iterable[str]) -> FileType | None:
    """The first of the types `among` (extensions, in order) that the content is, or None.
    For callers that go by content alone, such as receipts photographed on a phone."""
    head = read_head(upload)
    return next((FILE_TYPES[extension] for extension in among if FILE_TYPES[extension].looks_right(head)),
                None)


DOCUMENTS = {".pdf", ".docx", ".doc", ".odt", ".xlsx", ".ods", ".pptx", ".txt", ".csv",
             ".png", ".jpg", ".jpeg"}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def validate_upload(upload, *, allowed: set[str], max_bytes: int) -> None:
    """Refuse a file whose name, content or size is not what we accept."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    readable = ", ".join(sorted(e.lstrip(".").upper() for e in allowed))
    if extension not in allowed:
        raise ValidationError(_("Please upload one of these kinds of file: %(kinds)s.") % {"kinds": readable})
    if upload.size > max_bytes:
        raise ValidationError(_("The file is too large: the most we accept is %(most)s "
                                "MB.") % {"most": max_bytes // MB})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if content_matches(upload, extension):
        return
    if FILE_TYPES[extension].looks_right is _is_text:
        raise ValidationError(_("That file does not look like plain text."))
    raise ValidationError(_("That file is not really a %(kind)s "
                            "file.") % {"kind": extension.lstrip(".").upper()})


def safe_name(filename: str) -> str:
    """A name safe to store: no folders, no odd characters, and unique."""
    base = get_valid_filename(os.path.basename(filename.replace("\\", "/"))) or "file"
    stem, extension = os.path.splitext(base)
    return f"{uuid.uuid4().hex[:8]}-{stem[:60]}{extension.lower()}"
