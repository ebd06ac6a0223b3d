from django.apps import AppConfig


class LadderConfig(AppConfig):
    name = "ladder"
    verbose_name = "Ladder of participation"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from . import demo, kpis

        demo.register()
        kpis.register()
