"""The benchmark's anchors: what a page's time is compared with, measured in the same run on
the same data, so that ratios hold on a noisy machine.

- The floor: a view that does nothing but render the staff base template, served through
  the project's full middleware stack at `/benchmark/floor/` (a URL that exists only inside
  the benchmark, which swaps in `coprod.anchors` as its URL configuration).
- The Django admin's changelist of claims: `/admin/reciprocity/claim/`, signed in as an
  administrator.
- A static document: WeasyPrint laying out fixed HTML (headings, paragraphs, a table on
  every page) with the reports' renderer and stylesheet and a given number of pages, so the governance
  report can be compared with a document of the same length that needs no data.

This module belongs to the core: it names the admin URL, never a feature app's code.
"""

from io import BytesIO

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.urls import reverse
from pypdf import PdfReader

from .access import staff_required
from .pdf import render_pdf
from .urls import urlpatterns as project_urlpatterns

FLOOR = "floor"
ADMIN_CLAIMS = "admin claims"
STATIC_DOCUMENT = "static document"

ADMIN_CLAIMS_URL_NAME = "admin:reciprocity_claim_changelist"


@staff_required
def floor(request: HttpRequest) -> HttpResponse:
    """The least a staff page can do: the staff base template, nothing on it."""
    return render(request, "staff_base.html", {})


# The benchmark serves the project's URLs plus the floor (`override_settings(ROOT_URLCONF=...)`).
urlpatterns = [path("benchmark/floor/", floor, name="benchmark_floor"), *project_urlpatterns]


def floor_url() -> str:
    return reverse("benchmark_floor")


def admin_claims_url() -> str:
    return reverse(ADMIN_CLAIMS_URL_NAME)


def administrator(tag: str, password: str):
    """A superuser for the admin changelist (no feature app involved: the user model is settings')."""
    return get_user_model().objects.create(
        email=f"benchmark-{tag}-admin@example.invalid", full_name="Benchmark Administrator",
        is_superuser=True, password=password,
    )


_TEXT = ("Partners took part in panel meetings, reviewed proposals and were paid for their time. "
         "The figures below compare this period with the previous one. ") * 3


def static_document_pdf(pages: int) -> bytes:
    """WeasyPrint laying out fixed text and tables, one section a page, through the same renderer
    and stylesheet as the reports (coprod.pdf)."""
    return render_pdf("reports/benchmark_static.html", {
        "report": {"title": "Static document"}, "pages": range(1, max(pages, 1) + 1), "rows": range(1, 13),
        "text": _TEXT,
    })


def pdf_page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)
