from django.apps import AppConfig


class ReciprocityConfig(AppConfig):
    name = "reciprocity"
    verbose_name = "Reciprocity"

    def ready(self) -> None:
        from coprod.retention import register

        from .retention import RECEIPTS

        register(RECEIPTS)
