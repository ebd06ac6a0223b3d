from django.apps import AppConfig


class LadderConfig(AppConfig):
    name = "ladder"
    verbose_name = "Ladder of participation"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from . import data_protection, demo, kpis, reports

        demo.register()
        kpis.register()
        data_protection.register()
        reports.register()
