from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self) -> None:
        from coprod.notices import register_recipient_finder
        from coprod.retention import register

        from .contact import user_recipient
        from .retention import PARTNERS_WHO_LEFT

        register(PARTNERS_WHO_LEFT)
        # Notices the core sends to a login ("your report is ready") reach a partner their way.
        register_recipient_finder(user_recipient)
