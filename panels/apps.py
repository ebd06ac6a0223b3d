from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels and decisions"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from . import data_protection, demo, governance, kpis

        demo.register()
        kpis.register()
        data_protection.register()
        governance.register()
