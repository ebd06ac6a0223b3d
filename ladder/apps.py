from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from .answers_cache import answer_saved_or_deleted


class LadderConfig(AppConfig):
    name = "ladder"
    verbose_name = _("Ladder of participation")

    def ready(self) -> None:
        # What this app contributes to the core's registries (coprod/registry.py)
        # and to a partner's portal home (participants/sections.py).
        from participants import sections as partner_sections

        from . import data_protection
        from . import demo
        from . import kpis
        from . import reports
        from . import sections

        demo.register()
        kpis.register()
        data_protection.register()
        reports.register()
        partner_sections.register(partner_sections.PORTAL_NEXT_STEPS, "ladder/_next_rounds.html",
                                  sections.rounds_to_finish)
        # A closed round's cached counts and comments are dropped when its answers change.
        for model in ("ladder.Response", "ladder.Respondent"):
            for signal in (post_save, post_delete):
                signal.connect(answer_saved_or_deleted, sender=model, dispatch_uid=f"{model}-{signal}")
