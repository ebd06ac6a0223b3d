from django.apps import AppConfig


class ReciprocityConfig(AppConfig):
    name = "reciprocity"
    verbose_name = "Reciprocity"

    def ready(self) -> None:
        from coprod.firstrun import register as register_step
        from coprod.retention import register

        from . import firstrun
        from .retention import RECEIPTS

        register(RECEIPTS)
        register_step(firstrun.RATES_AND_BUDGETS)
