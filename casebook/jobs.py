# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs of the record (run by the procrastinate worker)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from procrastinate.contrib.django import app

from casebook.models import User
from casebook.services.accounts import SEND_PASSWORD_RESET_JOB
from casebook.services.audit_anchor import write_checkpoint
from casebook.services.retention import retention_run


def password_reset_link(user: User) -> str:
    """An absolute one-time link to set a new password (Django's token generator: it stops
    working once the password changes or ``PASSWORD_RESET_TIMEOUT`` has passed)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.IJAM_BASE_URL}{path}"


@app.task(name=SEND_PASSWORD_RESET_JOB, queue="notifications")
def send_password_reset_email(user_id: int, new_account: bool = False) -> None:
    """E-mail one user the link to set their password. The link is made here, so it is never
    stored in the job queue; the e-mail names only the account, never a youth or a case."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    opening = (
        "Er is een IJAM-account voor u aangemaakt."
        if new_account
        else "Het functioneel beheer van IJAM heeft voor u een nieuw wachtwoord aangevraagd."
    )
    send_mail(
        subject="Wachtwoord instellen voor IJAM",
        message=(
            f"{opening}\n\n"
            f"Uw gebruikersnaam: {user.username}\n\n"
            f"Stel uw wachtwoord in via deze link (één keer te gebruiken, {days} "
            f"{'dag' if days == 1 else 'dagen'} geldig):\n{password_reset_link(user)}\n\n"
            "Heeft u dit niet verwacht? Neem dan contact op met het functioneel beheer en "
            "gebruik de link niet.\n\n"
            "Deze e-mail bevat bewust geen persoonsgegevens."
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def _anchor_mail_text(checkpoint) -> str:
    return (
        "Dagelijks ankerpunt van de IJAM-audittrail. Bewaar deze e-mail: met dit ankerpunt "
        "ziet `verify_audit_chain` of gebeurtenissen achteraf zijn verwijderd of herschreven.\n\n"
        f"Positie: {checkpoint.position}\n"
        f"Hash: {checkpoint.hash}\n"
        f"Gebeurtenissen zonder zegel (van voor de sleutel): {checkpoint.legacy}\n"
        f"Tijdstip: {checkpoint.anchored_at}\n"
        f"Sleutel: {checkpoint.key_id}\n"
        f"Handtekening: {checkpoint.signature}\n\n"
        "Deze e-mail bevat bewust geen persoonsgegevens."
    )


@app.periodic(cron="5 * * * *", periodic_id="audit-anchor")
@app.task(
    name="casebook.audit_anchor",
    queue="default",
    queueing_lock="audit-anchor",
    pass_context=False,
)
def audit_anchor(timestamp: int) -> None:
    """Hourly: append a signed checkpoint of the audit chain's head to the anchor file."""
    write_checkpoint()


@app.periodic(cron="30 6 * * *", periodic_id="audit-anchor-mail")
@app.task(
    name="casebook.audit_anchor_mail",
    queue="notifications",
    queueing_lock="audit-anchor-mail",
    pass_context=False,
)
def audit_anchor_mail(timestamp: int) -> None:
    """Daily: a checkpoint in the anchor file and by e-mail to the privacy officer, so a copy
    lives where nobody with access to the server can reach it. Position, hash and time only."""
    checkpoint = write_checkpoint()
    if settings.IJAM_PRIVACY_OFFICER_EMAIL:
        send_mail(
            subject=f"IJAM: ankerpunt audittrail, positie {checkpoint.position}",
            message=_anchor_mail_text(checkpoint),
            from_email=None,
            recipient_list=settings.IJAM_PRIVACY_OFFICER_EMAIL,
        )


@app.periodic(cron="15 3 * * *", periodic_id="retention")
@app.task(
    name="casebook.retention",
    queue="default",
    queueing_lock="retention",
    pass_context=False,
)
def retention(timestamp: int) -> None:
    """Daily, at night: anonymise or remove what has passed its retention term (ADR 0020).
    Counts only go to the audit trail and the run's record; nothing personal to the log."""
    retention_run(now=timezone.now())
