# SPDX-License-Identifier: AGPL-3.0-or-later
"""Casebook pages. Thin: forms validate, services change, selectors read."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casebook import policy
from casebook.documents import access_overview_html, to_pdf
from casebook.errors import (
    ConflictError,
    IjamError,
    NotAllowed,
    TooManyRequests,
    TransitionRefused,
    add_form_errors,
)
from casebook.forms import (
    AccessRequestForm,
    CaseDetailsForm,
    CaseFilterForm,
    EmergencyAccessForm,
    EmergencyReviewForm,
    FamilyLinkForm,
    PlanGoalForm,
    PlanInterventionForm,
    SignalDecisionForm,
    SignalForm,
)
from casebook.locks import posted_version
from casebook.models import EmergencyAccess
from casebook.policy import Act, Subject
from casebook.selectors.access import (
    PDF_LINES,
    access_overview,
    emergency_accesses,
    youths_for_access_request,
)
from casebook.selectors.cases import (
    case_for_user,
    case_list,
    case_page,
)
from casebook.selectors.retention import last_run, retention_plan
from casebook.selectors.signals import my_signals
from casebook.selectors.youths import duplicates_of
from casebook.services.access import emergency_access_open, emergency_access_review, involvement_end
from casebook.services.audit import audit_read
from casebook.services.cases import case_update_details, family_link_add
from casebook.services.duplicates import NOTHING as NO_MATCH
from casebook.services.processing import Code as Activity
from casebook.services.processing import current_activities, log_subjects
from casebook.services.signals import signal_decide, signal_register, signal_start_screening
from casebook.services.youths import YouthData
from casebook.web import (
    duplicate_check_for,
    errors_as_messages,
    form_version,
    pdf_response,
    posted_id,
    requires,
    sees,
    show_current_version,
)
from workflows.ladder import services as ladder
from workflows.ladder.documents import case_summary_html
from workflows.ladder.forms import CloseForm, DuplicateLinkForm, RioTrackForm, TransitionForm
from workflows.ladder.machine import AWAITING, CLOSED, PGA, allowed_targets
from workflows.ladder.plans import plan_add_goal, plan_add_intervention
from workflows.ladder.rio import rio_track_start
from workflows.tasks.forms import TaskAssignForm
from workflows.tasks.selectors import case_tasks
from workflows.tasks.services import task_assign

PAGE_SIZE = 25


@login_required
@require_GET  # a redirect to one's start page; it takes no form (tests/test_input_fuzz.py)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if policy.is_zvh_staff(user):
        return redirect("casebook:case-list")
    if policy.may(user, Act.REGISTER, Subject.SIGNAL):
        return redirect("casebook:my-signals")
    if policy.may(user, Act.VIEW, Subject.REPORT):
        # The stuurgroep (and its secretary, the programme manager) land on the KPI dashboard.
        return redirect("stuurgroep:dashboard")
    if policy.may(user, Act.REVIEW, Subject.EMERGENCY_ACCESS):
        return redirect("casebook:emergency-queue")
    if policy.may(user, Act.CHANGE, Subject.CONFIGURATION):
        return redirect("admin:index")
    if policy.may(user, Act.APPROVE, Subject.CONFIGURATION):
        return redirect("accounts:role-grants")
    # Signed in without a role or an organisation to work with: say so, show nothing.
    return render(request, "casebook/no_start_page.html")


# --- Cases ----------------------------------------------------------------------------------------


@requires(Act.VIEW, Subject.CASE)
@require_GET
def case_list_view(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.filters()
    cases = case_list(request.user, filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # The filters as validated, never the raw query string: unknown parameters, NUL bytes and
    # long junk do not reach the append-only trail (nor break it).
    audit_read(
        actor=request.user,
        what="case_list",
        detail={"filters": dataclasses.asdict(filters), "pagina": page.number},
    )
    log_subjects(Activity.CASE_COORDINATION, [case.youth_id for case in page], "case_list.viewed")
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page_obj": page,
        "querystring": query.urlencode(),
        "sees_all": policy.is_zvh_staff(request.user),
    }
    template = "casebook/_case_table.html" if request.htmx else "casebook/case_list.html"
    return render(request, template, context)


def case_page_context(request, case, forms_override: dict | None = None) -> dict:
    user = request.user
    page = case_page(user, case)
    context = {
        "case": case,
        "youth": case.youth,
        "sees_all": page.sees_all,
        "signals": page.signals,
        "involvements": page.involvements,
        "family": page.family,
        "timeline": page.timeline,
        "memberships": page.memberships,
        "goals": page.goals,
        "plan_interventions": page.plan_interventions,
        "tasks": case_tasks(user, case),
        "age": case.youth.age(),
        "can_transition": policy.may(user, Act.MOVE, Subject.CASE) and case.level != CLOSED,
        "now": timezone.now(),
    }
    if context["can_transition"]:
        overrides = forms_override or {}
        actions = []
        for slug, (move, _service, _done, label) in MOVES.items():
            if move == "close":
                form = overrides.get(move) or CloseForm(case=case)
                if case.level == AWAITING:
                    label = "Niet oppakken (afsluiten)"
            elif allowed_targets(move, case.level):
                form = overrides.get(move) or TransitionForm(case=case, move=move)
            else:
                continue
            actions.append({"key": move, "slug": slug, "label": label, "form": form})
        context["actions"] = actions
        context["details_form"] = overrides.get("details") or CaseDetailsForm(case=case)
        context["family_form"] = overrides.get("family") or FamilyLinkForm()
        context["task_form"] = overrides.get("task") or TaskAssignForm()
        context["goal_form"] = overrides.get("goal") or PlanGoalForm()
        if case.level == PGA:
            context["rio_form"] = overrides.get("rio") or RioTrackForm()
        context["plan_form"] = overrides.get("plan") or PlanInterventionForm(case=case)
        for signal in context["signals"]:
            signal.decision_form = SignalDecisionForm(auto_id=f"id_signal{signal.pk}_%s")
        context["is_awaiting"] = case.level == AWAITING
        if case.level == AWAITING:
            # Screening: is this a second registration of a known youth? (ADR 0012)
            candidates = duplicates_of(case.youth)
            context["duplicate_candidates"] = candidates
            if candidates:  # other youths' data on the page: logged as a read of them too
                audit_read(
                    actor=user,
                    obj=case,
                    case=case,
                    what="youth_duplicates",
                    detail={"getoond": [youth.pk for youth in candidates]},
                )
                context["link_form"] = overrides.get("link") or DuplicateLinkForm(
                    case=case, candidates=candidates
                )
        if "link" in overrides:  # a refused link is shown with its reason, whatever changed
            context["link_form"] = overrides["link"]
    return context


@sees(Subject.CASE)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    basis, emergency = policy.case_basis(request.user, case)
    audit_read(
        actor=request.user,
        obj=case,
        case=case,
        youth=case.youth,
        what="case",
        detail={"grond": basis.value, "doorbraak": emergency.pk if emergency else None},
    )
    context = case_page_context(request, case)
    context["emergency"] = emergency
    log_subjects(Activity.CASE_COORDINATION, shown_youths(context), "case.viewed")
    return render(request, "casebook/case_detail.html", context)


def shown_youths(context: dict) -> list:
    """Every youth the case page shows: its own, the relatives with their names, and the
    possible duplicates during screening (ids; the processing log dedupes)."""
    youths = [context["case"].youth_id]
    youths += [link.other.pk for link in context.get("family") or [] if link.other is not None]
    youths += [youth.pk for youth in context.get("duplicate_candidates") or []]
    return youths


#: URL slug → (transition, service, success message, action label)
MOVES = {
    "instromen": (
        "screen_in",
        ladder.case_screen_in,
        "De casus is ingestroomd.",
        "Laten instromen",
    ),
    "opschalen": ("escalate", ladder.case_escalate, "De casus is opgeschaald.", "Opschalen"),
    "afschalen": ("deescalate", ladder.case_deescalate, "De casus is afgeschaald.", "Afschalen"),
    "afsluiten": ("close", None, "De casus is afgesloten.", "Afsluiten"),
}


def _case_form_post(request, pk: int, key: str, make_form, perform, anchor: str = "", *, act: Act):
    """One action of the case page: validate its form, call its service, and go back to the
    case; or show the case page again with the form's errors. A conflict (someone changed or
    closed the case meanwhile) is a 409 with the message on the form, a role that may not do
    this a 403, any other refusal a 400. Every form carries the case's version: a missing or
    stale one is a conflict. ``perform(case, form, version)`` returns the success message, or
    the message and the address to go to."""
    case = case_for_user(request.user, pk)
    policy.require(request.user, act, Subject.CASE)
    form = make_form(case)
    version, status = form_version(request, form)
    if version is not None and form.is_valid():
        try:
            done = perform(case, form, version)
            location = reverse("casebook:case-detail", args=[case.pk]) + anchor
            if isinstance(done, tuple):  # (message, where to go next)
                done, location = done
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except (ConflictError, TransitionRefused) as exc:
            case = case_for_user(request.user, pk)  # show the case as it is now
            form.add_error(None, exc.message)
            status = 409
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(location)
    if status == 409:
        show_current_version(form, case.version)
    context = case_page_context(request, case, {key: form})
    context["open_form"] = key
    log_subjects(Activity.CASE_COORDINATION, shown_youths(context), "case.viewed")
    return render(request, "casebook/case_detail.html", context, status=status)


@sees(Subject.CASE)
@require_POST
def case_transition(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    if move not in MOVES:
        raise Http404
    form_key, service, done, _label = MOVES[move]

    def make_form(case):
        if form_key == "close":
            return CloseForm(request.POST, case=case)
        return TransitionForm(request.POST, case=case, move=form_key)

    def perform(case, form, version):
        data = form.cleaned_data
        if service is None:
            ladder.case_close(
                case=case,
                actor=request.user,
                closure_reason=data["closure_reason"],
                reason=data["reason"],
                expected_version=version,
            )
        else:
            service(
                case=case,
                actor=request.user,
                target_level=data["target_level"],
                reason=data["reason"],
                criteria=form.criteria_codes(),
                expected_version=version,
            )
        return done

    return _case_form_post(request, pk, form_key, make_form, perform, act=Act.MOVE)


@sees(Subject.CASE)
@require_POST
def case_link_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """Screening: link the signals of this new case to the known youth it duplicates."""

    def make_form(case):
        candidates = duplicates_of(case.youth) if case.level == AWAITING else []
        return DuplicateLinkForm(request.POST, case=case, candidates=candidates)

    def perform(case, form, version):
        target = ladder.case_link_duplicate(
            case=case,
            actor=request.user,
            youth=form.chosen_youth(),
            reason=form.cleaned_data["reason"],
            expected_version=version,
        )
        return (
            f"De signalen van {case.reference} zijn gekoppeld aan {target.youth.full_name} "
            f"(casus {target.reference}); {case.reference} is afgesloten als dubbele "
            "registratie.",
            reverse("casebook:case-detail", args=[target.pk]) + "#signalen",
        )

    return _case_form_post(request, pk, "link", make_form, perform, act=Act.MOVE)


@sees(Subject.CASE)
@require_POST
def case_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the approach and the criminal-law flag of a case."""

    def perform(case, form, version):
        data = form.cleaned_data
        case_update_details(
            case=case,
            actor=request.user,
            approach=data["approach"],
            criminal_law_component=data["criminal_law_component"],
            reason=data["reason"],
            expected_version=version,
        )
        return "De casusgegevens zijn bijgewerkt."

    return _case_form_post(
        request,
        pk,
        "details",
        lambda case: CaseDetailsForm(request.POST, case=case),
        perform,
        act=Act.CHANGE,
    )


