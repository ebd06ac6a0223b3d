from django.apps import AppConfig


class ReciprocityConfig(AppConfig):
    name = "reciprocity"
    verbose_name = "Reciprocity"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from coprod.retention import register

        from . import data_protection, demo, kpis, reports
        from .retention import RECEIPTS

        register(RECEIPTS)
        demo.register()
        kpis.register()
        data_protection.register()
        reports.register()
