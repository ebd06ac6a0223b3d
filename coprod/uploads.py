"""Checks for uploaded files: type by content as well as by name, size, and a safe name."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

MB = 1024 * 1024

# extension -> how the file must start (None: plain text, checked by decoding)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".txt": None,
    ".csv": None,
}
DOCUMENTS = {".pdf", ".docx", ".doc", ".odt", ".xlsx", ".ods", ".pptx", ".txt", ".csv",
             ".png", ".jpg", ".jpeg"}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def validate_upload(upload, *, allowed: set[str], max_bytes: int) -> None:
    """Refuse a file whose name, content or size is not what we accept."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    readable = ", ".join(sorted(e.lstrip(".").upper() for e in allowed))
    if extension not in allowed:
        raise ValidationError(f"Please upload one of these kinds of file: {readable}.")
    if upload.size > max_bytes:
        raise ValidationError(f"The file is too large: the most we accept is {max_bytes // MB} MB.")
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError("That file does not look like plain text.") from exc
    elif not head.startswith(signatures):
        raise ValidationError(f"That file is not really a {extension.lstrip('.').upper()} file.")


def safe_name(filename: str) -> str:
    """A name safe to store: no folders, no odd characters, and unique."""
    base = get_valid_filename(os.path.basename(filename.replace("\\", "/"))) or "file"
    stem, extension = os.path.splitext(base)
    return f"{uuid.uuid4().hex[:8]}-{stem[:60]}{extension.lower()}"
