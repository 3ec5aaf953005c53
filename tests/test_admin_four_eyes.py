# SPDX-License-Identifier: AGPL-3.0-or-later
"""Administration under four eyes (ADR 0011): the functioneel beheerder cannot make himself or
a new account someone who sees persons; a second person approves such a grant; nobody changes
their own roles; a password is set by its owner through a link; every change in the admin is
in the audit trail with real before and after values."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from casebook.admin import AuditedAdmin
from casebook.jobs import send_password_reset_email
from casebook.models import AuditEvent, District, OrganisationKind, Role, RoleGrant, User
from casebook.services.accounts import SEND_PASSWORD_RESET_JOB
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(db):
    return factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (beheer)")


@pytest.fixture
def beheerder(municipality):
    return factories.user(
        Role.FUNCTIONAL_ADMIN, municipality, is_staff=True, first_name="Bart", last_name="Beheer"
    )


@pytest.fixture
def colleague(municipality):
    """A partner professional whose account the beheerder manages."""
    return factories.user(Role.PARTNER, municipality, first_name="Els", last_name="Collega")


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def user_form(user: User, **changes) -> dict:
    """What the admin's change form posts for ``user``, with ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation_id or "",
        "roles": [r.pk for r in user.roles.all()],
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    } | changes
    return {
        key: ("on" if value is True else value) for key, value in data.items() if value is not False
    }


def change_url(user: User) -> str:
    return reverse("admin:casebook_user_change", args=[user.pk])


def role_codes(user: User) -> set[str]:
    return set(User.objects.get(pk=user.pk).roles.values_list("code", flat=True))


