# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration: configuration only. Case content is not in the admin at all.

Every change made here is written to the audit trail with before and after, many-to-many
fields as the names they hold, taken after they are saved. Roles that reach persons are
given under four eyes and nobody changes their own roles; passwords are set by their owner
through a link (ADR 0011). The same rules hold for a superuser working through these forms.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from casebook.bounds import LONG_TEXT
from casebook.errors import ConflictError, IjamError, ValidationFailed
from casebook.locks import for_update
from casebook.models import (
    AreaTeam,
    AuditAction,
    ClosureReason,
    District,
    GroupRole,
    Intervention,
    LegalBasis,
    LevelCriterion,
    Neighbourhood,
    Organisation,
    ProcessingActivity,
    Role,
    RoleGrant,
    SignalCategory,
    User,
)
from casebook.permissions import MANAGE_USERS, VIEW_PROCESSING_LOG
from casebook.selectors.roles import permission_name, user_reaches_persons
from casebook.services.accounts import (
    check_role_permissions,
    check_roles_change,
    login_unlock,
    password_reset_send,
    user_roles_set,
)
from casebook.services.audit import audit_record
from casebook.services.processing import REVISABLE, activity_revise

#: Never in a snapshot; a change shows as "wachtwoord gewijzigd".
SECRET_FIELDS = {"password"}
PASSWORD_CHANGED = "wachtwoord gewijzigd"  # noqa: S105 - a label, not a password

# Not configuration, and a way round need-to-know or the roles: groups grant permissions
# beside the roles, and the processes' own rows carry their subjects. Second-factor devices
# are changed only through the services (a reset is under four eyes; ADR 0014).
for label in (
    "auth.Group",
    "viewflow.Process",
    "viewflow.Task",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
):
    model = Group if label == "auth.Group" else apps.get_model(label)
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def _label(related) -> str:
    return permission_name(related) if isinstance(related, Permission) else str(related)


def snapshot(obj) -> dict:
    """Every field of ``obj`` as it is stored: relations by name, many-to-many fields as the
    sorted names (permissions as ``app.codename``) they hold; passwords left out."""
    data: dict = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            data[field.name] = None if related is None else _label(related)
        else:
            data[field.name] = field.value_from_object(obj)
    for field in obj._meta.many_to_many:
        data[field.name] = sorted(_label(related) for related in getattr(obj, field.name).all())
    return data


def _secrets(obj) -> tuple:
    return tuple(getattr(obj, name, None) for name in sorted(SECRET_FIELDS))


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event for every addition, change and deletion through the admin, with
    the record before (read under a row lock) and after (read back once its many-to-many
    fields are saved). Nothing is deleted here unless an admin allows it: configuration is
    deactivated instead."""

    # The configuration's long texts (a role's description, a criterion, an intervention) are
    # bounded like every long text a user types: Django's Dutch message, the browser's
    # maxlength (docs/input-bounds.md). Short texts are bounded by their columns.
    formfield_overrides = {models.TextField: {"max_length": LONG_TEXT}}

    def snapshot_extra(self, obj) -> dict:
        """What a snapshot adds for this model (e.g. a role's members)."""
        return {}

    def audit_snapshot(self, obj) -> dict:
        return snapshot(obj) | self.snapshot_extra(obj)

    def save_model(self, request, obj, form, change):
        form.audit_before, form.audit_secrets = None, None
        if change and obj.pk:
            stored = for_update(type(obj)).get(pk=obj.pk)
            form.audit_before, form.audit_secrets = self.audit_snapshot(stored), _secrets(stored)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            self.save_related_records(request, form, formsets, change)
            stored = type(form.instance)._default_manager.get(pk=form.instance.pk)
            after = self.audit_snapshot(stored)
            if change and _secrets(stored) != getattr(form, "audit_secrets", None):
                after["wachtwoord"] = PASSWORD_CHANGED
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_CHANGED if change else AuditAction.ADMIN_ADDED,
                obj=stored,
                before=getattr(form, "audit_before", None),
                after=after,
                reason="via functioneel beheer",
            )

    def save_related_records(self, request, form, formsets, change):
        """Save the many-to-many fields and inlines (Django's ``save_related``)."""
        super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            before, label, pk = self.audit_snapshot(obj), obj._meta.label_lower, obj.pk
            super().delete_model(request, obj)
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_DELETED,
                obj=None,
                object_type=label,
                object_id=str(pk),
                before=before,
                reason="via functioneel beheer",
            )

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Configuration is deactivated, not deleted, so history keeps its meaning.
        return False


