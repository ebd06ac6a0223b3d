from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from .answers_cache import answer_saved_or_deleted


class LadderConfig(AppConfig):
    name = "ladder"
    verbose_name = "Ladder of participation"

    def ready(self) -> None:
        # A closed round's cached counts and comments are dropped when its answers change.
        for model in ("ladder.Response", "ladder.Respondent"):
            for signal in (post_save, post_delete):
                signal.connect(answer_saved_or_deleted, sender=model, dispatch_uid=f"{model}-{signal}")
