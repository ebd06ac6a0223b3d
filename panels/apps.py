from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = _("Panels and decisions")

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py)
        # and to a partner's pages (participants/sections.py).
        from participants import sections as partner_sections

        from . import data_protection
        from . import demo
        from . import governance
        from . import kpis
        from . import sections

        demo.register()
        kpis.register()
        data_protection.register()
        governance.register()
        partner_sections.register(partner_sections.STAFF_PARTNER_PAGE, "panels/_partner_memberships.html",
                                  sections.partner_panels)
        partner_sections.register(partner_sections.PORTAL_HOME, "panels/_portal_home_meetings.html",
                                  sections.next_meetings)
        partner_sections.register(partner_sections.PORTAL_NEXT_STEPS, "panels/_next_meetings_to_answer.html",
                                  sections.meetings_to_answer)
