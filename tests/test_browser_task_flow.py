# SPDX-License-Identifier: AGPL-3.0-or-later
"""End to end in Chromium: the procesregisseur assigns work, the partner claims and completes
it, and the procesregisseur sees the result."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser import log_in
from workflows.tasks.models import PartnerTask, TaskState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_task_from_assignment_to_result_in_the_browser(page, director, halt, halt_worker):  # noqa: F811
    case = factories.signal(halt_worker).case

    log_in(page, director)
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_text("Taak toewijzen").click()
    form = page.locator("details", has_text="Taak toewijzen")
    form.get_by_label("Soort taak").select_option(label="Schoolgesprek voeren")
    form.get_by_label("Organisatie").select_option(label=halt.name)
    form.get_by_label("Opdracht").fill("Voer een schoolgesprek met de mentor.")
    form.get_by_role("button", name="Toewijzen").click()
    assert page.get_by_text(f"Taak toegewezen aan {halt.name}").is_visible()

    log_in(page, halt_worker)
    page.get_by_role("link", name="Taken", exact=True).click()
    page.get_by_role("link", name="Schoolgesprek voeren").click()
    page.get_by_role("button", name="Taak oppakken").click()
    assert page.get_by_text("U heeft de taak opgepakt.").is_visible()
    page.get_by_role("button", name="Afronden").click()  # empty result: refused, in Dutch
    assert page.get_by_text("Beschrijf het resultaat").first.is_visible()
    page.get_by_label("Resultaat").fill("Gesprek gevoerd; jongere gaat weer naar school.")
    page.get_by_role("button", name="Afronden").click()
    assert page.get_by_text("De taak is afgerond.").is_visible()

    task = PartnerTask.objects.get(case=case, task_type__code="schoolgesprek")
    assert task.state == TaskState.DONE and task.claimed_by == halt_worker

    log_in(page, director)
    page.goto(f"/taken/{task.pk}/")
    assert page.get_by_text("Gesprek gevoerd; jongere gaat weer naar school.").is_visible()