@sees(Subject.CASE)
@require_POST
def case_family_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a relative of the case's youth (system approach)."""

    def perform(case, form, version):
        related_case = form.cleaned_data["related_case"]
        family_link_add(
            actor=request.user,
            youth=case.youth,
            relation=form.cleaned_data["relation"],
            related_youth=related_case.youth if related_case else None,
            related_name=form.cleaned_data["related_name"],
            case=case,
            expected_version=version,
        )
        return "De familierelatie is vastgelegd."

    return _case_form_post(
        request, pk, "family", lambda case: FamilyLinkForm(request.POST), perform, act=Act.CHANGE
    )


@sees(Subject.CASE)
@require_POST
def case_plan_goal(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case, form, version):
        plan_add_goal(case=case, actor=request.user, expected_version=version, **form.cleaned_data)
        return "Het doel is aan het plan van aanpak toegevoegd."

    return _case_form_post(
        request,
        pk,
        "goal",
        lambda case: PlanGoalForm(request.POST),
        perform,
        anchor="#plan",
        act=Act.CHANGE,
    )


@sees(Subject.CASE)
@require_POST
def case_plan_intervention(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case, form, version):
        planned = plan_add_intervention(
            case=case, actor=request.user, expected_version=version, **form.cleaned_data
        )
        return f"{planned.intervention.name} is ingezet; {planned.provider.name} heeft een taak."

    return _case_form_post(
        request,
        pk,
        "plan",
        lambda case: PlanInterventionForm(request.POST, case=case),
        perform,
        anchor="#plan",
        act=Act.CHANGE,
    )


