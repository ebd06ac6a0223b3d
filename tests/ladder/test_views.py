"""The pages: answering one area per screen, results, actions, ladders and areas."""

import io
import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coprod.models import Report
from coprod.pdf import render_pdf
from ladder.models import Action
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Respondent
from ladder.models import Response
from ladder.models import Round
from ladder.models import Rung
from ladder.reports import render_round

from ..helpers import assert_queries_bounded
from ..helpers import pdf_text
from ..panels.factories import PanelFactory
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from .factories import LadderActionFactory
from .factories import LadderRoundFactory
from .factories import PartnerRespondentFactory
from .factories import StaffRespondentFactory

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Partners answer one area per screen ---


def test_partner_answers_one_area_per_screen_and_can_come_back(partner_client, world):
    round_ = world.ladder_open
    areas = round_.ordered_areas()
    page = _page(partner_client.get(reverse("ladder:respond", args=[round_.pk, 2])))
    assert f"Area 2 of {len(areas)}" in page
    assert areas[1].name in page
    assert "<legend" in page and "Co-producing" in page and "For example:" in page

    rung = round_.ladder.rungs.get(position=6)
    response = partner_client.post(reverse("ladder:respond", args=[round_.pk, 2]),
                                   {"rung": rung.pk, "evidence": "We wrote the leaflet together",
                                    "next_step": "Do the website too"})
    assert response.url == reverse("ladder:respond", args=[round_.pk, 3])
    answer = Response.objects.get(respondent=world.ladder_mine, area=areas[1])
    assert (answer.rung, answer.evidence, answer.on_behalf) == (rung, "We wrote the leaflet together", False)

    # Coming back shows the saved answer, ready to change.
    page = _page(partner_client.get(reverse("ladder:respond", args=[round_.pk, 2])))
    assert f'value="{rung.pk}" checked' in page
    assert "We wrote the leaflet together" in page

    # The last area leads to the summary.
    response = partner_client.post(reverse("ladder:respond", args=[round_.pk, len(areas)]),
                                   {"rung": rung.pk})
    assert response.url == reverse("ladder:my_round", args=[round_.pk])
    summary = _page(partner_client.get(response.url))
    assert "You have answered every area" in summary
    assert "We wrote the leaflet together" in summary


def test_saving_without_choosing_a_rung_is_refused_with_a_clear_message(partner_client, world):
    round_ = world.ladder_open
    response = partner_client.post(reverse("ladder:respond", args=[round_.pk, 2]),
                                   {"evidence": "Not sure"})
    page = _page(response)
    assert "Choose the step of the ladder you think we are on." in page
    assert 'aria-describedby="rung-error"' in page
    assert not Response.objects.filter(respondent=world.ladder_mine, area=round_.ordered_areas()[1]).exists()


def test_a_rung_from_another_ladder_is_refused(partner_client, world):
    round_ = world.ladder_open
    other = Ladder.objects.exclude(pk=round_.ladder_id).first().rungs.first()
    page = _page(partner_client.post(reverse("ladder:respond", args=[round_.pk, 2]), {"rung": other.pk}))
    assert "Choose one of the steps of the ladder shown." in page
    assert Response.objects.filter(respondent=world.ladder_mine).count() == 1


