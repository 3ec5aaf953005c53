# SPDX-License-Identifier: AGPL-3.0-or-later
"""Case-table pages: the calendar of sittings and a sitting with its agenda."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casebook import bounds, policy
from casebook.documents import to_pdf
from casebook.errors import (
    ConflictError,
    IjamError,
    NotAllowed,
    TransitionRefused,
    add_form_errors,
)
from casebook.locks import posted_version
from casebook.policy import Act, Subject
from casebook.selectors.cases import parse_case_reference, visible_cases
from casebook.services.audit import audit_read
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects
from casebook.web import (
    document_recipient,
    errors_as_messages,
    form_version,
    pdf_response,
    posted_id,
    requires,
    sees,
)
from workflows.meetings import documents
from workflows.meetings import minutes as minutes_services
from workflows.meetings import services as services
from workflows.meetings.forms import DecisionForm, MinutesItemForm
from workflows.meetings.models import AgendaItem, Meeting, MeetingSeries, Minutes, MinutesItem
from workflows.meetings.selectors import (
    agenda_for_user,
    invited_organisations,
    meeting_for_user,
    sittings_ahead,
)

CALENDAR_WEEKS = 8


def _moment(data) -> dt.datetime:
    """A date and time from a form, in local time; a clear error when missing or malformed."""
    try:
        day = dt.date.fromisoformat(data.get("date", ""))
        time = dt.time.fromisoformat(data.get("time", ""))
    except ValueError as exc:
        raise IjamError("Vul een geldige datum en tijd in.") from exc
    try:
        bounds.within_two_years(day)
    except ValidationError as exc:
        raise IjamError(exc.messages[0]) from exc
    return timezone.make_aware(dt.datetime.combine(day, time))


@requires(Act.VIEW, Subject.MEETING)
@require_GET
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    sittings = sittings_ahead(weeks=CALENDAR_WEEKS)
    return render(
        request,
        "meetings/calendar.html",
        {
            "sittings": sittings,
            "series_list": MeetingSeries.objects.filter(is_active=True),
            "is_director": policy.may(request.user, Act.CHANGE, Subject.MEETING),
        },
    )


def _meeting_context(request, meeting: Meeting, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    is_director = policy.may(request.user, Act.CHANGE, Subject.MEETING)
    is_zvh = policy.is_zvh_staff(request.user)
    items = list(agenda_for_user(meeting=meeting, user=request.user))
    if is_zvh:
        for item in items:
            item.invited = invited_organisations(case=item.case, series=meeting.series)
    context = {
        "meeting": meeting,
        "items": items,
        "is_director": is_director,
        "is_zvh": is_zvh,
        # Preparing the agenda is ZVH work (procesondersteuner too); sending it is the director's.
        "can_edit": policy.may(request.user, Act.CHANGE, Subject.AGENDA_ITEM)
        and meeting.status == Meeting.Status.PLANNED,
    }
    if is_zvh:
        versions = list(
            meeting.minutes.prefetch_related(
                "items__case__youth", "items__attendees", "items__decisions"
            )
        )
        draft = next((m for m in versions if not m.is_confirmed), None)
        if draft is not None:
            for item in draft.items.all():
                item.form = overrides.get(("item", item.pk)) or MinutesItemForm(item=item)
                item.decision_form = overrides.get(("decision", item.pk)) or DecisionForm(item=item)
        context.update(
            versions=versions, draft=draft, latest_minutes=versions[-1] if versions else None
        )
    return context


def _log_meeting_page(context: dict) -> None:
    """Every youth the sitting's page shows: on the agenda and in each version of the
    minutes (the processing log writes one line per youth)."""
    youths = [item.case.youth_id for item in context["items"]]
    for minutes in context.get("versions") or []:
        youths += [item.case.youth_id for item in minutes.items.all()]
    log_subjects(Activity.CASE_TABLES, youths, "meeting.viewed")


@sees(Subject.MEETING)
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    audit_read(actor=request.user, obj=meeting, what="meeting")
    context = _meeting_context(request, meeting)
    _log_meeting_page(context)
    return render(request, "meetings/detail.html", context)


@sees(Subject.MEETING)
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("agenda-opbouwen", "casus-toevoegen", "verplaatsen", "versturen"):
        raise Http404
    meeting = meeting_for_user(request.user, pk)
    preparing = action in ("agenda-opbouwen", "casus-toevoegen")
    policy.require(
        request.user,
        Act.CHANGE,
        Subject.AGENDA_ITEM if preparing else Subject.MEETING,
    )
    with errors_as_messages(request):
        version = posted_version(request.POST.get("version"))
        if action == "agenda-opbouwen":
            added = services.agenda_build(
                meeting=meeting, actor=request.user, expected_version=version
            )
            messages.success(request, f"{added} casus(sen) op de agenda gezet.")
        elif action == "casus-toevoegen":
            reference = parse_case_reference(request.POST.get("case", ""))
            case = (
                visible_cases(request.user).filter(pk=reference).first()
                if reference is not None
                else None
            )
            if case is None:
                raise IjamError("Geen casus gevonden met dit nummer.")
            services.agenda_add(
                meeting=meeting, actor=request.user, case=case, expected_version=version
            )
            messages.success(request, f"{case.reference} staat op de agenda.")
        elif action == "verplaatsen":
            services.meeting_move(
                meeting=meeting,
                actor=request.user,
                starts_at=_moment(request.POST),
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
            messages.success(request, "De zitting is verplaatst.")
        elif action == "versturen":
            published = services.agenda_publish(
                meeting=meeting, actor=request.user, expected_version=version
            )
            messages.success(
                request,
                f"De agenda is verstuurd; {len(published.tasks)} informatieverzoek(en) uitgezet.",
            )
            if published.unstaffed:
                messages.warning(
                    request,
                    "Geen informatieverzoek aan "
                    + ", ".join(published.unstaffed)
                    + ": daar heeft niemand in IJAM een rol waarmee taken worden opgepakt. Vraag "
                    "hun informatie op een andere manier op.",
                )
    return redirect("meetings:detail", pk=meeting.pk)


@sees(Subject.AGENDA_ITEM)
@require_POST
def agenda_item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("omhoog", "omlaag", "verwijderen"):
        raise Http404
    item = get_object_or_404(AgendaItem.objects.select_related("case", "case__youth"), pk=pk)
    meeting_for_user(request.user, item.meeting_id)  # 404 for a sitting out of sight
    policy.require(request.user, Act.CHANGE, Subject.AGENDA_ITEM)
    with errors_as_messages(request):
        version = posted_version(request.POST.get("version"))
        if action == "verwijderen":
            services.agenda_remove(item=item, actor=request.user, expected_version=version)
            messages.success(request, f"{item.case.reference} is van de agenda gehaald.")
        else:
            services.agenda_move(
                item=item, actor=request.user, up=action == "omhoog", expected_version=version
            )
    return redirect("meetings:detail", pk=item.meeting_id)


def _minutes_page(request, meeting, overrides=None, status=400):
    context = _meeting_context(request, meeting, overrides)
    _log_meeting_page(context)
    return render(request, "meetings/detail.html", context, status=status)


@sees(Subject.MINUTES)
@require_POST
def minutes_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Start, confirm or correct the minutes of a sitting."""
    if action not in ("beginnen", "vaststellen", "corrigeren"):
        raise Http404
    meeting = meeting_for_user(request.user, pk)
    policy.require(
        request.user, Act.RECORD if action == "beginnen" else Act.APPROVE, Subject.MINUTES
    )
    with errors_as_messages(request):
        version = posted_version(request.POST.get("version"))
        if action == "beginnen":
            minutes_services.minutes_draft(
                meeting=meeting, actor=request.user, expected_version=version
            )
        elif action == "vaststellen":
            draft = meeting.minutes.filter(confirmed_at__isnull=True).first()
            if draft is None:
                raise ConflictError("Dit verslag is intussen al vastgesteld.")
            minutes_services.minutes_confirm(
                minutes=draft, actor=request.user, expected_revision=version
            )
            messages.success(request, "Het verslag is vastgesteld en de besluiten zijn uitgevoerd.")
        elif action == "corrigeren":
            latest = meeting.minutes.order_by("-version").first()
            if latest is None:
                raise Http404
            minutes_services.minutes_correct(
                minutes=latest,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                expected_revision=version,
            )
            messages.success(request, "Er is een nieuwe versie van het verslag gemaakt.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#verslag")


