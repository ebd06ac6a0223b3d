from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReciprocityConfig(AppConfig):
    name = "reciprocity"
    verbose_name = _("Reciprocity")

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from coprod.firstrun import register as register_step
        from coprod.retention import register
        from participants import sections as partner_sections

        from . import data_protection
        from . import demo
        from . import firstrun
        from . import kpis
        from . import reports
        from .retention import RECEIPTS
        from .sections import claims_to_finish
        from .sections import partner_payments

        register(RECEIPTS)
        demo.register()
        kpis.register()
        data_protection.register()
        reports.register()
        partner_sections.register(partner_sections.STAFF_PARTNER_PAGE, "reciprocity/_partner_payments.html",
                                  partner_payments)
        partner_sections.register(partner_sections.PORTAL_NEXT_STEPS, "reciprocity/_next_claims.html",
                                  claims_to_finish)
        register_step(firstrun.RATES_AND_BUDGETS)