def test_answers_are_refused_after_the_closing_date(partner_client, world):
    round_ = world.ladder_open
    Round.objects.filter(pk=round_.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    rung = round_.ladder.rungs.get(position=3)
    response = partner_client.post(reverse("ladder:respond", args=[round_.pk, 2]), {"rung": rung.pk})
    assert response.url == reverse("ladder:my_round", args=[round_.pk])
    assert Response.objects.filter(respondent=world.ladder_mine).count() == 1
    page = _page(partner_client.get(response.url))
    assert "not taking answers now" in page
    assert "closed for answers" in page


def test_there_is_no_step_beyond_the_rounds_areas(partner_client, world):
    round_ = world.ladder_open
    last = len(round_.ordered_areas())
    assert partner_client.get(reverse("ladder:respond", args=[round_.pk, last + 1])).status_code == 404
    assert partner_client.get(reverse("ladder:respond", args=[round_.pk, 0])).status_code == 404


def test_partner_sees_only_their_own_answers_before_results_are_published(partner_client, world):
    round_ = world.ladder_open
    area = round_.ordered_areas()[0]
    other = PartnerRespondentFactory(round=round_, partner=world.other_partner)
    Response.objects.create(respondent=other, area=area, rung=round_.ladder.rungs.get(position=2),
                            evidence="Olly's private view", entered_by=world.other_partner.user)
    page = _page(partner_client.get(reverse("ladder:my_round", args=[round_.pk])))
    assert "We were asked about the new form." in page
    assert "Olly's private view" not in page
    assert partner_client.get(reverse("ladder:my_results", args=[round_.pk])).status_code == 404


def test_a_partner_not_invited_cannot_see_or_answer_a_round(other_partner_client, world):
    round_ = world.ladder_open
    rung = round_.ladder.rungs.get(position=3)
    assert other_partner_client.get(reverse("ladder:my_round", args=[round_.pk])).status_code == 404
    response = other_partner_client.post(reverse("ladder:respond", args=[round_.pk, 1]), {"rung": rung.pk})
    assert response.status_code == 404
    assert not Respondent.objects.filter(partner=world.other_partner).exists()
    page = _page(other_partner_client.get(reverse("ladder:my_rounds")))
    assert "You have nothing to answer right now" in page
    assert round_.title not in page


def test_published_results_never_name_anyone(partner_client, world):
    round_ = world.ladder_closed
    page = _page(partner_client.get(reverse("ladder:my_results", args=[round_.pk])))
    assert "Evidence 3-0" in page  # another partner's comment, shown without their name
    # Sam Staff answered too, but is named only as the owner of an action.
    others = [r.partner or r.user for r in round_.respondents.select_related("partner", "user")
              if r.partner_id != world.partner.pk and r.user_id != world.staff.pk]
    assert len(others) == 2
    for person in others:
        assert person.full_name not in page


def test_staff_results_do_not_name_anyone_either(staff_client, world):
    page = _page(staff_client.get(reverse("ladder:results", args=[world.ladder_closed.pk])))
    assert "Evidence 2-0" in page
    assert world.partner.full_name not in page
    assert world.partner.display_name not in page


def test_my_rounds_lists_open_rounds_and_earlier_results(partner_client, world):
    page = _page(partner_client.get(reverse("ladder:my_rounds")))
    assert world.ladder_open.title in page
    assert "Carry on" in page
    assert reverse("ladder:my_results", args=[world.ladder_closed.pk]) in page
    assert world.ladder_draft.title not in page


# --- Staff enter answers for partners ---


def test_staff_enter_answers_for_a_partner_recorded_as_on_their_behalf(staff_client, world):
    round_, respondent = world.ladder_open, world.ladder_proxy
    rung = round_.ladder.rungs.get(position=4)
    url = reverse("ladder:respond_for", args=[round_.pk, respondent.pk, 1])
    assert "on behalf of Nia Nologin" in _page(staff_client.get(url))
    response = staff_client.post(url, {"rung": rung.pk, "evidence": "Said on the phone"})
    assert response.url == reverse("ladder:respond_for", args=[round_.pk, respondent.pk, 2])
    answer = Response.objects.get(respondent=respondent)
    assert answer.on_behalf and answer.entered_by == world.staff
    summary = _page(staff_client.get(reverse("ladder:respondent_answers", args=[round_.pk, respondent.pk])))
    assert "by staff for them" in summary


def test_staff_cannot_see_or_change_an_answer_a_partner_gave_themselves(staff_client, world):
    round_ = world.ladder_open
    url = reverse("ladder:respond_for", args=[round_.pk, world.ladder_mine.pk, 1])
    page = _page(staff_client.get(url))
    assert "answered this area themselves" in page
    assert "We were asked about the new form." not in page
    staff_client.post(url, {"rung": round_.ladder.rungs.get(position=1).pk})
    assert Response.objects.get(respondent=world.ladder_mine).rung.position == 4
    summary = _page(staff_client.get(reverse("ladder:respondent_answers",
                                             args=[round_.pk, world.ladder_mine.pk])))
    assert "(private)" in summary


def test_staff_cannot_answer_for_a_colleague(staff_client, world):
    colleague = StaffRespondentFactory(round=world.ladder_open, user=StaffFactory())
    url = reverse("ladder:respond_for", args=[world.ladder_open.pk, colleague.pk, 1])
    assert staff_client.get(url).status_code == 404


# --- Staff run rounds ---


def test_staff_create_a_round_as_a_draft_then_open_and_close_it(staff_client, world,
                                                                django_capture_on_commit_callbacks):
    areas = list(Area.objects.all()[:2])
    partner = PartnerFactory(full_name="Ada Active")
    response = staff_client.post(reverse("ladder:round_create"), {
        "title": "Winter round", "service": world.service.pk, "ladder": Ladder.current().pk,
        "areas": [a.pk for a in areas], "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "staff": [world.staff.pk], "partners": [partner.pk],
    })
    assert response.status_code == 302, response.context["form"].errors
    round_ = Round.objects.get(title="Winter round")
    assert response.url == reverse("ladder:round_detail", args=[round_.pk])
    assert round_.status == Round.Status.DRAFT and round_.service == world.service
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("ladder:round_open", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    page = _page(staff_client.get(reverse("ladder:round_detail", args=[round_.pk])))
    assert "0 of 2 people invited have answered" in page
    assert "Enter answers for Ada Active" in page
    response = staff_client.post(reverse("ladder:round_close", args=[round_.pk]))
    assert response.url == reverse("ladder:results", args=[round_.pk])
    round_.refresh_from_db()
    assert round_.is_published


def test_a_round_with_a_past_closing_date_and_no_areas_is_refused(staff_client, world):
    before = Round.objects.count()
    page = _page(staff_client.post(reverse("ladder:round_create"), {
        "title": "Bad", "ladder": Ladder.current().pk, "areas": [],
        "closes_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }))
    assert "This field is required." in page  # areas
    page = _page(staff_client.post(reverse("ladder:round_create"), {
        "title": "Bad", "ladder": Ladder.current().pk, "areas": [Area.objects.first().pk],
        "closes_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }))
    assert "The closing date cannot be in the past." in page
    assert Round.objects.count() == before


def test_editing_an_open_round_keeps_its_areas(staff_client, world):
    round_ = world.ladder_open
    page = _page(staff_client.get(reverse("ladder:round_edit", args=[round_.pk])))
    assert "fixed once the round has opened" in page
    new_date = timezone.localdate() + timedelta(days=30)
    response = staff_client.post(reverse("ladder:round_edit", args=[round_.pk]), {
        "title": "Autumn check-in (extended)", "closes_on": new_date.isoformat(), "areas": [],
        "staff": [world.staff.pk], "partners": [world.partner.pk, world.ladder_proxy.partner_id],
    })
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.title == "Autumn check-in (extended)" and round_.closes_on == new_date
    assert round_.areas.count() == 3


def test_results_highlight_where_staff_think_we_are_higher(staff_client, world):
    round_ = world.ladder_closed
    area = round_.ordered_areas()[0]
    rungs = {r.position: r for r in round_.ladder.rungs.all()}
    for _ in range(3):
        respondent = StaffRespondentFactory(round=round_, user=StaffFactory())
        Response.objects.create(respondent=respondent, area=area, rung=rungs[7])
    page = _page(staff_client.get(reverse("ladder:results", args=[round_.pk])))
    assert "Where staff think we are higher than partners do" in page
    assert 'class="gap-positive"' in page
    assert "Staff higher" in page
    assert "data:image/svg+xml;base64," in page
    assert f"How people placed us: {area.name}" in page


def test_trustee_reads_closed_results_and_the_trend_but_cannot_act(trustee_client, world):
    page = _page(trustee_client.get(reverse("ladder:results", args=[world.ladder_closed.pk])))
    assert "Make a PDF of this round" in page
    assert "Turn into an action" not in page
    assert reverse("ladder:action_edit", args=[world.ladder_action.pk]) not in page
    page = _page(trustee_client.get(reverse("ladder:round_list")))
    assert world.ladder_closed.title in page and world.ladder_open.title not in page
    assert world.ladder_closed.title in _page(trustee_client.get(reverse("ladder:trend")))


def test_round_report_pdf_holds_the_results_and_action_plan(trustee_client, world, settings, tmp_path,
                                                            django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        response = trustee_client.post(reverse("ladder:round_report", args=[world.ladder_closed.pk]))
    from coprod.models import Report

    report = Report.objects.get(kind=Report.Kind.LADDER_ROUND)
    assert response.url == reverse("coprod:report_detail", args=[report.pk])
    assert report.status == Report.Status.DONE, report.error
    text = " ".join(pdf_text(report.file.read()).split())
    assert "Ladder of co-production: Spring self-" in text
    area = world.ladder_closed.ordered_areas()[0]
    assert area.name in text
    assert "Staff median" in text and "Partner median" in text
    assert "Evidence 2-0" in text
    assert "Action plan" in text
    assert f"Panel: {world.panel.name}" in text and "Decision: Thursday evening drop-in" in text
    assert "(overdue)" in text
    assert world.partner.full_name not in text
    assert _page(trustee_client.get(response.url))


def test_round_report_keeps_each_table_with_its_caption_on_one_page(world):
    report = Report(kind=Report.Kind.LADDER_ROUND, title="Round", params={"round": world.ladder_closed.pk})
    template, context = render_round(report)
    html = render_to_string(template, {"report": report, **context})
    assert len(re.findall(r"<table[^>]*>\s*<caption>", html)) == html.count("<table") > 2
    pages = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(render_pdf(template, {"report": report, **context}))).pages]
    for area in world.ladder_closed.ordered_areas():
        caption = f"{area.name}: how many staff and partners chose each step"
        page = next(text for text in pages if caption in text)
        assert "Step Staff Partners" in page.split(caption)[1]  # the table's header follows its caption


# --- Action plan ---


def test_a_next_step_becomes_an_action(staff_client, world):
    step = world.ladder_next_step
    url = reverse("ladder:action_create") + f"?response={step.pk}"
    page = _page(staff_client.get(url))
    assert step.next_step in page
    response = staff_client.post(url, {
        "area": step.area_id, "description": step.next_step, "owner": world.staff.pk,
        "due_on": (timezone.localdate() + timedelta(days=20)).isoformat(), "status": "not_started",
        "round": world.ladder_closed.pk, "panel": world.panel.pk, "decision": world.decision.pk,
    })
    action = Action.objects.get(source=step)
    assert response.url.startswith(reverse("ladder:results", args=[world.ladder_closed.pk]))
    assert action.round == world.ladder_closed
    assert action.panel == world.panel and action.decision == world.decision


def test_an_action_without_description_or_owner_is_refused(staff_client, world):
    before = Action.objects.count()
    page = _page(staff_client.post(reverse("ladder:action_create"), {
        "area": Area.objects.first().pk, "description": "", "owner": "", "due_on": "",
        "status": "not_started",
    }))
    assert page.count("This field is required.") == 3 * 2  # beside each field and in the error summary
    assert Action.objects.count() == before


def test_action_list_puts_overdue_actions_first_and_filters(staff_client, world):
    LadderActionFactory(description="Later one", owner=world.staff,
                        due_on=timezone.localdate() + timedelta(days=90))
    page = _page(staff_client.get(reverse("ladder:action_list")))
    assert page.index(world.ladder_action.description) < page.index("Later one")
    assert "Overdue" in page
    page = _page(staff_client.get(reverse("ladder:action_list") + "?overdue=on"))
    assert world.ladder_action.description in page and "Later one" not in page
    page = _page(staff_client.get(reverse("ladder:action_list") + "?status=done"))
    assert "No actions yet." in page


def test_changing_an_action_records_its_status(staff_client, world):
    action = world.ladder_action
    response = staff_client.post(reverse("ladder:action_edit", args=[action.pk]), {
        "area": action.area_id, "description": action.description, "owner": world.staff.pk,
        "due_on": action.due_on.isoformat(), "status": "done", "panel": "", "decision": "",
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and not action.overdue
    assert action.history.first().history_user == world.staff


def test_an_action_added_from_a_panel_page_starts_linked_to_that_panel(staff_client, world):
    panel_page = _page(staff_client.get(reverse("panels:panel_detail", args=[world.panel.pk])))
    add_url = reverse("ladder:action_create") + f"?panel={world.panel.pk}"
    assert add_url in panel_page
    form = _page(staff_client.get(add_url))
    assert f'<option value="{world.panel.pk}" selected>{world.panel.name}</option>' in form
    decision_page = _page(staff_client.get(reverse("panels:decision_detail", args=[world.decision.pk])))
    add_url = reverse("ladder:action_create") + f"?decision={world.decision.pk}"
    assert add_url in decision_page
    assert f'<option value="{world.decision.pk}" selected>' in _page(staff_client.get(add_url))


def test_an_action_can_be_linked_to_a_closed_panel_and_the_link_taken_off(staff_client, world):
    closed = PanelFactory(name="Old forum", status="closed")
    action = world.ladder_linked_action
    form = _page(staff_client.get(reverse("ladder:action_edit", args=[action.pk])))
    assert f'<option value="{closed.pk}">Old forum (closed)</option>' in form
    assert f'<option value="{world.panel.pk}" selected>' in form
    data = {"area": action.area_id, "description": action.description, "owner": world.staff.pk,
            "due_on": action.due_on.isoformat(), "status": action.status, "panel": closed.pk, "decision": ""}
    assert staff_client.post(reverse("ladder:action_edit", args=[action.pk]), data).status_code == 302
    action.refresh_from_db()
    assert action.panel == closed and action.decision is None


def test_a_link_to_a_panel_or_decision_that_does_not_exist_is_refused(staff_client, world):
    action = world.ladder_linked_action
    data = {"area": action.area_id, "description": "Changed", "owner": world.staff.pk,
            "due_on": action.due_on.isoformat(), "status": action.status, "panel": 999999, "decision": "x"}
    page = _page(staff_client.post(reverse("ladder:action_edit", args=[action.pk]), data))
    # Beside each of the two fields and in the error summary.
    assert page.count("Select a valid choice. That choice is not one of the available choices.") == 2 * 2
    action.refresh_from_db()
    assert action.description == "Partners check the new intake form" and action.panel == world.panel


def test_linked_actions_are_listed_on_the_panel_and_the_decision(staff_client, trustee_client, world):
    action = world.ladder_linked_action
    edit_url = reverse("ladder:action_edit", args=[action.pk])
    panel_page = _page(staff_client.get(reverse("panels:panel_detail", args=[world.panel.pk])))
    assert action.description in panel_page and edit_url in panel_page
    assert world.ladder_action.description not in panel_page
    assert "Decision: " in panel_page and "Panel: " not in panel_page  # not its own page again
    decision_url = reverse("panels:decision_detail", args=[world.decision.pk])
    decision_page = _page(staff_client.get(decision_url))
    assert action.description in decision_page
    assert "Panel: " in decision_page and "Decision: " not in decision_page
    trustee_page = _page(trustee_client.get(decision_url))
    assert action.description in trustee_page
    assert edit_url not in trustee_page and "Add a ladder action" not in trustee_page


def test_the_action_plan_links_each_action_to_its_panel_and_decision(staff_client, trustee_client,
                                                                    partner_client, world):
    panel_url = reverse("panels:panel_detail", args=[world.panel.pk])
    decision_url = reverse("panels:decision_detail", args=[world.decision.pk])
    page = _page(staff_client.get(reverse("ladder:action_list")))
    assert panel_url in page and decision_url in page
    page = _page(trustee_client.get(reverse("ladder:results", args=[world.ladder_closed.pk])))
    assert world.panel.name in page and panel_url not in page and decision_url in page
    page = _page(partner_client.get(reverse("ladder:my_results", args=[world.ladder_closed.pk])))
    assert "Decision: Thursday evening drop-in" in page
    assert panel_url not in page and decision_url not in page


# --- Ladders and areas ---


def test_staff_reword_a_ladder(staff_client, world):
    ladder = world.ladder_ladder
    rungs = list(ladder.rungs.all())
    data = {"name": ladder.name, "description": "Ours", "rungs-TOTAL_FORMS": len(rungs),
            "rungs-INITIAL_FORMS": len(rungs)}
    for i, rung in enumerate(rungs):
        data |= {f"rungs-{i}-rung": rung.pk, f"rungs-{i}-name": rung.name,
                 f"rungs-{i}-description": rung.description, f"rungs-{i}-example": rung.example}
    data["rungs-4-name"] = "Involving"
    response = staff_client.post(reverse("ladder:ladder_edit", args=[ladder.pk]), data)
    assert response.status_code == 302
    assert ladder.rungs.get(position=5).name == "Involving"
    data["rungs-4-description"] = ""
    page = _page(staff_client.post(reverse("ladder:ladder_edit", args=[ladder.pk]), data))
    assert "This field is required." in page


def test_staff_switch_the_current_ladder(staff_client, world):
    staff_client.post(reverse("ladder:ladder_make_current", args=[world.ladder_other_ladder.pk]))
    assert Ladder.current() == world.ladder_other_ladder
    assert Ladder.objects.filter(is_current=True).count() == 1


def test_staff_add_and_retire_an_area(staff_client, world):
    page = _page(staff_client.post(reverse("ladder:area_create"), {"name": "co-design", "order": 1}))
    assert "There is already an area called" in page
    staff_client.post(reverse("ladder:area_create"), {"name": "Advocacy", "description": "", "order": 8})
    area = Area.objects.get(name="Advocacy")
    staff_client.post(reverse("ladder:area_edit", args=[area.pk]), {"name": "Advocacy", "order": 8})
    area.refresh_from_db()
    assert not area.is_active
    assert area not in Area.objects.active()


# --- Query counts ---


def _more_rounds(world):
    def grow():
        for _ in range(10):
            round_ = LadderRoundFactory(status=Round.Status.CLOSED,
                                        closes_on=timezone.localdate() - timedelta(days=40))
            for area in round_.ordered_areas()[:3]:
                for position in (2, 5):
                    staff = StaffRespondentFactory(round=round_, user=StaffFactory())
                    Response.objects.create(respondent=staff, area=area, rung=round_.ladder.rungs.get(
                        position=position), evidence="e", next_step="n")
            PartnerRespondentFactory(round=round_, partner=world.partner)
            LadderActionFactory(round=round_, owner=world.staff)
    return grow


@pytest.mark.parametrize("name", ["ladder:round_list", "ladder:trend", "ladder:action_list"])
def test_staff_lists_run_a_bounded_number_of_queries(staff_client, world, name):
    assert_queries_bounded(staff_client, reverse(name), _more_rounds(world), most=16)


@pytest.mark.parametrize("name", ["ladder:ladder_list", "ladder:area_list"])
def test_ladder_and_area_lists_run_a_bounded_number_of_queries(staff_client, world, name):
    def grow():
        _more_rounds(world)()
        for index in range(10):
            Area.objects.create(name=f"Area {index}", order=100 + index)
            ladder = Ladder.objects.create(name=f"Ladder {index}")
            for position in (1, 2, 3):
                Rung.objects.create(ladder=ladder, position=position, name=f"Step {position}",
                                    description="d")
    assert_queries_bounded(staff_client, reverse(name), grow, most=12)


def test_trustee_round_list_runs_a_bounded_number_of_queries(trustee_client, world):
    assert_queries_bounded(trustee_client, reverse("ladder:round_list"), _more_rounds(world), most=12)


def test_my_rounds_runs_a_bounded_number_of_queries(partner_client, world):
    assert_queries_bounded(partner_client, reverse("ladder:my_rounds"), _more_rounds(world), most=12)


def _more_answers(round_, world):
    def grow():
        for area in round_.ordered_areas():
            for position in range(1, 8):
                for factory, kwargs in ((StaffRespondentFactory, {"user": StaffFactory()}),
                                        (PartnerRespondentFactory, {"partner": PartnerFactory()})):
                    respondent = factory(round=round_, **kwargs)
                    Response.objects.create(respondent=respondent, area=area,
                                            rung=round_.ladder.rungs.get(position=position),
                                            evidence="Because", next_step="Then")
        for _ in range(10):
            LadderActionFactory(round=round_, area=round_.ordered_areas()[0], owner=world.staff)
    return grow


def test_results_page_runs_a_bounded_number_of_queries(staff_client, world):
    round_ = world.ladder_closed
    assert_queries_bounded(staff_client, reverse("ladder:results", args=[round_.pk]),
                           _more_answers(round_, world), most=18)


def test_partner_results_page_runs_a_bounded_number_of_queries(partner_client, world):
    round_ = world.ladder_closed
    assert_queries_bounded(partner_client, reverse("ladder:my_results", args=[round_.pk]),
                           _more_answers(round_, world), most=18)


def test_round_detail_runs_a_bounded_number_of_queries(staff_client, world):
    round_ = world.ladder_open
    assert_queries_bounded(staff_client, reverse("ladder:round_detail", args=[round_.pk]),
                           _more_answers(round_, world), most=16)