@sees(Subject.CASE)
@require_POST
def case_rio_track(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the RIO track (re-integration plan, basic conditions, aftercare) at PGA level."""

    def perform(case, form, version):
        rio_track_start(
            case=case,
            actor=request.user,
            release_on=form.cleaned_data["release_on"],
            expected_version=version,
        )
        return "Het RIO-traject is gestart: de RIO heeft zeven taken."

    return _case_form_post(
        request,
        pk,
        "rio",
        lambda case: RioTrackForm(request.POST),
        perform,
        anchor="#taken",
        act=Act.ASSIGN,
    )


@sees(Subject.CASE)
@require_POST
def case_task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """The procesregisseur assigns ad-hoc work from a case page."""

    def perform(case, form, version):
        data = form.cleaned_data
        task = task_assign(
            case=case,
            actor=request.user,
            task_type=data["task_type"],
            organisation=data["organisation"],
            assignee=data["assignee"],
            instruction=data["instruction"],
            deadline=form.deadline_value(),
            expected_version=version,
        )
        return (
            f"Taak toegewezen aan {task.organisation.name}, uiterlijk "
            f"{timezone.localtime(task.deadline):%d-%m-%Y}."
        )

    return _case_form_post(
        request, pk, "task", lambda case: TaskAssignForm(request.POST), perform, act=Act.ASSIGN
    )


# --- Signals --------------------------------------------------------------------------------------


@requires(Act.REGISTER, Subject.SIGNAL)
def signal_register_view(request: HttpRequest) -> HttpResponse:
    """Report a signal. ZVH staff first choose among the possible matches; a partner never
    sees them (ADR 0012): its signal is registered about the youth it typed in, and the
    procesregisseur links it to a known youth during screening."""
    form = SignalForm(request.POST or None)
    check = NO_MATCH
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = data["youth_choice"] if policy.is_zvh_staff(request.user) else "new"
        youth = None
        if policy.is_zvh_staff(request.user):
            try:
                check = duplicate_check_for(request.user, data, "signaal")
            except TooManyRequests as exc:
                form.add_error(None, exc.message)
                status = 429
            if choice and choice != "new":
                youth = next((y for y in check.candidates if str(y.pk) == choice), None)
                if youth is None and status != 429:
                    form.add_error(None, "Kies een van de getoonde jongeren of 'nieuwe jongere'.")
        if form.is_valid() and (choice or not check):
            try:
                signal = signal_register(
                    reporter=request.user,
                    category=data["category"],
                    description=data["description"],
                    observed_on=data["observed_on"],
                    youth=youth,
                    new_youth=None
                    if youth
                    else YouthData(
                        first_name=data["first_name"],
                        last_name_prefix=data["last_name_prefix"],
                        last_name=data["last_name"],
                        date_of_birth=data["date_of_birth"],
                        neighbourhood=data["neighbourhood"],
                    ),
                )
            except IjamError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Uw signaal is ontvangen (nummer {signal.pk}). U kunt de status volgen bij "
                    "'Mijn signalen'.",
                )
                return redirect("casebook:my-signals")
    if request.method == "POST" and status == 200 and not check:
        status = 400
    log_subjects(Activity.SIGNAL, check.candidates, "youth_duplicate_check.viewed")
    return render(
        request,
        "casebook/signal_register.html",
        {"form": form, "check": check, "ask_choice": bool(check)},
        status=status,
    )


@requires(Act.REGISTER, Subject.SIGNAL)
@require_GET
def signal_duplicates(request: HttpRequest) -> HttpResponse:
    """Live check while typing (htmx fragment): for ZVH staff the youths who may be the one
    being reported; for a partner only that a possible match exists (ADR 0012). Rate-limited
    per user (429 with a Dutch message) and logged."""
    form = SignalForm(request.GET)
    form.is_valid()
    try:
        check = duplicate_check_for(request.user, form.cleaned_data, "signaalformulier")
    except TooManyRequests as exc:
        return render(request, "casebook/_duplicates.html", {"refused": exc.message}, status=429)
    log_subjects(Activity.SIGNAL, check.candidates, "youth_duplicate_check.viewed")
    return render(request, "casebook/_duplicates.html", {"check": check, "live": True})


@requires(Act.REGISTER, Subject.SIGNAL)
@require_GET
def my_signals_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(my_signals(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    audit_read(actor=request.user, what="my_signals", detail={"pagina": page.number})
    log_subjects(Activity.SIGNAL, [signal.youth_id for signal in page], "my_signals.viewed")
    return render(request, "casebook/my_signals.html", {"page_obj": page, "querystring": ""})


@sees(Subject.SIGNAL)
@require_POST
def signal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The procesregisseur starts screening a signal, or takes it up / declines it."""
    if action not in ("start", "decide"):
        raise Http404
    signal = get_object_or_404(policy.signals(request.user), pk=pk)
    case = case_for_user(request.user, signal.case_id)
    policy.require(request.user, Act.MOVE, Subject.SIGNAL)
    with errors_as_messages(request):
        version = posted_version(request.POST.get("version"))
        if action == "start":
            signal_start_screening(signal=signal, actor=request.user, expected_version=version)
            messages.success(request, "Het signaal is in behandeling genomen.")
        elif action == "decide":
            form = SignalDecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Kies een besluit en schrijf een terugkoppeling.")
            else:
                signal_decide(
                    signal=signal,
                    actor=request.user,
                    take_up=form.cleaned_data["decision"] == "take_up",
                    feedback=form.cleaned_data["feedback"],
                    expected_version=version,
                )
                messages.success(request, "Het besluit over het signaal is vastgelegd.")
    return redirect(reverse("casebook:case-detail", args=[case.pk]) + "#signalen")


@sees(Subject.CASE)
@require_GET
def case_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The case summary (youth, level history, plan, tasks) as a PDF for the ZVH."""
    case = case_for_user(request.user, pk)
    policy.require(request.user, Act.VIEW, Subject.CASE_SUMMARY)
    audit_read(actor=request.user, obj=case, case=case, youth=case.youth, what="case_summary")
    return pdf_response(to_pdf(case_summary_html(case)), f"{case.reference}.pdf")


# --- Access that ends, and emergency access ---------------------------------------------------


@sees(Subject.CASE)
@require_POST
def case_involvement_end(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    """The procesregisseur ends an organisation's involvement (its sight ends after the grace
    period)."""
    case = case_for_user(request.user, pk)
    policy.require(request.user, Act.CHANGE, Subject.CASE)
    involvement = case.involvements.filter(organisation_id=organisation_pk).first()
    if involvement is None:
        raise Http404
    with errors_as_messages(request):
        involvement_end(
            case=case,
            organisation=involvement.organisation,
            actor=request.user,
            expected_version=posted_version(request.POST.get("version")),
        )
        messages.success(
            request,
            f"De betrokkenheid van {involvement.organisation.name} is beëindigd; zij ziet de "
            f"casus nog {policy.grace_period().days} dagen.",
        )
    return redirect(reverse("casebook:case-detail", args=[case.pk]) + "#betrokken-kop")


@requires(Act.OPEN, Subject.EMERGENCY_ACCESS)
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Break the glass: warn first, then open one case for a limited time."""
    form = EmergencyAccessForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                access = emergency_access_open(
                    actor=request.user,
                    reference=form.cleaned_data["reference"],
                    reason=form.cleaned_data["reason"],
                    acknowledged=form.cleaned_data["acknowledged"],
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except IjamError as exc:
                add_form_errors(form, exc)
            else:
                messages.warning(
                    request,
                    "U heeft deze casus geopend via een doorbraak, tot "
                    f"{timezone.localtime(access.expires_at):%d-%m-%Y %H:%M}. Alles wat u ziet "
                    "wordt vastgelegd.",
                )
                return redirect("casebook:case-detail", access.case_id)
    return render(
        request,
        "casebook/emergency_access.html",
        {"form": form, "hours": settings.IJAM_EMERGENCY_ACCESS_HOURS},
        status=status,
    )


@requires(Act.REVIEW, Subject.EMERGENCY_ACCESS)
@require_GET
def emergency_queue(request: HttpRequest) -> HttpResponse:
    """The privacy officer's review queue: pending first, then the reviewed ones."""
    page = Paginator(emergency_accesses(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    for access in page:
        access.form = EmergencyReviewForm(auto_id=f"id_review{access.pk}_%s")
    # Each access names its case (the case number): the youth's data, for the review.
    log_subjects(Activity.PRIVACY, [a.case.youth_id for a in page], "emergency_queue.viewed")
    audit_read(actor=request.user, what="emergency_queue", detail={"pagina": page.number})
    return render(request, "casebook/emergency_queue.html", {"page_obj": page, "querystring": ""})


@login_required
@require_POST
@requires(Act.REVIEW, Subject.EMERGENCY_ACCESS)
def emergency_review(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(EmergencyAccess, pk=pk)
    form = EmergencyReviewForm(request.POST)
    with errors_as_messages(request):
        version = posted_version(request.POST.get("version"))
        if not form.is_valid():
            messages.error(request, "Kies een oordeel (terecht of onterecht).")
        else:
            emergency_access_review(
                access=access,
                actor=request.user,
                justified=form.cleaned_data["verdict"] == "justified",
                note=form.cleaned_data["note"],
                expected_version=version,
            )
            messages.success(request, f"De doorbraak op {access.case.reference} is beoordeeld.")
    return redirect("casebook:emergency-queue")


@requires(Act.VIEW, Subject.AUDIT)
@require_GET
def retention_plan_view(request: HttpRequest) -> HttpResponse:
    """The privacy officer's dry run of the retention job: per record type its term and how
    many rows the next run would anonymise or remove, the processing log's terms per activity,
    and the last run. Counts only, no person: nothing here is a read of personal data."""
    plan, run = retention_plan(timezone.now(), with_ids=False), last_run()
    rows = [(line, run.counts.get(line.code, 0) if run else None) for line in plan.lines]
    return render(
        request,
        "casebook/retention_plan.html",
        {
            "plan": plan,
            "rows": rows,
            "activities": current_activities().values(),
            "last_run": run,
        },
    )


def _access_request(request: HttpRequest):
    """The search of an access overview: the form, the youths found (within the user's reach),
    the one chosen, and whether staff names are shown (the privacy officer's choice only)."""
    may_show_names = policy.may_show_staff_names(request.user)
    form = AccessRequestForm(request.GET or None, may_show_names=may_show_names)
    youths, youth = [], None
    if form.is_valid():
        youths = list(
            youths_for_access_request(
                user=request.user,
                last_name=form.cleaned_data["last_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        )
        chosen = posted_id(request.GET.get("jongere"))
        youth = next((y for y in youths if y.pk == chosen), None)
        if youth is None and len(youths) == 1:
            youth = youths[0]
    show_names = may_show_names and form.is_valid() and form.cleaned_data.get("show_names", False)
    return form, youths, youth, bool(show_names)


def _audit_access_overview(request, *, what: str, youth, youths, show_names: bool, **detail):
    """Viewing an overview is itself audited (the processing log has it from the page or the
    document); so is the choice to see staff names, as an event of its own."""
    audit_read(
        actor=request.user,
        what=what,
        obj=youth,
        youth=youth,
        detail={"gevonden": len(youths), "namen_medewerkers": show_names, **detail},
    )
    if show_names and youth is not None:
        audit_read(
            actor=request.user,
            what="access_overview_staff_names",
            obj=youth,
            youth=youth,
            detail={"document": "pdf" if what.endswith("_pdf") else "pagina"},
        )


@requires(Act.VIEW, Subject.ACCESS_OVERVIEW)
@require_GET
def access_overview_view(request: HttpRequest) -> HttpResponse:
    """The access overview per youth, for a subject-access request (AVG art. 15): who could see
    the data (involvements, emergency access) and who processed it, when, as which
    organisation and role, under which activity and legal basis (the processing log joined
    to the audit trail). No case content; staff names only at the privacy officer's choice.
    The privacy officer reaches every youth, a procesregisseur those of the cases its
    organisation directs."""
    form, youths, youth, show_names = _access_request(request)
    overview = None
    if youth is not None:
        overview = access_overview(
            youth, show_names=show_names, page=request.GET.get("pagina") or 1
        )
    if form.is_valid():
        log_subjects(Activity.PRIVACY, youths, "access_overview.viewed")
        _audit_access_overview(
            request,
            what="access_overview",
            youth=youth,
            youths=youths,
            show_names=show_names,
            pagina=overview.page.number if overview and overview.page else None,
        )
    query = request.GET.copy()
    query.pop("pagina", None)
    if youth is not None:
        query["jongere"] = str(youth.pk)
    return render(
        request,
        "casebook/access_overview.html",
        {
            "form": form,
            "youths": youths,
            "overview": overview,
            "querystring": query.urlencode(),
            "page_obj": overview.page if overview else None,
        },
    )


@requires(Act.VIEW, Subject.ACCESS_OVERVIEW)
@require_GET
def access_overview_pdf(request: HttpRequest) -> HttpResponse:
    """The same overview as a letter to hand to the youth or a parent: organisations, roles,
    activities and legal bases, emergency access, the period covered; no case content, no
    staff names unless the privacy officer chose them. One youth, as on the page."""
    form, youths, youth, show_names = _access_request(request)
    if youth is None:
        raise Http404("Geen jongere gekozen: zoek de jongere eerst op het toegangsoverzicht.")
    overview = access_overview(youth, show_names=show_names, page=1, per_page=PDF_LINES)
    html = access_overview_html(overview, issued_by=request.user.organisation)
    _audit_access_overview(
        request, what="access_overview_pdf", youth=youth, youths=[youth], show_names=show_names
    )
    return pdf_response(to_pdf(html), f"toegangsoverzicht-{timezone.localdate():%Y-%m-%d}.pdf")
