from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self) -> None:
        from coprod.firstrun import register as register_step
        from coprod.retention import register

        from . import firstrun
        from .retention import PARTNERS_WHO_LEFT

        register(PARTNERS_WHO_LEFT)
        register_step(firstrun.CONSENT)
        register_step(firstrun.STAFF_TEAM)
