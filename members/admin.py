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

    def save_model(self, request, obj, form, change):
        """Role changes made here land in the audit log."""
        super().save_model(request, obj, form, change)
        role_fields = {"is_coordinator", "hr_organisation", "is_superuser", "is_staff"}
        changed = sorted(role_fields & set(form.changed_data))
        if changed:
            roles_changed.send(
                sender=type(obj),
                actor=request.user,
                user=obj,
                detail=", ".join(f"{name}={getattr(obj, name)}" for name in changed),
            )