def add_account(client, beheerder, *roles: str, username: str = "nieuw") -> User:
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:casebook_user_add"),
        {
            "username": username,
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": f"{username}@example.org",
            "organisation": beheerder.organisation_id,
            "roles": [role(code).pk for code in roles],
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return User.objects.get(username=username)


def decide(client, actor, grant, decision: str, reason: str = ""):
    client.force_login(actor)
    url = reverse("accounts:role-grant-decide", args=[grant.pk, decision])
    return client.post(url, {f"grant-{grant.pk}-reason": reason})


# --- Four eyes --------------------------------------------------------------------------------


def test_the_beheerder_cannot_give_himself_the_procesregisseur_role(
    client, beheerder, case_awaiting
):
    client.force_login(beheerder)
    wanted = [role(Role.FUNCTIONAL_ADMIN).pk, role(Role.PROCESS_DIRECTOR).pk]
    response = client.post(change_url(beheerder), user_form(beheerder, roles=wanted))
    assert response.status_code == 200
    assert "U kunt uw eigen rollen niet wijzigen" in response.content.decode()
    assert role_codes(beheerder) == {Role.FUNCTIONAL_ADMIN}
    assert not RoleGrant.objects.exists()
    case_page = reverse("casebook:case-detail", args=[case_awaiting.pk])
    assert client.get(case_page).status_code == 404


def test_a_new_account_with_a_person_role_waits_until_a_second_person_approves(
    client, beheerder, privacy_officer, case_awaiting
):
    account = add_account(client, beheerder, Role.PROCESS_DIRECTOR)
    grant = RoleGrant.objects.get(user=account)
    assert grant.role.code == Role.PROCESS_DIRECTOR and grant.requested_by == beheerder
    assert grant.decision == RoleGrant.Decision.PENDING
    assert role_codes(account) == set()
    case_page = reverse("casebook:case-detail", args=[case_awaiting.pk])
    client.force_login(account)
    assert client.get(case_page).status_code == 404

    # The requester cannot approve his own request.
    response = decide(client, beheerder, grant, "goedkeuren")
    assert response.status_code == 403
    assert "eigen aanvraag" in response.content.decode()
    grant.refresh_from_db()
    assert grant.decision == RoleGrant.Decision.PENDING and role_codes(account) == set()

    # The privacy officer sees who asked what for whom, and approves.
    client.force_login(privacy_officer)
    page = client.get(reverse("accounts:role-grants")).content.decode()
    assert "Procesregisseur voor Nieuwe Collega" in page
    assert "nieuw@example.org" in page and "Bart Beheer" in page
    response = decide(client, privacy_officer, grant, "goedkeuren")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.decision == RoleGrant.Decision.APPROVED and grant.decided_by == privacy_officer
    assert role_codes(account) == {Role.PROCESS_DIRECTOR}
    client.force_login(User.objects.get(pk=account.pk))
    assert client.get(case_page).status_code == 200

    # Requested and approved are both in the chain; the requester hears the outcome.
    requested = AuditEvent.objects.get(action="role_grant.requested", object_id=str(grant.pk))
    assert requested.actor == beheerder and requested.after["rol"] == Role.PROCESS_DIRECTOR
    approved = AuditEvent.objects.get(action="role_grant.approved", object_id=str(grant.pk))
    assert approved.actor == privacy_officer
    assert approved.before["rollen"] == [] and approved.after["rollen"] == ["Procesregisseur"]
    note = Notification.objects.get(recipient=beheerder)
    assert "goedgekeurd" in note.message and "Procesregisseur" in note.message
    # Deciding twice is refused, and changes nothing.
    assert decide(client, privacy_officer, grant, "afwijzen", "toch niet").status_code == 409
    assert role_codes(account) == {Role.PROCESS_DIRECTOR}


def test_the_user_a_grant_is_for_cannot_approve_it(client, beheerder, privacy_officer):
    client.force_login(beheerder)
    wanted = [role(Role.PRIVACY_OFFICER).pk, role(Role.PROCESS_SUPPORT).pk]
    client.post(change_url(privacy_officer), user_form(privacy_officer, roles=wanted))
    grant = RoleGrant.objects.get(user=privacy_officer, role__code=Role.PROCESS_SUPPORT)
    assert decide(client, privacy_officer, grant, "goedkeuren").status_code == 403
    assert role_codes(privacy_officer) == {Role.PRIVACY_OFFICER}


def test_a_rejection_needs_a_reason_and_leaves_the_roles_as_they_were(
    client, beheerder, colleague, privacy_officer
):
    client.force_login(beheerder)
    wanted = [role(Role.PARTNER).pk, role(Role.PROCESS_DIRECTOR).pk]
    client.post(change_url(colleague), user_form(colleague, roles=wanted))
    grant = RoleGrant.objects.get(user=colleague)
    response = decide(client, privacy_officer, grant, "afwijzen")
    assert response.status_code == 400
    assert "Geef een reden voor de afwijzing." in response.content.decode()
    assert (
        decide(client, privacy_officer, grant, "afwijzen", "Geen ZVH-medewerker").status_code == 302
    )
    grant.refresh_from_db()
    assert grant.decision == RoleGrant.Decision.REJECTED and grant.reason == "Geen ZVH-medewerker"
    assert role_codes(colleague) == {Role.PARTNER}
    assert AuditEvent.objects.filter(action="role_grant.rejected", actor=privacy_officer).exists()
    assert "afgewezen" in Notification.objects.get(recipient=beheerder).message


def test_users_without_the_approval_permission_do_not_reach_the_approval_page(
    client, colleague, steering_member
):
    for user in (colleague, steering_member):
        client.force_login(user)
        assert client.get(reverse("accounts:role-grants")).status_code == 403


def test_the_approval_page_does_not_query_per_request(
    client, beheerder, privacy_officer, django_assert_max_num_queries
):
    for _ in range(6):
        account = factories.user(Role.STEERING_GROUP, beheerder.organisation)
        RoleGrant.objects.create(
            user=account,
            role=role(Role.PARTNER),
            requested_by=beheerder,
            requested_at=account.date_joined,
        )
    client.force_login(privacy_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:role-grants"))
    assert response.content.decode().count("Partnerprofessional voor") == 6


# --- Roles set directly, and one's own --------------------------------------------------------


def test_nobody_changes_their_own_roles(client, beheerder):
    client.force_login(beheerder)
    for wanted in ([], [role(Role.FUNCTIONAL_ADMIN).pk, role(Role.STEERING_GROUP).pk]):
        response = client.post(change_url(beheerder), user_form(beheerder, roles=wanted))
        assert "U kunt uw eigen rollen niet wijzigen" in response.content.decode()
        assert role_codes(beheerder) == {Role.FUNCTIONAL_ADMIN}


def test_a_superuser_in_the_admin_keeps_to_the_same_rules(client, colleague, case_awaiting):
    boss = User.objects.create_superuser("baas", "baas@example.org", "geheim-wachtwoord-123")
    client.force_login(boss)
    wanted = [role(Role.PARTNER).pk, role(Role.PROCESS_DIRECTOR).pk]
    assert client.post(change_url(colleague), user_form(colleague, roles=wanted)).status_code == 302
    assert role_codes(colleague) == {Role.PARTNER}
    assert RoleGrant.objects.get(user=colleague).requested_by == boss
    own = client.post(change_url(boss), user_form(boss, roles=[role(Role.STEERING_GROUP).pk]))
    assert "U kunt uw eigen rollen niet wijzigen" in own.content.decode()


def test_a_role_that_reaches_no_person_is_given_at_once_with_names_in_the_audit(
    client, beheerder, colleague
):
    client.force_login(beheerder)
    wanted = [role(Role.PARTNER).pk, role(Role.STEERING_GROUP).pk]
    assert client.post(change_url(colleague), user_form(colleague, roles=wanted)).status_code == 302
    assert role_codes(colleague) == {Role.PARTNER, Role.STEERING_GROUP}
    assert not RoleGrant.objects.exists()
    event = AuditEvent.objects.get(action="admin.changed", object_id=str(colleague.pk))
    assert event.object_type == "casebook.user"
    assert event.before["roles"] == ["Partnerprofessional"]
    assert event.after["roles"] == ["Partnerprofessional", "Stuurgroeplid"]
    assert "password" not in event.before and "password" not in event.after
    assert "pbkdf2" not in str(event.before) + str(event.after)


def test_a_role_is_taken_away_at_once_and_audited(client, beheerder, director):
    client.force_login(beheerder)
    assert client.post(change_url(director), user_form(director, roles=[])).status_code == 302
    assert role_codes(director) == set()
    event = AuditEvent.objects.get(action="user.roles_changed", object_id=str(director.pk))
    assert event.before == {"rollen": ["Procesregisseur"]} and event.after == {"rollen": []}


def test_the_beheerder_cannot_redirect_or_revive_an_account_that_reaches_persons(
    client, beheerder, director
):
    client.force_login(beheerder)
    client.post(change_url(director), user_form(director, email="bart@example.org"))
    assert User.objects.get(pk=director.pk).email == director.email
    User.objects.filter(pk=director.pk).update(is_active=False)
    director.refresh_from_db()
    response = client.post(change_url(director), user_form(director, is_active=True))
    assert "heractiveert u niet" in response.content.decode()
    assert not User.objects.get(pk=director.pk).is_active


def test_the_beheerder_cannot_change_a_superuser(client, beheerder):
    boss = User.objects.create_superuser("baas", "baas@example.org", "geheim-wachtwoord-123")
    client.force_login(beheerder)
    response = client.post(change_url(boss), user_form(boss, email="bart@example.org"))
    assert response.status_code == 403
    assert User.objects.get(pk=boss.pk).email == "baas@example.org"


def test_the_user_form_offers_no_superuser_groups_or_permissions(client, beheerder, colleague):
    client.force_login(beheerder)
    page = client.get(change_url(colleague)).content.decode()
    for field in ("is_superuser", "user_permissions", "groups", "password1"):
        assert f'name="{field}"' not in page, field
    perm = Permission.objects.get(codename="view_all_cases")
    data = user_form(colleague, is_superuser="on", user_permissions=[perm.pk])
    client.post(change_url(colleague), data)
    colleague.refresh_from_db()
    assert not colleague.is_superuser and not colleague.user_permissions.exists()


# --- Role permissions -------------------------------------------------------------------------


def role_form(r: Role, permissions) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "description": r.description,
        "permissions": [p.pk for p in permissions],
    }


def test_a_role_cannot_be_made_to_reach_persons_in_the_admin(client, beheerder, steering_member):
    steering = role(Role.STEERING_GROUP)
    before = set(steering.permissions.all())
    view_all = Permission.objects.get(codename="view_all_cases")
    client.force_login(beheerder)
    url = reverse("admin:casebook_role_change", args=[steering.pk])
    response = client.post(url, role_form(steering, [*before, view_all]))
    assert response.status_code == 200
    assert "Rechten die toegang tot personen geven" in response.content.decode()
    assert set(steering.permissions.all()) == before
    assert not steering_member.has_perm("casebook.view_all_cases")

    register = Permission.objects.get(codename="register_signal")
    response = client.post(
        reverse("admin:casebook_role_add"),
        {"code": "melder", "name": "Melder", "description": "", "permissions": [register.pk]},
    )
    assert response.status_code == 200 and not Role.objects.filter(code="melder").exists()


def test_no_permission_is_added_to_a_role_one_holds(client, beheerder):
    own = role(Role.FUNCTIONAL_ADMIN)
    extra = Permission.objects.get(codename="view_aggregate_reports")
    client.force_login(beheerder)
    url = reverse("admin:casebook_role_change", args=[own.pk])
    response = client.post(url, role_form(own, [*own.permissions.all(), extra]))
    assert "een rol die u zelf heeft" in response.content.decode()
    assert not own.permissions.filter(pk=extra.pk).exists()


def test_a_role_change_is_audited_with_its_permissions_and_members(
    client, beheerder, steering_member
):
    steering = role(Role.STEERING_GROUP)
    client.force_login(beheerder)
    url = reverse("admin:casebook_role_change", args=[steering.pk])
    assert client.post(url, role_form(steering, [])).status_code == 302
    event = AuditEvent.objects.get(action="admin.changed", object_type="casebook.role")
    assert event.before["permissions"] == ["casebook.view_aggregate_reports"]
    assert event.after["permissions"] == []
    assert steering_member.username in event.after["leden"]


# --- Passwords --------------------------------------------------------------------------------


def queued_resets() -> list[dict]:
    return [job.args for job in ProcrastinateJob.objects.filter(task_name=SEND_PASSWORD_RESET_JOB)]


def test_a_password_is_never_set_for_someone_else(client, beheerder, colleague):
    client.force_login(beheerder)
    url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    assert client.get(url).status_code == 404
    data = {"password1": "Overgenomen-2026!", "password2": "Overgenomen-2026!"}
    assert client.post(url, data).status_code == 404
    assert User.objects.get(pk=colleague.pk).check_password("geheim-wachtwoord-123")
    page = client.get(change_url(colleague)).content.decode()
    assert f"/user/{colleague.pk}/password/" not in page and "Link voor nieuw wachtwoord" in page


def test_the_user_gets_a_reset_link_without_personal_data(
    client, beheerder, colleague, case_awaiting
):
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:casebook_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [colleague.pk]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=colleague.pk).check_password("geheim-wachtwoord-123")
    event = AuditEvent.objects.get(action="user.password_reset_sent", object_id=str(colleague.pk))
    assert event.actor == beheerder and event.after["naar"] == colleague.email
    assert "token" not in str(event.after)

    [args] = queued_resets()
    send_password_reset_email(**args)
    [message] = mail.outbox
    assert message.to == [colleague.email]
    youth = case_awaiting.youth
    for secret in (youth.first_name, youth.last_name, case_awaiting.reference):
        assert secret not in message.body + message.subject
    link = re.search(r"http://\S+/wachtwoord/instellen/\S+/", message.body).group(0)

    client.logout()
    form_page = client.get(link.split("8000", 1)[1], follow=True)
    assert "Wachtwoord instellen" in form_page.content.decode()
    new = "Zelf-gekozen-2026!"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Uw wachtwoord is opgeslagen" in done.content.decode()
    assert User.objects.get(pk=colleague.pk).check_password(new)
    assert (
        "Deze link werkt niet" in client.get(link.split("8000", 1)[1], follow=True).content.decode()
    )


