from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self) -> None:
        from coprod.retention import register

        from .retention import PARTNERS_WHO_LEFT

        register(PARTNERS_WHO_LEFT)
