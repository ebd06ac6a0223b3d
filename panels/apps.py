from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels and decisions"

    def ready(self) -> None:
        from participants import sections as partner_sections

        from . import sections

        partner_sections.register(partner_sections.STAFF_PARTNER_PAGE, "panels/_partner_memberships.html",
                                  sections.partner_panels)
        partner_sections.register(partner_sections.PORTAL_HOME, "panels/_portal_home_meetings.html",
                                  sections.next_meetings)
