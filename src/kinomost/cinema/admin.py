"""Admin: the apps registered per platform (client ids for the viewer API and the device flow)
and, read-only, viewers' signed-in devices (revoking one is the viewer's, on the account page)."""

from django.contrib import admin

from kinomost.cinema.app_models import AppSession, RegisteredApp


@admin.register(RegisteredApp)
class RegisteredAppAdmin(admin.ModelAdmin):
    list_display = ["client_id", "name", "platform", "is_active", "created_at"]
    list_filter = ["is_active", "platform"]
    search_fields = ["client_id", "name"]


@admin.register(AppSession)
class AppSessionAdmin(admin.ModelAdmin):
    list_display = ["public_id", "viewer", "app", "device_name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["app"]
    readonly_fields = ["public_id", "viewer", "app", "device_name", "profile", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False