def test_a_new_account_has_no_password_until_its_owner_sets_one(client, beheerder):
    account = add_account(client, beheerder, Role.STEERING_GROUP)
    assert not account.has_usable_password()
    assert role_codes(account) == {Role.STEERING_GROUP}
    assert queued_resets() == [{"user_id": account.pk, "new_account": True}]
    added = AuditEvent.objects.get(action="admin.added", object_id=str(account.pk))
    assert added.after["roles"] == ["Stuurgroeplid"]
    assert added.after["wachtwoord"] == "niet ingesteld" and "password" not in added.after
    page = client.get(reverse("admin:casebook_user_add")).content.decode()
    assert 'name="password1"' not in page


# --- The admin reaches no person, and audits everything ----------------------------------------

CONFIGURATION = {
    "casebook.organisation",
    "casebook.role",
    "casebook.user",
    "casebook.rolegrant",
    "casebook.district",
    "casebook.neighbourhood",
    "casebook.areateam",
    "casebook.signalcategory",
    "casebook.closurereason",
    "casebook.levelcriterion",
    "casebook.intervention",
    "casebook.grouprole",
    # The register of processing activities (ADR 0017): a change is a new version.
    "casebook.processingactivity",
    "workflows.levelsetting",
    "workflows.meetingseries",
    "workflows.attendancerule",
    "workflows.tasktype",
    # The stuurgroep's KPIs (ADR 0023): target and measure; values go through a service.
    "reports.kpi",
}
#: Shown but never changed in the admin: actions go through an audited service.
READ_ONLY = {"axes.accessattempt"}


