"""Admin: the channels the relay follows (read only: stream requests and the relay keep them)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["event", "section", "wanted_until", "published_time"]
    list_filter = ["event"]
    readonly_fields = [field.name for field in Channel._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
