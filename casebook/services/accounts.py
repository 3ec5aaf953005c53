# SPDX-License-Identifier: AGPL-3.0-or-later
"""User accounts under four eyes (ADR 0011): roles, role grants and password-reset links.

A role that reaches persons (``casebook.permissions.REACHES_PERSONS``) is never given in one
step: the admin records a ``RoleGrant`` and a second person with ``APPROVE_ROLE_GRANT`` (not
the requester, not the user it is for) makes it effective. Nobody changes their own roles.
Passwords are never set for someone else: the user gets a link to set one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import for_update
from casebook.models import AuditAction, Role, RoleGrant, User
from casebook.permissions import APPROVE_ROLE_GRANT, MANAGE_USERS, REACHES_PERSONS
from casebook.selectors.roles import permission_name, reaching_persons
from casebook.services.audit import audit_record
from notifications.models import NotificationKind
from notifications.services import notify

#: The job that e-mails a password-reset link (``casebook.jobs``), deferred by name.
SEND_PASSWORD_RESET_JOB = "casebook.send_password_reset_email"  # noqa: S105 - a job name

OWN_ROLES = "U kunt uw eigen rollen niet wijzigen; vraag een andere beheerder."


@dataclass
class RolesChanged:
    """What ``user_roles_set`` did: roles given or taken at once, and grants now waiting."""

    added: list[Role] = field(default_factory=list)
    removed: list[Role] = field(default_factory=list)
    requested: list[RoleGrant] = field(default_factory=list)
    already_pending: list[Role] = field(default_factory=list)


def role_names(roles: Iterable[Role]) -> list[str]:
    return sorted(role.name for role in roles)


def check_roles_change(*, actor: User, user: User | None, current: set[int], wanted: set[int]):
    """Refuse a change of one's own roles (adding or removing). Raises ``ValidationFailed``."""
    if user is not None and user.pk == actor.pk and current != wanted:
        raise ValidationFailed(OWN_ROLES, field_errors={"roles": [OWN_ROLES]})


def user_roles_set(*, actor: User, user: User, roles: Iterable[Role]) -> RolesChanged:
    """Bring ``user``'s roles to ``roles`` as far as one person may, in one transaction.

    Locks the user row. Removing a role and adding one that does not reach persons happen at
    once; for a role that reaches persons a pending ``RoleGrant`` is recorded instead (or the
    one already waiting is kept). Refuses the actor's own roles and actors who do not manage
    users. Audits the direct change (role names before and after) and every request."""
    if not actor.has_perm(MANAGE_USERS):
        raise NotAllowed("U mag geen gebruikers beheren.")
    wanted = {role.pk: role for role in roles}
    with transaction.atomic():
        user = for_update(User).get(pk=user.pk)
        current = {role.pk: role for role in user.roles.all()}
        check_roles_change(actor=actor, user=user, current=set(current), wanted=set(wanted))
        result = RolesChanged(removed=[r for pk, r in current.items() if pk not in wanted])
        to_add = [role for pk, role in wanted.items() if pk not in current]
        reaching = reaching_persons(to_add)
        result.added = [role for role in to_add if role.pk not in reaching]
        pending = set(
            RoleGrant.objects.filter(
                user=user, decision=RoleGrant.Decision.PENDING, role_id__in=reaching
            ).values_list("role_id", flat=True)
        )
        if result.removed:
            user.roles.remove(*result.removed)
        if result.added:
            user.roles.add(*result.added)
        if result.removed or result.added:
            audit_record(
                actor=actor,
                action=AuditAction.USER_ROLES_CHANGED,
                obj=user,
                before={"rollen": role_names(current.values())},
                after={"rollen": role_names(user.roles.all())},
                reason="via functioneel beheer",
            )
        now = timezone.now()
        for role in to_add:
            if role.pk not in reaching:
                continue
            if role.pk in pending:
                result.already_pending.append(role)
                continue
            grant = RoleGrant.objects.create(
                user=user, role=role, requested_by=actor, requested_at=now
            )
            audit_record(
                actor=actor,
                action=AuditAction.ROLE_GRANT_REQUESTED,
                obj=grant,
                after=_grant_snapshot(grant),
                reason="rol met toegang tot personen: wacht op een tweede persoon",
            )
            result.requested.append(grant)
    return result


