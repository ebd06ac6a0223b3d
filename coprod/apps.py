from django.apps import AppConfig


class CoprodConfig(AppConfig):
    name = "coprod"
    verbose_name = "Organisation"

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from . import demo
        from . import governance
        from .firstrun import register_core_steps

        demo.register()
        governance.register()
        register_core_steps()