def _actor_form(form_class, actor):
    """The form class with the user who fills it in, for rules about oneself."""
    return type(form_class.__name__, (form_class,), {"actor": actor})


def _add_service_error(form, field: str, exc: IjamError) -> None:
    form.add_error(field if field in form.fields else None, exc.message)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "school_type",
        "is_group_core_partner",
        "is_active",
    ]
    list_filter = ["kind", "school_type", "is_group_core_partner", "is_active"]
    search_fields = ["name", "short_name"]

    def get_readonly_fields(self, request, obj=None):
        # What an organisation is (the ZVH, the police…) is fixed once it exists: code decides on
        # it (who coordinates, the core partners of a group approach).
        return ["kind"] if obj is not None else []


class RoleForm(forms.ModelForm):
    actor: User

    class Meta:
        model = Role
        fields = ["code", "name", "description", "permissions"]
        help_texts = {
            "permissions": (
                "Rechten die toegang tot personen geven (casussen, signalen, taken, groepen, "
                "verslagen, logboeken, goedkeuren van roltoekenningen) kent u hier niet toe."
            )
        }

    def clean(self):
        data = super().clean()
        if "permissions" in data:
            try:
                check_role_permissions(
                    actor=self.actor, role=self.instance, permissions=data["permissions"]
                )
            except ValidationFailed as exc:
                _add_service_error(self, "permissions", exc)
        return data


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    form = RoleForm
    list_display = ["name", "code"]
    filter_horizontal = ["permissions"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _actor_form(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_readonly_fields(self, request, obj=None):
        # Code refers to roles by their code (who is told of escalations, the demo).
        return ["code"] if obj is not None else []

    def snapshot_extra(self, obj) -> dict:
        return {"leden": sorted(obj.users.values_list("username", flat=True))}


class UserChangeForm(forms.ModelForm):
    actor: User

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "roles",
            "is_active",
            "is_staff",
        ]

    def clean(self):
        data = super().clean()
        user = self.instance if self.instance.pk else None
        if "roles" in data:
            current = set(user.roles.values_list("pk", flat=True)) if user else set()
            try:
                check_roles_change(
                    actor=self.actor,
                    user=user,
                    current=current,
                    wanted={role.pk for role in data["roles"]},
                )
            except ValidationFailed as exc:
                _add_service_error(self, "roles", exc)
        if user and not user.is_active and data.get("is_active") and user_reaches_persons(user):
            self.add_error(
                "is_active",
                "Een account met een rol die toegang tot personen geeft, heractiveert u niet "
                "zomaar: haal eerst die rollen weg, activeer het account en vraag de rollen "
                "opnieuw aan (een tweede persoon keurt ze goed).",
            )
        return data


class UserAddForm(UserChangeForm):
    """A new account gets no password from the beheerder: its owner sets one through a link."""

    class Meta(UserChangeForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "organisation", "roles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = "Hierheen gaat de link waarmee de gebruiker zelf een wachtwoord instelt."


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "roles", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password_status")}),
        ("Persoon", {"fields": ("first_name", "last_name", "email")}),
        (
            "Organisatie en rollen",
            {
                "fields": ("organisation", "roles", "pending_grants", "is_active", "is_staff"),
                "description": (
                    "Een rol die toegang tot personen geeft, wordt aangevraagd en werkt pas "
                    "na goedkeuring door een tweede persoon. Uw eigen rollen wijzigt u niet."
                ),
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": ("username", "first_name", "last_name", "email", "organisation", "roles"),
                "description": (
                    "U stelt geen wachtwoord in: de gebruiker krijgt een e-mail met een link om "
                    "dat zelf te doen. Een rol die toegang tot personen geeft, wordt aangevraagd "
                    "en werkt pas na goedkeuring door een tweede persoon."
                ),
            },
        ),
    )
    readonly_fields = ["password_status", "pending_grants"]
    filter_horizontal = ["roles"]
    actions = ["send_password_reset", "unlock_login"]

    def get_form(self, request, obj=None, **kwargs):
        return _actor_form(super().get_form(request, obj, **kwargs), request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk != request.user.pk and user_reaches_persons(obj):
            # Otherwise a reset link could be sent to another mailbox than its owner's.
            fields.append("email")
        if obj is not None and user_reaches_persons(obj):
            # The organisation scopes what the approved role sees: moving the account to another
            # organisation (the ZVH, which coordinates every case) would widen a grant that a
            # second person approved for this one. Remove the roles, move, and ask again.
            fields.append("organisation")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another user's password here: the user gets a link (the list's action).
        raise Http404

    @admin.display(description="Wachtwoord")
    def password_status(self, obj):
        state = "ingesteld" if obj.has_usable_password() else "nog niet ingesteld"
        return (
            f"{state.capitalize()}. Een nieuw wachtwoord stelt de gebruiker zelf in: kies op de "
            "gebruikerslijst de actie ‘Link voor nieuw wachtwoord sturen’."
        )

    @admin.display(description="Wacht op goedkeuring")
    def pending_grants(self, obj):
        grants = obj.role_grants.filter(decision=RoleGrant.Decision.PENDING).select_related(
            "role", "requested_by"
        )
        if not grants:
            return "—"
        return format_html_join(
            ", ",
            "{} (aangevraagd door {} op {})",
            ((g.role.name, g.requested_by, f"{g.requested_at:%d-%m-%Y}") for g in grants),
        )

    def snapshot_extra(self, obj) -> dict:
        return {"wachtwoord": "ingesteld" if obj.has_usable_password() else "niet ingesteld"}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_related_records(self, request, form, formsets, change):
        wanted = form.cleaned_data.pop("roles", None)  # roles go through the four-eyes service
        super().save_related_records(request, form, formsets, change)
        user = form.instance
        if wanted is not None:
            result = user_roles_set(actor=request.user, user=user, roles=wanted)
            if result.requested:
                names = ", ".join(grant.role.name for grant in result.requested)
                self.message_user(
                    request,
                    f"Aangevraagd voor {user.username}: {names}. Deze rol geeft toegang tot "
                    "personen en werkt pas na goedkeuring door een tweede persoon (de privacy "
                    "officer of een andere beheerder).",
                    messages.WARNING,
                )
            if result.already_pending:
                names = ", ".join(role.name for role in result.already_pending)
                self.message_user(request, f"Wacht al op goedkeuring: {names}.", messages.WARNING)
        if not change:
            password_reset_send(actor=request.user, user=user, new_account=True)
            self.message_user(
                request, f"{user.username} krijgt een e-mail om zelf een wachtwoord in te stellen."
            )

    @admin.action(description="Link voor nieuw wachtwoord sturen", permissions=["change"])
    def send_password_reset(self, request, queryset):
        sent = []
        for user in queryset:
            try:
                password_reset_send(actor=request.user, user=user)
            except IjamError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                sent.append(user.username)
        if sent:
            self.message_user(
                request,
                "Een link om zelf een nieuw wachtwoord in te stellen is verstuurd naar: "
                + ", ".join(sent)
                + ".",
            )

    @admin.action(description="Blokkering van inloggen opheffen", permissions=["change"])
    def unlock_login(self, request, queryset):
        _unlock(self, request, [{"username": user.username} for user in queryset])


def _unlock(model_admin, request, targets: list[dict]) -> None:
    """Lift lockouts through the audited service; say what happened, in Dutch."""
    done = []
    for target in targets:
        try:
            login_unlock(actor=request.user, **target)
        except IjamError as exc:
            model_admin.message_user(request, exc.message, messages.ERROR)
        else:
            done.append(target.get("username") or target.get("ip_address"))
    if done:
        model_admin.message_user(
            request,
            "Blokkering opgeheven voor: " + ", ".join(sorted(set(done))) + ". De volgende "
            "inlogpoging telt weer vanaf nul.",
        )


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    """Failed log-ins that django-axes counts (ADR 0015), read-only: a lockout is lifted only
    through the audited actions, never by deleting rows. What was typed is not shown."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = list_display
    actions = ["unlock_username", "unlock_ip_address"]

    def has_module_permission(self, request):
        return request.user.has_perm(MANAGE_USERS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE_USERS)

    def has_unlock_permission(self, request):
        return request.user.has_perm(MANAGE_USERS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Gebruikersnaam vrijgeven", permissions=["unlock"])
    def unlock_username(self, request, queryset):
        names = {row.username for row in queryset if row.username}
        _unlock(self, request, [{"username": name} for name in sorted(names)])

    @admin.action(description="IP-adres vrijgeven", permissions=["unlock"])
    def unlock_ip_address(self, request, queryset):
        addresses = {row.ip_address for row in queryset if row.ip_address}
        _unlock(self, request, [{"ip_address": ip} for ip in sorted(addresses)])


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedAdmin):
    """Role grants can be read here; they are decided by a second person on their own page."""

    list_display = [
        "user",
        "role",
        "requested_by",
        "requested_at",
        "decision",
        "decided_by",
        "decided_at",
        "decide",
    ]
    list_filter = ["decision", "role"]
    list_select_related = ["user", "role", "requested_by", "decided_by"]
    readonly_fields = [
        "user",
        "role",
        "requested_by",
        "requested_at",
        "decision",
        "decided_by",
        "decided_at",
        "reason",
    ]

    @admin.display(description="Beoordelen")
    def decide(self, obj):
        if obj.decision != RoleGrant.Decision.PENDING:
            return "—"
        return format_html('<a href="{}">Beoordelen</a>', reverse("accounts:role-grants"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["name", "code"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(AuditedAdmin):
    list_display = ["name", "code", "district", "social_area_team", "lwa_area_team"]
    list_filter = ["district"]
    search_fields = ["name", "code"]


@admin.register(AreaTeam)
class AreaTeamAdmin(AuditedAdmin):
    list_display = ["name", "kind"]


@admin.register(SignalCategory)
class SignalCategoryAdmin(AuditedAdmin):
    list_display = ["name", "group", "is_school_signal", "is_active"]
    list_filter = ["group", "is_active"]


@admin.register(ClosureReason)
class ClosureReasonAdmin(AuditedAdmin):
    list_display = ["name", "allowed_from_screening", "is_active", "order"]


@admin.register(LevelCriterion)
class LevelCriterionAdmin(AuditedAdmin):
    list_display = ["level", "order", "text", "any_of_group", "is_active"]
    list_filter = ["level", "is_active"]


@admin.register(Intervention)
class InterventionAdmin(AuditedAdmin):
    list_display = [
        "name",
        "provider",
        "min_age",
        "max_age",
        "default_duration_days",
        "cost_eur",
        "pillar",
    ]
    list_filter = ["provider", "pillar", "is_active"]
    search_fields = ["name"]


@admin.register(GroupRole)
class GroupRoleAdmin(AuditedAdmin):
    list_display = ["name", "code", "order"]


class ProcessingActivityForm(forms.ModelForm):
    legal_bases = forms.MultipleChoiceField(
        label="Grondslagen", choices=LegalBasis.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ProcessingActivity
        fields = list(REVISABLE)


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(AuditedAdmin):
    """The register of processing activities (ADR 0017). Saving a change makes a new version
    with a new identifier (``activity_revise``); the old version stays, superseded, and the
    processing log's lines keep pointing to it. Only the current version can be changed; the
    activities themselves come with the code that logs under them (a data migration)."""

    form = ProcessingActivityForm
    list_display = ["name", "code", "version", "valid_from", "superseded_at", "uri"]
    list_filter = ["code", ("superseded_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["uri", "code", "version", "valid_from", "superseded_at", "superseded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.superseded_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        # The privacy officer reads the register (DESIGN §3a: processing and audit logs).
        return request.user.has_perm(VIEW_PROCESSING_LOG) or super().has_view_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        try:
            request.ijam_new_version = activity_revise(
                activity=obj,
                actor=request.user,
                changes={name: form.cleaned_data[name] for name in REVISABLE},
            )
        except ConflictError as exc:
            raise PermissionDenied(exc.message) from exc

    def save_related(self, request, form, formsets, change):
        return None  # ``activity_revise`` wrote the audit event, with before and after

    def response_change(self, request, obj):
        new = getattr(request, "ijam_new_version", obj)
        messages.success(request, f"Nieuwe versie {new.version} vastgelegd: {new.uri}.")
        return redirect(reverse("admin:casebook_processingactivity_change", args=[new.pk]))