def _grant_snapshot(grant: RoleGrant) -> dict:
    return {
        "gebruiker": grant.user.username,
        "rol": grant.role.code,
        "aangevraagd_door": grant.requested_by.username,
        "besluit": grant.decision,
        "beoordeeld_door": grant.decided_by.username if grant.decided_by_id else None,
        "toelichting": grant.reason,
    }


def check_second_person(request, actor: User, *, about_yourself: str) -> None:
    """The four-eyes rule of a request awaiting a decision (a role grant, a second-factor
    reset; ADR 0011): still pending, and decided by neither its requester nor the user it is
    for. The database refuses the same (check constraints); this says it in Dutch."""
    if request.decision != request.Decision.PENDING:
        raise TransitionRefused("Deze aanvraag is al beoordeeld.")
    if actor.pk == request.requested_by_id:
        raise NotAllowed("U kunt uw eigen aanvraag niet beoordelen: dat doet een tweede persoon.")
    if actor.pk == request.user_id:
        raise NotAllowed(about_yourself)


def _decide(*, actor: User, grant_id: int, decision: str, reason: str) -> RoleGrant:
    if not actor.has_perm(APPROVE_ROLE_GRANT):
        raise NotAllowed("U mag geen roltoekenningen beoordelen.")
    with transaction.atomic():
        grant = (
            for_update(RoleGrant)
            .select_related("user", "role", "requested_by")
            .filter(pk=grant_id)
            .first()
        )
        if grant is None:
            raise RoleGrant.DoesNotExist
        check_second_person(
            grant, actor, about_yourself="Een roltoekenning voor uzelf beoordeelt een ander."
        )
        before = _grant_snapshot(grant)
        roles_before = role_names(grant.user.roles.all())
        grant.decision = decision
        grant.decided_by = actor
        grant.decided_at = timezone.now()
        grant.reason = reason
        grant.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        approved = decision == RoleGrant.Decision.APPROVED
        if approved:
            grant.user.roles.add(grant.role)
        audit_record(
            actor=actor,
            action=AuditAction.ROLE_GRANT_APPROVED if approved else AuditAction.ROLE_GRANT_REJECTED,
            obj=grant,
            before=before | {"rollen": roles_before},
            after=_grant_snapshot(grant) | {"rollen": role_names(grant.user.roles.all())},
            reason=reason,
        )
        outcome = "goedgekeurd" if approved else "afgewezen"
        notify(
            kind=NotificationKind.ACCOUNT,
            recipients=[grant.requested_by],
            message=(
                f"Uw aanvraag van de rol {grant.role.name} voor {grant.user.username} is "
                f"{outcome} door {actor.get_full_name() or actor.username}."
            ),
            url=reverse("admin:casebook_rolegrant_change", args=[grant.pk]),
        )
    return grant


def role_grant_approve(*, actor: User, grant_id: int, reason: str = "") -> RoleGrant:
    """A second person approves a pending grant: the user gets the role, in one transaction.

    Locks the grant; refuses a grant already decided (409), an actor without
    ``APPROVE_ROLE_GRANT``, the requester and the user it is for (403). Audited (the user's
    role names before and after); the requester is notified of the outcome."""
    return _decide(
        actor=actor, grant_id=grant_id, decision=RoleGrant.Decision.APPROVED, reason=reason.strip()
    )


