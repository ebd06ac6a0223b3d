from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoprodConfig(AppConfig):
    name = "coprod"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py).
        from . import demo
        from . import governance
        from .firstrun import register_core_steps

        demo.register()
        governance.register()
        register_core_steps()