def test_the_admin_holds_configuration_only_and_audits_every_model():
    registered = {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }
    # The job queue is operational (ids only) and needs permissions no role has; the failed
    # log-ins are read-only, lifted through the audited service (ADR 0015).
    assert set(registered) - {"procrastinate.procrastinatejob"} - READ_ONLY == CONFIGURATION
    for label in CONFIGURATION:
        assert isinstance(registered[label], AuditedAdmin), label


def test_the_beheerder_reaches_no_youth_case_signal_or_task_in_the_admin(
    client, beheerder, case_awaiting
):
    client.force_login(beheerder)
    youth = case_awaiting.youth
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        expected = 200 if opts.label_lower in CONFIGURATION | READ_ONLY else 403
        assert response.status_code == expected, opts.label_lower
        assert youth.last_name not in response.content.decode(), opts.label_lower
    for path in (
        "casebook/youth/",
        f"casebook/case/{case_awaiting.pk}/change/",
        "casebook/signal/",
        "workflows/partnertask/",
        "viewflow/process/",
        "viewflow/task/",
        "auth/group/",
    ):
        assert client.get(f"/beheer/{path}").status_code == 404, path


def test_a_deletion_through_the_admin_is_audited(beheerder):
    district = District.objects.create(code="WEG", name="Verdwenen wijk")
    request = RequestFactory().post("/beheer/")
    request.user = beheerder
    admin.site._registry[District].delete_model(request, district)
    event = AuditEvent.objects.get(action="admin.deleted", object_type="casebook.district")
    assert event.before["name"] == "Verdwenen wijk" and event.after is None
    assert not District.objects.filter(code="WEG").exists()


def test_a_meeting_series_change_lists_its_member_organisations_before_and_after(
    client, beheerder, police, halt
):
    from workflows.meetings.models import MeetingSeries

    series = MeetingSeries.objects.get(level="netwerkoverleg")
    series.is_active = False  # no sittings planned: this test is about the audit
    series.save(update_fields=["is_active"])
    before = sorted(series.member_organisations.values_list("name", flat=True))
    client.force_login(beheerder)
    url = reverse("admin:workflows_meetingseries_change", args=[series.pk])
    data = {
        "name": series.name,
        "level": series.level,
        "member_organisations": [police.pk, halt.pk],
        "first_date": series.first_date.isoformat(),
        "weekday_time": series.weekday_time.strftime("%H:%M"),
        "every_weeks": series.every_weeks,
        "preparation_working_days": series.preparation_working_days,
        "location": series.location,
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="admin.changed", object_type="workflows.meetingseries")
    assert event.before["member_organisations"] == before
    assert event.after["member_organisations"] == sorted([police.name, halt.name])
