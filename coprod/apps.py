from django.apps import AppConfig


class CoprodConfig(AppConfig):
    name = "coprod"
    verbose_name = "Organisation"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from . import demo, governance

        demo.register()
        governance.register()
