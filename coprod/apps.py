from django.apps import AppConfig


class CoprodConfig(AppConfig):
    name = "coprod"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from .firstrun import register_core_steps

        register_core_steps()
