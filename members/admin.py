from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Unit, User
from members.signals import roles_changed


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [UnitInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "is_coordinator",
        "hr_organisation",
        "is_superuser",
    ]
    list_filter = ["is_coordinator", "is_superuser", "is_active", "organisation"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["organisation", "hr_organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language", "organisation", "unit"]}),
        (
            _("Roles"),
            {
                "fields": [
                    "is_coordinator",
                    "hr_organisation",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []

    def get_readonly_fields(self, request, obj=None):
        """A person's address changes only through a link sent to the new address
        (members/accounts.py), so not here: an administrator could otherwise hand one
        person's address, and with it their invitations, to another."""
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "email"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        """Role changes made here land in the audit log, and in the audit log of every
        forum the person coordinates or belongs to (forums/receivers.py)."""
        super().save_model(request, obj, form, change)
        role_fields = {"is_coordinator", "hr_organisation", "is_superuser", "is_staff", "is_active"}
        changed = sorted(role_fields & set(form.changed_data))
        if changed:
            roles_changed.send(
                sender=type(obj),
                actor=request.user,
                user=obj,
                fields=changed,
                detail=", ".join(f"{name}={getattr(obj, name)}" for name in changed),
            )
