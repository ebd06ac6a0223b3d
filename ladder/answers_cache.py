"""What the ladder keeps in the cache about a closed round's answers (the counts behind its
charts and medians, and which comments its results page shows), and when that is thrown away.

Closed rounds take no more answers, but an administrator may still change an answer in the
Django admin and erasing a partner blanks their words. So every cached entry carries the
current "answers version", a random token replaced whenever an answer or respondent of a
closed round is saved or deleted (signals, connected in LadderConfig.ready) or words are
erased in bulk. A token the cache has lost is replaced too, so an entry can never outlive the
answers it was read from. Answers to open rounds are never cached and do not touch the token.
"""

import uuid

from django.apps import apps
from django.core.cache import cache

VERSION_KEY = "ladder-answers-version"


def answers_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def answers_changed() -> None:
    """Drop every cached entry (called after bulk updates of answers)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def answer_saved_or_deleted(sender, instance, **kwargs) -> None:
    """Signal receiver for answers (Response) and respondents: only a closed round's matter."""
    Round = apps.get_model("ladder", "Round")
    round_id = getattr(instance, "round_id", None)
    rounds = (Round.objects.filter(pk=round_id) if round_id is not None
              else Round.objects.filter(respondents__pk=instance.respondent_id))
    if rounds.filter(status=Round.Status.CLOSED).exists():
        answers_changed()


def round_key(kind: str, rounds) -> str:
    """A cache key for `kind` of these closed rounds at the current answers version."""
    stamps = ",".join(f"{r.pk}@{r.closed_at.timestamp()}" for r in rounds)
    return f"ladder-{kind}:{answers_version()}:{stamps}"
