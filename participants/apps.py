from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from coprod.retention import register

        from . import data_protection, demo, kpis
        from .retention import PARTNERS_WHO_LEFT

        register(PARTNERS_WHO_LEFT)
        demo.register()
        kpis.register()
        data_protection.register()
