"""The first-run checklist: what a new organisation sets up before it invites anyone.

Each step sends people to the page that already does the job (the organisation settings,
services, rates, consent wording, invitations). The core registers its own steps; each
feature app registers the steps it owns in its `AppConfig.ready()` with `register()`, so
the core knows none of them. A step is done when what it asks for exists (a service with a
champion, say) or when someone marks it done; any step can be skipped for now and opened
again. Once every step is done or skipped the checklist leaves the staff home page; the
checklist page itself stays, so any step can be revisited.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .changes import model_create
from .changes import model_delete
from .changes import model_save
from .models import Organisation
from .models import Service
from .models import SetupStep
from .roles import CHANGE_ORGANISATION
from .roles import is_staff_member

DEFAULT_ORGANISATION_NAME = Organisation._meta.get_field("name").default


@dataclass(frozen=True)
class FirstRunStep:
    key: str
    title: str
    explanation: str
    url_name: str  # the page that does the job
    link_text: str
    order: int
    # Whether what the step asks for already exists (then it counts as done).
    is_complete: Callable[[], bool]


_STEPS: dict[str, FirstRunStep] = {}


def register(step: FirstRunStep) -> None:
    _STEPS[step.key] = step


def steps() -> list[FirstRunStep]:
    return sorted(_STEPS.values(), key=lambda step: step.order)


def step_for_key(key: str) -> FirstRunStep | None:
    return _STEPS.get(key)


@dataclass(frozen=True)
class StepProgress:
    step: FirstRunStep
    state: str  # "done", "skipped" or "todo"
    record: SetupStep | None  # who marked it, and when; None when found done or still to do

    @property
    def label(self) -> str:
        return {"done": _("Done"), "skipped": _("Skipped for now"), "todo": _("To do")}[self.state]

    @property
    def found_done(self) -> bool:
        """Done because what it asks for exists, not because someone said so."""
        return self.state == "done" and (self.record is None or self.record.state != SetupStep.State.DONE)


def progress() -> list[StepProgress]:
    """Every step with its state, in order: one query for the marks, one per step that
    has none (to see whether what it asks for exists)."""
    records = {record.key: record for record in SetupStep.objects.select_related("marked_by")}
    rows = []
    for step in steps():
        record = records.get(step.key)
        if record is not None and record.state == SetupStep.State.DONE:
            state = "done"
        elif step.is_complete():
            state = "done"
        elif record is not None:
            state = "skipped"
        else:
            state = "todo"
        rows.append(StepProgress(step, state, record))
    return rows


def is_finished(rows: list[StepProgress] | None = None) -> bool:
    rows = progress() if rows is None else rows
    return all(row.state != "todo" for row in rows)


def may_run_setup(user) -> bool:
    return is_staff_member(user) and user.has_perm(CHANGE_ORGANISATION)


def _check_step(key: str, by) -> FirstRunStep:
    if not may_run_setup(by):
        raise ValidationError(_("Only staff who may change the organisation settings can do this."))
    step = step_for_key(key)
    if step is None:
        raise ValidationError(_("There is no such step."))
    return step


@transaction.atomic
def setup_step_mark(*, key: str, state: str, by) -> SetupStep:
    """Mark a step done, or skip it for now; the record says who and when."""
    _check_step(key, by)
    if state not in SetupStep.State.values:
        raise ValidationError(_("Choose whether the step is done or skipped."))
    record = SetupStep.objects.select_for_update().filter(key=key).first()
    if record is None:
        return model_create(SetupStep, by=by, key=key, state=state, marked_by=by, marked_at=timezone.now())
    record.state, record.marked_by, record.marked_at = state, by, timezone.now()
    return model_save(record, by=by, update_fields=["state", "marked_by", "marked_at"])


@transaction.atomic
def setup_step_reopen(*, key: str, by) -> None:
    """Put a step back on the list (a step found done stays done: its data exists)."""
    _check_step(key, by)
    record = SetupStep.objects.select_for_update().filter(key=key).first()
    if record is not None:
        model_delete(record, by=by)


# --- The core's own steps ---


def _organisation_described() -> bool:
    organisation = Organisation.current()
    return organisation.name != DEFAULT_ORGANISATION_NAME and bool(organisation.address.strip())


def _services_with_champions() -> bool:
    return Service.objects.filter(champion__isnull=False).exists()


ORGANISATION = FirstRunStep(
    key="organisation", order=10, title=gettext_lazy("Your organisation's name, logo and address"),
    explanation=gettext_lazy("They appear on every page, on letters and in reports. The step is done once "
                             "the name is your own and the address is filled in."),
    url_name="coprod:organisation_settings", link_text=gettext_lazy("Open the organisation settings"),
    is_complete=_organisation_described,
)
SERVICES = FirstRunStep(
    key="services", order=20, title=gettext_lazy("Services and their co-production champions"),
    explanation=gettext_lazy("Add the services or teams partners work with, each with the member of staff "
                             "who champions co-production there. Done once a service has a champion."),
    url_name="coprod:service_list", link_text=gettext_lazy("Open services and teams"),
    is_complete=_services_with_champions,
)


def register_core_steps() -> None:
    register(ORGANISATION)
    register(SERVICES)
