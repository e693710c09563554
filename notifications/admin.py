from django.contrib import admin

from .models import Notification, PushSubscription


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "buyer", "exhibitor", "created_at", "is_read")
    list_filter = ("kind",)
    raw_id_fields = ("buyer", "exhibitor", "user")


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at")
    raw_id_fields = ("user",)
