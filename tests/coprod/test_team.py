"""The Team page: staff permissions given and taken away, logins deactivated and
reactivated, every change recorded, and the guard rails that keep the organisation
from locking itself out."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coprod import services
from coprod.models import TeamChange
from coprod.roles import MANAGE_TEAM
from coprod.roles import TEAM_PERMISSION_NAMES
from coprod.roles import TEAM_PERMISSIONS
from coprod.roles import can_manage_team
from participants.services import ERASE_PERMISSION
from participants.services import SENSITIVE_PERMISSION
from reciprocity.services import APPROVE
from reciprocity.services import PAY

from ..helpers import assert_queries_bounded
from ..participants.factories import PASSWORD
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..participants.factories import TrusteeFactory
from ..participants.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _fresh(user):
    """The user read again, so `has_perm` does not answer from an old cache."""
    return User.objects.get(pk=user.pk)


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _set(client, person, *names):
    return client.post(reverse("coprod:team_member", args=[person.pk]), {"permissions": list(names)})


def _direct(person) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in _fresh(person).user_permissions.all()}


# --- The permissions on offer ---------------------------------------------------------


def test_the_page_offers_exactly_the_permissions_the_apps_check():
    assert set(TEAM_PERMISSION_NAMES) == {
        MANAGE_TEAM, "coprod.change_organisation", SENSITIVE_PERMISSION, ERASE_PERMISSION, APPROVE, PAY}
    for name in TEAM_PERMISSION_NAMES:
        assert _permission(name)  # each exists in the database


# --- Giving and taking away -----------------------------------------------------------


@pytest.mark.parametrize("name", TEAM_PERMISSION_NAMES)
def test_a_team_manager_gives_and_takes_away_each_permission_and_it_is_recorded(name, staff_client, world):
    newcomer = StaffFactory(full_name="Nia Newcomer")
    assert not _fresh(newcomer).has_perm(name)

    response = _set(staff_client, newcomer, name)
    assert response.status_code == 302
    assert _fresh(newcomer).has_perm(name)
    given = TeamChange.objects.get(user=newcomer)
    assert (given.kind, given.permission, given.by) == (TeamChange.Kind.GRANTED, name, world.staff)
    assert timezone.now() - given.at < timedelta(minutes=1)
    page = staff_client.get(response.url).content.decode()
    assert "Saved. Nia Newcomer can now:" in page

    response = _set(staff_client, newcomer)
    assert not _fresh(newcomer).has_perm(name)
    taken = TeamChange.objects.filter(user=newcomer).first()
    assert (taken.kind, taken.permission, taken.by) == (TeamChange.Kind.REVOKED, name, world.staff)
    page = staff_client.get(response.url).content.decode()
    assert "Nia Newcomer can no longer:" in page
    label = next(p.label for p in TEAM_PERMISSIONS if p.name == name)
    assert f"Took away permission: {label}" in page and "Sam Staff" in page, "the page shows who did it"


def test_saving_the_same_permissions_records_nothing(staff_client, world):
    _set(staff_client, world.colleague, APPROVE)
    assert not TeamChange.objects.exists()
    page = staff_client.get(reverse("coprod:team_member", args=[world.colleague.pk])).content.decode()
    assert "Nothing changed" in page


def test_several_permissions_change_in_one_save(staff_client, world):
    _set(staff_client, world.colleague, PAY, SENSITIVE_PERMISSION)
    assert _direct(world.colleague) == {PAY, SENSITIVE_PERMISSION}
    assert sorted(TeamChange.objects.values_list("kind", "permission")) == [
        ("granted", SENSITIVE_PERMISSION), ("granted", PAY), ("revoked", APPROVE)]


def test_other_permissions_given_in_the_django_admin_are_left_alone(staff_client, world):
    other = Permission.objects.get(codename="add_resource")
    world.colleague.user_permissions.add(other)
    _set(staff_client, world.colleague)
    assert _direct(world.colleague) == {"coprod.add_resource"}


# --- Refused, with a message, and nothing saved ----------------------------------------


def _nothing_saved(person, before: set[str]):
    assert _direct(person) == before
    assert not TeamChange.objects.exists()


def test_an_unknown_permission_is_refused(staff_client, world):
    before = _direct(world.colleague)
    response = _set(staff_client, world.colleague, PAY, "auth.change_user")
    assert response.status_code == 200
    assert "“auth.change_user” is not a permission that can be given here" in response.content.decode()
    _nothing_saved(world.colleague, before)
    with pytest.raises(ValidationError, match="not a permission that can be given here"):
        services.staff_permissions_set(user=world.colleague, permissions=["auth.change_user"], by=world.staff)
    _nothing_saved(world.colleague, before)


def test_a_trustee_cannot_be_given_a_permission(staff_client, world):
    response = _set(staff_client, world.trustee, APPROVE)
    assert response.status_code == 200
    assert "Permissions are only for staff members, and Tess Trustee is not a member of staff" in (
        response.content.decode())
    _nothing_saved(world.trustee, set())


def test_a_partner_login_is_not_on_the_team_page(staff_client, world):
    response = _set(staff_client, world.partner.user, APPROVE)
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="no staff or trustee login"):
        services.staff_permissions_set(user=world.partner.user, permissions=[APPROVE], by=world.staff)
    _nothing_saved(world.partner.user, set())


def test_you_cannot_take_away_your_own_permission_to_manage_the_team(staff_client, world):
    before = _direct(world.staff)
    # Everything else they hold, and one more, but not "Manage the team".
    response = _set(staff_client, world.staff, *(before - {MANAGE_TEAM}), SENSITIVE_PERMISSION)
    assert response.status_code == 200
    assert "You cannot take away your own permission to manage the team" in response.content.decode()
    _nothing_saved(world.staff, before)


def test_you_can_change_your_own_other_permissions(staff_client, world):
    _set(staff_client, world.staff, MANAGE_TEAM, "coprod.change_organisation")
    assert _direct(world.staff) == {MANAGE_TEAM, "coprod.change_organisation"}


def test_you_cannot_deactivate_yourself(staff_client, world):
    page = staff_client.get(reverse("coprod:team_member", args=[world.staff.pk])).content.decode()
    assert "You cannot deactivate your own login" in page
    assert reverse("coprod:team_deactivate", args=[world.staff.pk]) not in page

    response = staff_client.post(reverse("coprod:team_deactivate", args=[world.staff.pk]))
    assert response.status_code == 200
    assert "You cannot deactivate your own login" in response.content.decode()
    assert _fresh(world.staff).is_active
    assert not TeamChange.objects.exists()


@pytest.fixture
def superuser():
    """Someone working from the Django admin or a shell: a superuser who is not staff."""
    return UserFactory(email="root@example.test", full_name="Root", is_superuser=True)


def test_the_last_team_manager_cannot_be_deactivated(world, superuser):
    with pytest.raises(ValidationError, match="Sam Staff is the only active staff member who can manage"):
        services.login_deactivate(user=world.staff, by=superuser)
    assert _fresh(world.staff).is_active
    assert not TeamChange.objects.exists()


def test_the_last_team_manager_keeps_the_permission(world, superuser):
    with pytest.raises(ValidationError, match="only active staff member who can manage the team"):
        services.staff_permissions_set(user=world.staff, permissions=[], by=superuser)
    assert MANAGE_TEAM in _direct(world.staff)
    assert not TeamChange.objects.exists()


def test_with_a_second_team_manager_the_first_can_go(world, superuser):
    world.colleague.user_permissions.add(_permission(MANAGE_TEAM))
    services.login_deactivate(user=world.staff, by=superuser)
    assert not _fresh(world.staff).is_active


def test_a_manager_who_was_deactivated_meanwhile_changes_nothing(world):
    """Two managers each try to close the other's login: the second is refused, because
    the rule is checked again, under a lock, when the change is made."""
    world.colleague.user_permissions.add(_permission(MANAGE_TEAM))
    colleague = _fresh(world.colleague)
    services.login_deactivate(user=colleague, by=world.staff)
    with pytest.raises(PermissionDenied):
        services.login_deactivate(user=world.staff, by=colleague)
    assert _fresh(world.staff).is_active


def test_a_group_grant_keeps_someone_a_manager_when_their_own_grant_goes(world, superuser):
    managers = Group.objects.create(name="Managers")
    managers.permissions.add(_permission(MANAGE_TEAM))
    world.staff.groups.add(managers)
    services.staff_permissions_set(user=world.staff, permissions=[], by=superuser)
    assert can_manage_team(_fresh(world.staff))


# --- Deactivating and reactivating logins ---------------------------------------------


def test_a_deactivated_login_cannot_sign_in_and_its_session_ends(staff_client, world):
    signed_in = Client()
    signed_in.force_login(world.colleague)
    assert signed_in.get(reverse("coprod:staff_home")).status_code == 200

    page = staff_client.get(reverse("coprod:team_deactivate", args=[world.colleague.pk])).content.decode()
    assert "will not be able to sign in" in page
    response = staff_client.post(reverse("coprod:team_deactivate", args=[world.colleague.pk]), follow=True)
    assert "Cal Colleague’s login is deactivated" in response.content.decode()
    assert not _fresh(world.colleague).is_active
    change = TeamChange.objects.get()
    assert (change.user, change.by, change.kind) == (
        world.colleague, world.staff, TeamChange.Kind.DEACTIVATED)

    staff_home = signed_in.get(reverse("coprod:staff_home"))
    assert staff_home.status_code == 302 and staff_home.url.startswith(reverse("account_login"))

    client = Client()
    response = client.post(reverse("account_login"), {"login": world.colleague.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("account_inactive")
    assert "_auth_user_id" not in client.session


def test_a_trustee_login_is_deactivated_and_reactivated(staff_client, world):
    staff_client.post(reverse("coprod:team_deactivate", args=[world.trustee.pk]))
    assert not _fresh(world.trustee).is_active
    response = staff_client.post(reverse("coprod:team_reactivate", args=[world.trustee.pk]), follow=True)
    assert "Tess Trustee’s login is active again" in response.content.decode()
    assert _fresh(world.trustee).is_active
    assert list(TeamChange.objects.values_list("kind", flat=True)) == ["reactivated", "deactivated"]

    client = Client()
    client.post(reverse("account_login"), {"login": world.trustee.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(world.trustee.pk)


def test_reactivating_an_active_login_or_deactivating_an_inactive_one_is_refused(staff_client, world):
    response = staff_client.post(reverse("coprod:team_reactivate", args=[world.colleague.pk]), follow=True)
    assert "Cal Colleague’s login is already active" in response.content.decode()
    response = staff_client.post(reverse("coprod:team_deactivate", args=[world.former_staff.pk]))
    assert "Fay Former’s login is already deactivated" in response.content.decode()
    assert not TeamChange.objects.exists()


def test_deactivating_a_login_that_is_also_a_partners_says_it_closes_their_partner_pages(staff_client, world):
    partner = PartnerWithLoginFactory(full_name="Dual Role", user__is_staff_member=True)
    page = staff_client.get(reverse("coprod:team_deactivate", args=[partner.user.pk])).content.decode()
    assert "also closes their own partner pages" in page


# --- Who may use it ---------------------------------------------------------------------


def test_staff_without_the_permission_get_403_and_no_link(world):
    client = Client()
    client.force_login(world.colleague)
    assert client.get(reverse("coprod:team_list")).status_code == 403
    assert client.get(reverse("coprod:team_member", args=[world.staff.pk])).status_code == 403
    assert client.post(reverse("coprod:team_deactivate", args=[world.staff.pk])).status_code == 403
    assert reverse("coprod:team_list") not in client.get(reverse("coprod:staff_home")).content.decode()
    assert _fresh(world.staff).is_active


def test_a_team_manager_sees_the_link_next_to_settings(staff_client, world):
    page = staff_client.get(reverse("coprod:staff_home")).content.decode()
    assert page.index(reverse("coprod:organisation_settings")) < page.index(reverse("coprod:team_list"))


def test_a_superuser_on_the_staff_portal_may_manage_the_team(world):
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(reverse("coprod:team_list")).status_code == 200


# --- The list -----------------------------------------------------------------------------


def test_the_list_shows_people_roles_logins_and_permissions_in_plain_words(staff_client, world):
    page = staff_client.get(reverse("coprod:team_list")).content.decode()
    for text in ["Sam Staff", "staff@example.test", "Tess Trustee", "Cal Colleague", "Fay Former",
                 "Approve or reject claims", "Manage the team", "Deactivated", "None: not a member of staff"]:
        assert text in page, text
    assert "approve_claim" not in page
    assert "Pat Partner" not in page, "partners without a staff or trustee login are not listed"


def test_permissions_from_a_group_are_shown_as_such(staff_client, world):
    finance = Group.objects.create(name="Finance")
    finance.permissions.add(_permission(PAY))
    world.colleague.groups.add(finance)
    page = staff_client.get(reverse("coprod:team_list")).content.decode()
    assert "Record payments <span class=\"small text-muted\">(only through the group Finance)" in page
    page = staff_client.get(reverse("coprod:team_member", args=[world.colleague.pk])).content.decode()
    assert "They also have it through the group Finance" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [("role=trustee", ["Tess Trustee"], ["Sam Staff", "Fay Former"]),
     ("role=staff", ["Sam Staff", "Fay Former"], ["Tess Trustee"]),
     ("status=deactivated", ["Fay Former"], ["Sam Staff", "Tess Trustee"]),
     ("role=staff&status=active", ["Sam Staff", "Cal Colleague"], ["Fay Former", "Tess Trustee"])],
)
def test_the_list_filters_by_role_and_login(staff_client, world, query, shown, hidden):
    page = staff_client.get(f"{reverse('coprod:team_list')}?{query}").content.decode()
    for name in shown:
        assert name in page
    for name in hidden:
        assert f"<strong>{name}</strong>" not in page


def test_the_list_runs_the_same_queries_however_many_people(staff_client, world):
    finance = Group.objects.create(name="Finance")
    finance.permissions.add(_permission(PAY), _permission(APPROVE))
    world.colleague.groups.add(finance)

    def grow():
        for n in range(10):
            staff = StaffFactory(is_active=n % 3 != 0)
            staff.user_permissions.add(_permission(SENSITIVE_PERMISSION), _permission(ERASE_PERMISSION))
            staff.groups.add(finance)
            TrusteeFactory()
            PartnerWithLoginFactory(user__is_trustee=True)

    assert_queries_bounded(staff_client, reverse("coprod:team_list"), grow, most=12)


def test_a_person_page_runs_the_same_queries_however_many_changes(staff_client, world):
    url = reverse("coprod:team_member", args=[world.colleague.pk])

    def grow():
        for _ in range(10):
            services.staff_permissions_set(user=world.colleague, permissions=[PAY], by=world.staff)
            services.staff_permissions_set(user=world.colleague, permissions=[APPROVE], by=world.staff)

    assert_queries_bounded(staff_client, url, grow, most=14)


# --- The effect ---------------------------------------------------------------------------


def test_once_given_approve_claim_a_staff_member_sees_the_approve_buttons(staff_client, world):
    finance = StaffFactory(full_name="Fin Ance")
    client = Client()
    client.force_login(finance)
    claim_url = reverse("reciprocity:claim_detail", args=[world.claim_submitted.pk])
    approve_url = reverse("reciprocity:claim_approve", args=[world.claim_submitted.pk])
    assert approve_url not in client.get(claim_url).content.decode()

    _set(staff_client, finance, APPROVE)

    page = client.get(claim_url).content.decode()
    assert approve_url in page
    assert client.post(approve_url, {"amount": "40.00"}).status_code == 302
    world.claim_submitted.refresh_from_db()
    assert world.claim_submitted.status == "approved"


# --- Upgrading ----------------------------------------------------------------------------


def test_upgrading_gives_manage_team_to_whoever_could_change_the_settings(db):
    settings_admin, other = StaffFactory(), StaffFactory()
    settings_admin.user_permissions.add(_permission("coprod.change_organisation"))
    admins = Group.objects.create(name="Admins")
    admins.permissions.add(_permission("coprod.change_organisation"))
    in_group = StaffFactory()
    in_group.groups.add(admins)

    migration = importlib.import_module("coprod.migrations.0006_team_permissions_and_changes")
    migration.grant_manage_team_to_settings_admins(apps, None)

    assert _fresh(settings_admin).has_perm(MANAGE_TEAM)
    assert _fresh(in_group).has_perm(MANAGE_TEAM)
    assert not _fresh(other).has_perm(MANAGE_TEAM)


# --- The demo -----------------------------------------------------------------------------


def test_the_demo_staff_login_manages_a_team_with_different_permissions(settings, client):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert TeamChange.objects.count() == 1, "a second run records nothing more"
    client.post(reverse("account_login"), {"login": "staff@example.org", "password": "coprod-demo"})
    page = client.get(reverse("coprod:team_list")).content.decode()
    assert "Manage the team" in page and "Change the organisation settings" in page
    begum = User.objects.get(email="s.begum@example.org")
    assert begum.has_perm("coprod.change_organisation") and not begum.has_perm(MANAGE_TEAM)
    page = client.get(reverse("coprod:team_member", args=[begum.pk])).content.decode()
    assert "Gave permission: Change the organisation settings" in page and "Amira Haddad" in page
