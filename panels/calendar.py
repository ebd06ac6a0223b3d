"""Calendar files (.ics) for meetings, so people can add them to their own calendar. The
texts are in the active language: whoever sends one renders it inside the recipient's
language (`coprod.i18n.in_language`)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Alarm
from icalendar import Calendar
from icalendar import Event

from coprod.welsh import welsh_plain
from coprod.welsh import welsh_version

from .models import Meeting

PRODUCT_ID = "-//coprod//Panel meetings//EN"
ALARM_BEFORE = timedelta(days=1)
# The first line of the description, one whole sentence per format.
MEETING_KINDS = {
    Meeting.Format.IN_PERSON: gettext_lazy("%(panel)s: in person meeting."),
    Meeting.Format.ONLINE: gettext_lazy("%(panel)s: online meeting."),
    Meeting.Format.HYBRID: gettext_lazy("%(panel)s: hybrid (in person and online) meeting."),
}


def meeting_location(meeting: Meeting) -> str:
    if meeting.format == Meeting.Format.ONLINE:
        return _("Online")
    venue = ", ".join(line.strip() for line in meeting.venue.splitlines() if line.strip())
    if meeting.format == Meeting.Format.HYBRID:
        # Translators: where a hybrid meeting is: its venue, or online.
        return _("%(venue)s (or online)") % {"venue": venue}
    return venue


def meeting_calendar(meeting: Meeting, *, sequence: int = 0, host: str = "coprod.invalid") -> bytes:
    """One meeting as an iCalendar file. The UID stays the same for the life of the
    meeting, so a changed or cancelled meeting replaces the one already in a calendar
    (`sequence` must grow with every change)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    # The title and access details in the active language (Welsh, when there is a Welsh version).
    title = welsh_version(meeting, "title").text
    event.add("summary", f"{title} ({meeting.panel.name})")
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    description = [MEETING_KINDS[meeting.format] % {"panel": meeting.panel.name}]
    if meeting.access_information:
        description.append(_("Access: %(access)s") % {"access": welsh_plain(meeting, "access_information")})
    if meeting.format != Meeting.Format.IN_PERSON and meeting.online_joining:
        description.append(_("How to join online: %(joining)s") % {"joining": meeting.online_joining})
    if meeting.agenda:
        description.append(_("Agenda:\n%(agenda)s") % {"agenda": meeting.agenda})
    event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    if meeting.status != Meeting.Status.CANCELLED:
        # The calendar on their own phone or computer reminds them too: the day before.
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Tomorrow: %(title)s") % {"title": title})
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()
