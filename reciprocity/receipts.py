"""Receipt uploads: photos (JPEG, PNG, WebP, HEIC) or PDF, up to 10 MB.

The type is read from the file's first bytes, never from its name or the
browser's say-so. The file is stored under a random name; the name the person
uploaded is kept only as text, made safe, for showing and for the download.
"""

from pathlib import PurePosixPath
from pathlib import PureWindowsPath

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_noop

from coprod import uploads

MAX_BYTES = 10 * 1024 * 1024
ACCEPT = "image/*,application/pdf"  # for the file input: a phone offers its camera and photos

# What a receipt may be, judged by its content alone (see coprod.uploads.FILE_TYPES).
RECEIPT_TYPES = (".jpg", ".png", ".webp", ".heic", ".pdf")

WRONG_TYPE = gettext_noop("The receipt must be a photo (JPEG, PNG, WebP or HEIC) or a PDF.")
TOO_BIG = gettext_noop("The receipt is too big: it must be 10 MB or smaller. Try a smaller photo.")


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
        raise ValidationError({"receipt": gettext(TOO_BIG)})
    if not upload.size:
        raise ValidationError({"receipt": gettext("The receipt file is empty. Choose the photo or PDF "
                                                  "again.")})
    file_type = uploads.detect(upload, RECEIPT_TYPES)
    if file_type is None:
        raise ValidationError({"receipt": gettext(WRONG_TYPE)})
    return file_type.content_type, file_type.extension.lstrip("."), safe_name(upload.name)
