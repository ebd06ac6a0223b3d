from django.apps import AppConfig


class ReciprocityConfig(AppConfig):
    name = "reciprocity"
    verbose_name = "Reciprocity"

    def ready(self) -> None:
        from coprod.retention import register
        from participants import sections as partner_sections

        from .retention import RECEIPTS
        from .sections import partner_payments

        register(RECEIPTS)
        partner_sections.register(partner_sections.STAFF_PARTNER_PAGE, "reciprocity/_partner_payments.html",
                                  partner_payments)
