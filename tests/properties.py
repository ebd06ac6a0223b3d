"""Shared pieces of the property-based tests (`tests/<app>/test_properties.py`): what a
person might type or upload, what the rules say should come of it, and a way to prove
that refused input saved nothing.

Each example runs in a savepoint that is rolled back at its end (`example()`), so the
examples of one test do not see each other's rows; the test's own fixtures stay."""

import datetime
import io
import unicodedata
from contextlib import contextmanager
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import strategies as st
from PIL import Image

PROJECT_APPS = {"coprod", "participants", "panels", "reciprocity", "ladder"}


# --- Proving that nothing was saved ---


def saved_state() -> dict[str, int]:
    """How many rows each of the project's tables holds (their change histories included),
    and how many files are in the media folder."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }
    counts["media files"] = sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())
    return counts


@contextmanager
def example():
    """Run one example in a savepoint rolled back at its end."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_refused(call, *, field: str | None = None) -> ValidationError:
    """`call()` raises ValidationError with a message a person can read (on `field`, when
    given), and saves nothing."""
    before = saved_state()
    with pytest.raises(ValidationError) as caught:
        call()
    messages = caught.value.messages
    assert messages and all(len(message.strip()) > 10 for message in messages), messages
    assert saved_state() == before, "refused input must save nothing"
    if field is not None:
        assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value


# --- Money ---

MONEY_MAX = Decimal("5000.00")

money_inputs = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=Decimal("-10000"), max_value=Decimal("10000"), places=2).map(str),
    st.decimals(min_value=Decimal("-1"), max_value=Decimal("6000"), places=4).map(str),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats().map(str),
    st.sampled_from([
        "NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e999", "-0", "0", "0.00", "0.001",
        "", " ", "abc", "12.5p", "£12.50", "1,000.00", "5000.00", "5000.01", "4999.99", "0.01", "1E+3",
    ]),
)


def expected_money(text: str) -> Decimal | None:
    """The amount a person meant, or None when it must be refused: more than £0, at most
    £5,000, pounds and pence (two decimal places at most), a finite number. A leading £ and
    thousands commas are allowed."""
    cleaned = text.strip().removeprefix("£").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount > MONEY_MAX or amount.as_tuple().exponent < -2:
        return None
    return amount.quantize(Decimal("0.01"))


# --- Dates ---

any_date = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


def days_from_today(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


def days_after(day: datetime.date, days: int) -> datetime.date:
    """`days` after `day` (before it when negative), or `day` itself where that would leave
    the calendar."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return day


def years_ahead(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 28 February for a 29 February that year lacks."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def near_and_far_dates(around_days: int = 800):
    """Any date at all, with the days near today (where the limits are) drawn often."""
    near = st.integers(min_value=-around_days, max_value=around_days).map(days_from_today)
    far = st.integers(min_value=-(5 * 366 + 30), max_value=5 * 366 + 30).map(days_from_today)
    return st.one_of(any_date, near, far)


# --- Text ---

ALLOWED_CONTROLS = {"\n", "\r", "\t"}

any_text = st.one_of(
    st.text(),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=40),
    st.text(st.characters(categories=["Cc", "Cs", "Zs", "Lu", "Nd"]), max_size=40),
    st.text(min_size=1, max_size=20).map(lambda text: text * 50),
    st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=80),
)


def expected_text(text: str, *, limit: int | None, required: bool = True) -> str | None:
    """The text as it should be kept (trimmed), or None when it must be refused: empty when
    required, longer than `limit`, or holding control characters other than line breaks and
    tabs (lone surrogates included)."""
    trimmed = text.strip()
    if required and not trimmed:
        return None
    if any(unicodedata.category(c) in {"Cc", "Cs"} and c not in ALLOWED_CONTROLS for c in trimmed):
        return None
    if limit is not None and len(trimmed) > limit:
        return None
    return trimmed


# --- Files ---

MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0",
         b"{\\rtf")


def _not_a_known_format(data: bytes) -> bool:
    return not data.startswith(MAGIC) and data[4:8] != b"ftyp"


def random_uploads(names: list[str]):
    """Random bytes under a name that promises an image or a PDF."""
    return st.builds(
        lambda data, name: SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        st.binary(min_size=0, max_size=4096).filter(_not_a_known_format),
        st.sampled_from(names),
    )


def _image(fmt: str, width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, fmt)
    return buffer.getvalue()


REAL_FORMATS = {"JPEG": "photo.jpg", "PNG": "scan.png", "PDF": "receipt.pdf", "WEBP": "photo.webp",
                "GIF": "image.gif"}


def real_uploads(formats: list[str]):
    """A real image or PDF (drawn by Pillow) of a random size and colour."""
    return st.builds(
        lambda fmt, width, height, colour: SimpleUploadedFile(
            REAL_FORMATS[fmt], _image(fmt, width, height, colour), content_type="application/octet-stream"),
        st.sampled_from(formats),
        st.integers(min_value=1, max_value=64),
        st.integers(min_value=1, max_value=64),
        st.tuples(*[st.integers(min_value=0, max_value=255)] * 3),
    )