def role_grant_reject(*, actor: User, grant_id: int, reason: str) -> RoleGrant:
    """A second person rejects a pending grant, with a reason; the same checks and audit as
    ``role_grant_approve``. The user's roles do not change."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "Geef een reden voor de afwijzing.",
            field_errors={"reason": ["Geef een reden voor de afwijzing."]},
        )
    return _decide(
        actor=actor, grant_id=grant_id, decision=RoleGrant.Decision.REJECTED, reason=reason
    )


def check_role_permissions(*, actor: User, role: Role | None, permissions: Iterable[Permission]):
    """Refuse, in the admin, permissions that would make a role reach persons, and any new
    permission on a role the actor holds (it would be a change of their own access).
    Taking permissions away is always allowed. Raises ``ValidationFailed``."""
    current = set(role.permissions.values_list("pk", flat=True)) if role and role.pk else set()
    added = [p for p in permissions if p.pk not in current]
    reaching = sorted(p.name for p in added if permission_name(p) in REACHES_PERSONS)
    if reaching:
        message = (
            "Rechten die toegang tot personen geven, kent u niet toe via het beheer: "
            + "; ".join(reaching)
            + ". Geef een gebruiker in plaats daarvan een bestaande rol met deze rechten "
            "(met goedkeuring door een tweede persoon)."
        )
        raise ValidationFailed(message, field_errors={"permissions": [message]})
    if added and role is not None and role.pk and actor.roles.filter(pk=role.pk).exists():
        message = "U kunt geen rechten toevoegen aan een rol die u zelf heeft."
        raise ValidationFailed(message, field_errors={"permissions": [message]})


def password_reset_send(*, actor: User, user: User, new_account: bool = False) -> None:
    """Send ``user`` a link to set a (new) password, instead of anyone setting it for them.

    The link is made when the e-mail is sent (``casebook.jobs``): it is valid until used or
    ``PASSWORD_RESET_TIMEOUT``, and it never lies in the job queue. Audited (without the link);
    the e-mail carries no personal data of youths."""
    if not actor.has_perm(MANAGE_USERS):
        raise NotAllowed("U mag geen gebruikers beheren.")
    if not user.email:
        raise ValidationFailed(
            f"{user.username} heeft geen e-mailadres; vul eerst een e-mailadres in."
        )
    if not user.is_active:
        raise ValidationFailed(f"Het account {user.username} is niet actief.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.PASSWORD_RESET_SENT,
            obj=user,
            after={"naar": user.email, "nieuw_account": new_account},
            reason="link voor nieuw wachtwoord, via functioneel beheer",
        )
        app.configure_task(SEND_PASSWORD_RESET_JOB).defer(user_id=user.pk, new_account=new_account)


def login_unlock(
    *,
    actor: User | None,
    username: str = "",
    ip_address: str = "",
    reason: str = "",
) -> int:
    """Lift a lockout after failed log-ins (django-axes, ADR 0015) before its cool-off ends:
    the failed attempts of ``username``, of ``ip_address``, or of both, are removed, so the
    next log-in is counted afresh. Returns how many attempt records went.

    Refuses actors who do not manage users (``actor`` ``None`` is the command line, whose
    access is an infrastructure privilege). Audited in the same transaction, with the user
    name, the address and the count, but never what was typed as a password (axes stores
    none). Locks the attempt rows it removes."""
    if actor is not None and not actor.has_perm(MANAGE_USERS):
        raise NotAllowed("U mag geen blokkeringen van inloggen opheffen.")
    username = username.strip()[:255]
    ip_address = ip_address.strip()
    if ip_address:
        try:
            ip_address = str(ipaddress.ip_address(ip_address))
        except ValueError as exc:
            raise ValidationFailed(f"{ip_address[:50]!r} is geen IP-adres.") from exc
    if not username and not ip_address:
        raise ValidationFailed("Geef een gebruikersnaam of een IP-adres om vrij te geven.")
    with transaction.atomic():
        attempts = AccessAttempt.objects.all()
        if username:
            attempts = attempts.filter(username=username)
        if ip_address:
            attempts = attempts.filter(ip_address=ip_address)
        failures = sum(attempts.select_for_update().values_list("failures_since_start", flat=True))
        removed = axes_reset(username=username or None, ip=ip_address or None)
        account = User.objects.filter(username=username).first() if username else None
        audit_record(
            actor=actor,
            action=AuditAction.LOGIN_UNLOCKED,
            obj=account,
            object_type="" if account else "inloggen",
            object_id="" if account else (ip_address or "onbekende gebruikersnaam"),
            after={
                "gebruikersnaam": username or None,
                "ip_adres": ip_address or None,
                "mislukte_pogingen": failures,
            },
            reason=reason or ("via functioneel beheer" if actor else "via de opdrachtregel"),
        )
    return removed
