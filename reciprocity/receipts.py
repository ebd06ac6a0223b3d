"""Receipt uploads: photos (JPEG, PNG, WebP, HEIC) or PDF, up to 10 MB.

The type is read from the file's first bytes, never from its name or the
browser's say-so. The file is stored under a random name; the name the person
uploaded is kept only as text, made safe, for showing and for the download.
"""

from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

MAX_BYTES = 10 * 1024 * 1024
ACCEPT = "image/*,application/pdf"  # for the file input: a phone offers its camera and photos

# content type, file extension, test on the first bytes
_SIGNATURES = [
    ("image/jpeg", "jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/png", "png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/webp", "webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    (
        "image/heic",
        "heic",
        lambda head: (
            head[4:8] == b"ftyp"
            and head[8:12] in {b"heic", b"heix", b"mif1", b"heim", b"heis", b"hevc", b"msf1"}
        ),
    ),
    ("application/pdf", "pdf", lambda head: head.startswith(b"%PDF-")),
]

WRONG_TYPE = "The receipt must be a photo (JPEG, PNG, WebP or HEIC) or a PDF."
TOO_BIG = "The receipt is too big: it must be 10 MB or smaller. Try a smaller photo."


def safe_name(name: str, *, default: str = "receipt") -> str:
    """The uploaded file's own name without any folder, reduced to harmless characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    try:
        cleaned = get_valid_filename(base.replace("\x00", ""))
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for names like ".."
        cleaned = ""
    cleaned = cleaned.lstrip(".-_") or default
    if len(cleaned) > 100:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = f"{stem[:90]}.{extension[:8]}" if dot else cleaned[:100]
    return cleaned


def check_receipt(upload) -> tuple[str, str, str]:
    """Validate an uploaded receipt; answer (content type, extension, safe original name)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError({"receipt": TOO_BIG})
    if not upload.size:
        raise ValidationError({"receipt": "The receipt file is empty. Choose the photo or PDF again."})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, extension, matches in _SIGNATURES:
        if matches(head):
            return content_type, extension, safe_name(upload.name)
    raise ValidationError({"receipt": WRONG_TYPE})
