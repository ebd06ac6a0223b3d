from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from coprod.firstrun import register as register_step
        from coprod.i18n import register_language_saver
        from coprod.notices import register_recipient_finder
        from coprod.retention import register

        from . import data_protection
        from . import demo
        from . import firstrun
        from . import kpis
        from .contact import user_recipient
        from .retention import PARTNERS_WHO_LEFT
        from .services import partner_language_set

        register(PARTNERS_WHO_LEFT)
        demo.register()
        kpis.register()
        data_protection.register()
        # Notices the core sends to a login ("your report is ready") reach a partner their way.
        register_recipient_finder(user_recipient)
        register_step(firstrun.CONSENT)
        register_step(firstrun.STAFF_TEAM)
        # A partner's choice of language on the switcher is also their record's language.
        register_language_saver("partner", partner_language_set)
