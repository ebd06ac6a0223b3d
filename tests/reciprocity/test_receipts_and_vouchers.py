"""Receipt uploads (type, size, hostile names, private serving) and voucher stock
(codes issued from stock, never twice, low-stock warning)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reciprocity import receipts
from reciprocity import services
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import Voucher
from reciprocity.models import VoucherBatch

from .helpers import JPEG
from .helpers import PDF
from .helpers import PNG
from .helpers import approved_claim
from .helpers import jpeg
from .helpers import make_claim
from .helpers import pay

# A day inside the claimable window (the last 12 months), whenever the suite runs.
RECENT = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (PDF, "application/pdf"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "image/heic"),
    ],
)
def test_photos_and_pdfs_are_accepted_by_their_content(content, kind):
    upload = SimpleUploadedFile("whatever.bin", content, content_type="text/plain")
    assert receipts.check_receipt(upload)[0] == kind


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 an executable",
        b"GIF89a not allowed",
        b"PK\x03\x04 a zip or office file",
    ],
)
def test_other_files_are_refused_whatever_their_name_says(content):
    upload = SimpleUploadedFile("ticket.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="photo"):
        receipts.check_receipt(upload)


def test_a_receipt_over_10_mb_is_refused():
    upload = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (10 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="too big"):
        receipts.check_receipt(upload)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        receipts.check_receipt(SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"))


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\me\\Desktop\\bus ticket.jpg", "bus_ticket.jpg"),
        ('"><script>alert(1)</script>.jpg', "script.jpg"),  # the slash ends a folder name
        ('"><img src=x onerror=alert(1)>.jpg', "img_srcx_onerroralert1.jpg"),
        ("..", "receipt"),
        ("ticket\r\nX-Header: evil.jpg", "ticketX-Header_evil.jpg"),
        ("a" * 300 + ".jpg", "a" * 90 + ".jpg"),
    ],
)
def test_hostile_file_names_are_made_safe(name, safe):
    assert receipts.safe_name(name) == safe


def test_a_stored_receipt_gets_a_random_name_not_the_uploaded_one(partner):
    claim = make_claim(partner, travel=Decimal("2.00"), receipt=jpeg("../../../evil.php"))
    item = claim.items.get(kind="travel")
    assert item.receipt.name.startswith("receipts/")
    assert item.receipt.name.endswith(".jpg")
    assert "evil" not in item.receipt.name
    assert item.receipt_name == "evil.php"
    assert item.receipt_type == "image/jpeg"


def test_a_claim_with_a_bad_receipt_saves_nothing(partner):
    bad = SimpleUploadedFile("ticket.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        make_claim(partner, travel=Decimal("2.00"), receipt=bad)
    assert not Claim.objects.exists() and not ClaimItem.objects.exists()


def test_partner_uploading_a_wrong_file_sees_the_reason_and_nothing_is_saved(partner, client):
    client.force_login(partner.user)
    response = client.post(
        reverse("reciprocity:my_claim_create"),
        {
            "action": "send",
            "activity": "Leaflet",
            "activity_date": RECENT,
            "travel": "2.00",
            "travel_receipt": SimpleUploadedFile(
                "bus.jpg", b"#!/bin/sh\nrm -rf /", content_type="image/jpeg"
            ),
        },
    )
    assert response.status_code == 200
    assert receipts.WRONG_TYPE in response.content.decode()
    assert not Claim.objects.exists()


def test_the_claimant_and_finance_staff_can_open_a_receipt(partner, other, finance, plain_staff, client):
    claim = make_claim(partner, travel=Decimal("2.00"), receipt=jpeg())
    item = claim.items.get(kind="travel")
    url = reverse("reciprocity:receipt", args=[item.pk])
    client.force_login(partner.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(JPEG[:4])
    assert 'filename="ticket.jpg"' in response["Content-Disposition"]
    client.force_login(finance)
    assert client.get(url).status_code == 200
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    client.force_login(plain_staff)  # staff without a finance permission
    assert client.get(url).status_code == 404


# --- Vouchers ---


def _stock(count: int, *, provider="Love2shop", value="10.00") -> VoucherBatch:
    return services.voucher_batch_create(
        provider=provider,
        value=Decimal(value),
        received_on=timezone.localdate(),
        codes=[f"{provider[:3]}-{value}-{n}" for n in range(count)],
        by=None,
    )


def test_paying_in_vouchers_issues_codes_from_stock(partner, finance, source):
    _stock(5)
    claim = approved_claim(partner, finance)  # £40
    payment = pay(claim, finance, source, method="voucher", vouchers="Love2shop|10.00")
    issued = list(payment.vouchers.all())
    assert len(issued) == 4
    assert all(v.issued_at for v in issued)
    assert Voucher.objects.in_stock().count() == 1


def test_a_voucher_code_is_never_issued_twice(partner, finance, source):
    _stock(6)
    first = approved_claim(partner, finance, hours=Decimal("1.5"))  # £30
    second = approved_claim(partner, finance, hours=Decimal("1.5"))
    for claim in (first, second):
        pay(claim, finance, source, method="voucher", vouchers="Love2shop|10.00")
    codes = list(Voucher.objects.filter(payment__isnull=False).values_list("code", flat=True))
    assert len(codes) == 6 == len(set(codes))


def test_not_enough_vouchers_is_refused_and_nothing_is_paid(partner, finance, source):
    _stock(2)
    claim = approved_claim(partner, finance)
    with pytest.raises(ValidationError, match="Only 2"):
        pay(claim, finance, source, method="voucher", vouchers="Love2shop|10.00")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert Voucher.objects.in_stock().count() == 2


def test_an_amount_vouchers_cannot_make_is_refused(partner, finance, source):
    _stock(10)
    claim = approved_claim(partner, finance, travel=Decimal("5.00"))  # £45
    with pytest.raises(ValidationError, match="cannot be made"):
        pay(claim, finance, source, method="voucher", vouchers="Love2shop|10.00")


def test_codes_already_in_stock_are_refused(finance):
    batch = _stock(2)
    with pytest.raises(ValidationError, match="already"):
        services.voucher_codes_add(batch=batch, codes=["Lov-10.00-1", "NEW-1"], by=finance)
    with pytest.raises(ValidationError, match="twice"):
        services.voucher_codes_add(batch=batch, codes=["NEW-1", "NEW-1"], by=finance)
    assert batch.vouchers.count() == 2


def test_the_voucher_page_warns_when_stock_is_low(finance, client):
    _stock(3)
    client.force_login(finance)
    assert "Running low" in client.get(reverse("reciprocity:voucher_list")).content.decode()


def test_pasted_codes_ignore_blank_lines_and_spaces():
    assert services.parse_codes("  A1 \n\n B2\r\n") == ["A1", "B2"]


def test_adding_codes_with_a_blank_form_is_refused_and_adds_nothing(finance, client):
    batch = _stock(1)
    client.force_login(finance)
    response = client.post(reverse("reciprocity:voucher_codes_add", args=[batch.pk]), {"codes": "   "})
    assert response.status_code == 400
    assert batch.vouchers.count() == 1


def test_one_code_already_in_stock_is_reported_in_the_singular():
    _stock(2)
    with pytest.raises(ValidationError, match="1 of these Love2shop codes is already in stock"):
        _stock(1)
    with pytest.raises(ValidationError, match="2 of these Love2shop codes are already in stock"):
        _stock(2)