@sees(Subject.MINUTES)
@require_POST
def minutes_item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Save an item's attendance and summary, or add a decision to it."""
    item = get_object_or_404(MinutesItem.objects.select_related("minutes__meeting__series"), pk=pk)
    meeting_for_user(request.user, item.minutes.meeting_id)  # 404 for a sitting out of sight
    policy.require(request.user, Act.RECORD, Subject.MINUTES)
    meeting = item.minutes.meeting
    if action == "opslaan":
        form = MinutesItemForm(request.POST, item=item)
        key = ("item", item.pk)
    elif action == "besluit":
        form = DecisionForm(request.POST, item=item)
        key = ("decision", item.pk)
    else:
        raise Http404
    revision, status = form_version(request, form)
    if revision is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "opslaan":
                minutes_services.minutes_item_record(
                    item=item,
                    actor=request.user,
                    discussed=data["discussed"],
                    attendees=data["attendees"],
                    summary=data["summary"],
                    expected_revision=revision,
                )
            else:
                minutes_services.decision_add(
                    item=item,
                    actor=request.user,
                    kind=data["kind"],
                    reason=data["reason"],
                    target_level=data["target_level"],
                    closure_reason=data["closure_reason"],
                    task_type=data["task_type"],
                    organisation=data["organisation"],
                    criteria=form.criteria_codes(),
                    expected_revision=revision,
                )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except (ConflictError, TransitionRefused) as exc:
            form.add_error(None, exc.message)
            status = 409
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"Vastgelegd bij {item.case.reference}.")
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#punt-{item.pk}")
    return _minutes_page(request, meeting, {key: form}, status=status)


