# SPDX-License-Identifier: AGPL-3.0-or-later
"""Jobs of the task engine (run by the procrastinate worker): the deadline sweep and the
e-mail to an organisation whose work is escalated to the regiegroep."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from procrastinate.contrib.django import app

from workflows.tasks.deadlines import REGIE_EMAIL_JOB, sweep_deadlines
from workflows.tasks.models import PartnerTask


@app.periodic(cron="*/5 * * * *", periodic_id="deadline-sweep")
@app.task(
    name="workflows.deadline_sweep",
    aliases=["workflows.tasks.deadline_sweep"],
    queue="default",
    queueing_lock="deadline-sweep",
    pass_context=False,
)
def deadline_sweep(timestamp: int) -> None:
    """Remind, mark overdue and escalate partner tasks whose moment has come (exactly once)."""
    sweep_deadlines()


@app.task(
    name=REGIE_EMAIL_JOB,
    aliases=["notifications.tasks.send_regie_escalation_email"],
    queue="notifications",
)
def send_regie_escalation_email(task_id: int) -> None:
    """E-mail the contact address of the task's organisation that its work is escalated.

    Only a link, no personal data; nothing is sent when the organisation has no contact."""
    task = PartnerTask.objects.select_related("organisation").filter(pk=task_id).first()
    if task is None or not task.organisation.contact_email:
        return
    send_mail(
        subject="IJAM: taak van uw organisatie ruim over de deadline",
        message=(
            "Een taak van uw organisatie in IJAM staat ruim over de deadline en is naar de "
            f"regiegroep geëscaleerd.\n\n{settings.IJAM_BASE_URL}/taken/{task.pk}/\n\n"
            "Deze e-mail bevat bewust geen persoonsgegevens."
        ),
        from_email=None,
        recipient_list=[task.organisation.contact_email],
    )
