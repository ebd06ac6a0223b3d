"""One table of file types (coprod.uploads.FILE_TYPES) decides by content for every upload:
library documents, meeting papers and receipts agree on what a file really is."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coprod import uploads
from panels.services import _check_paper_file
from reciprocity.receipts import check_receipt

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FAKE_WEBP = b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 64  # a RIFF file, but a video


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_riff_file_that_is_not_webp_is_refused_everywhere():
    with pytest.raises(ValidationError, match="not really a WEBP"):
        uploads.validate_upload(_file("photo.webp", FAKE_WEBP), allowed=uploads.IMAGES, max_bytes=uploads.MB)
    with pytest.raises(ValidationError, match="does not look like a real WEBP"):
        _check_paper_file(_file("photo.webp", FAKE_WEBP))
    with pytest.raises(ValidationError, match="must be a photo"):
        check_receipt(_file("photo.webp", FAKE_WEBP))


def test_a_picture_named_as_a_pdf_is_refused_as_a_document_and_a_paper():
    with pytest.raises(ValidationError, match="not really a PDF"):
        uploads.validate_upload(_file("minutes.pdf", PNG), allowed=uploads.DOCUMENTS, max_bytes=uploads.MB)
    with pytest.raises(ValidationError, match="does not look like a real PDF"):
        _check_paper_file(_file("minutes.pdf", PNG))


def test_a_receipt_is_known_by_its_content_whatever_its_name():
    assert check_receipt(_file("scan.pdf", PNG))[:2] == ("image/png", "png")


def test_plain_text_cut_in_the_middle_of_a_character_is_still_text():
    text = ("é" * (uploads.HEAD_BYTES // 2) + "more").encode()  # the head ends inside a character
    upload = _file("notes.txt", b"x" + text)
    assert uploads.content_matches(upload, ".txt")
    assert not uploads.content_matches(_file("notes.txt", b"text\x00with a NUL"), ".txt")
    assert upload.read(1) == b"x", "the upload is left ready to be read from the start"
