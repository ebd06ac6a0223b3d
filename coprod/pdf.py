"""HTML templates to PDF with WeasyPrint. Used by every report renderer."""

from django.conf import settings
from django.template.loader import render_to_string

from .models import Organisation


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `templates/<template_name>` and return the PDF bytes.

    Templates extend `reports/base.html`; static files (the report stylesheet,
    the logo) are read from the project's `static/` folder, never fetched.
    """
    from weasyprint import HTML

    html = render_to_string(template_name, {"organisation": Organisation.current(), **context})
    base_url = str(settings.BASE_DIR / "static") + "/"
    return HTML(string=html, base_url=base_url).write_pdf()