@sees(Subject.AGENDA_ITEM)
@require_GET
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    recipient = document_recipient(request)
    audit_read(actor=request.user, obj=meeting, what="agenda_pdf")
    html = documents.agenda_html(meeting, recipient)
    return pdf_response(to_pdf(html), f"agenda-{meeting.starts_at:%Y%m%d}.pdf")


@sees(Subject.MINUTES)
@require_GET
def minutes_pdf(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    meeting_for_user(request.user, pk)  # 404 for a sitting out of sight
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting__series"), meeting_id=pk, version=version
    )
    if not minutes.is_confirmed and not policy.is_zvh_staff(request.user):
        raise Http404  # a draft is the ZVH's until the procesregisseur confirms it
    recipient = document_recipient(request)
    audit_read(actor=request.user, obj=minutes, what="minutes_pdf")
    html = documents.minutes_html(minutes, recipient)
    return pdf_response(to_pdf(html), f"verslag-{minutes.meeting.starts_at:%Y%m%d}-v{version}.pdf")


@requires(Act.CHANGE, Subject.MEETING)
@require_POST
def meeting_schedule(request: HttpRequest) -> HttpResponse:
    """Plan an extra sitting of a table."""
    series = MeetingSeries.objects.filter(pk=posted_id(request.POST.get("series"))).first()
    if series is None:
        messages.error(request, "Kies de casustafel waarvan u een extra zitting plant.")
        return redirect("meetings:calendar")
    with errors_as_messages(request):
        meeting = services.meeting_schedule(
            series=series,
            actor=request.user,
            starts_at=_moment(request.POST),
            location=request.POST.get("location", ""),
        )
        messages.success(request, "De extra zitting is gepland.")
        return redirect("meetings:detail", pk=meeting.pk)
    return redirect("meetings:calendar")


@sees(Subject.CASE)
@require_POST
def case_propose(request: HttpRequest, case_pk: int, direction: str) -> HttpResponse:
    """Put a proposal to escalate or de-escalate the case on its table's next agenda."""
    if direction not in ("opschalen", "afschalen"):
        raise Http404
    case = get_object_or_404(visible_cases(request.user), pk=case_pk)
    policy.require(request.user, Act.CHANGE, Subject.MEETING)
    with errors_as_messages(request):
        item = services.agenda_propose(
            case=case,
            actor=request.user,
            escalate=direction == "opschalen",
            expected_version=posted_version(request.POST.get("version")),
        )
        messages.success(
            request,
            f"Geagendeerd voor {item.meeting.series.name} van "
            f"{timezone.localtime(item.meeting.starts_at):%d-%m-%Y}.",
        )
    return redirect("casebook:case-detail", pk=case.pk)
