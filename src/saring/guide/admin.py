"""Admin for guide content, subscriptions and builds (writes go through the services).

Entries and revisions are read-only here: drafting, approval (the two-person rule) and
withdrawal happen on the officers' pages (/guide/) or `saring guide import`, which call
saring.guide.services.content and so keep the audit trail whole.
"""

from django.contrib import admin

from saring.guide.models import Entry, Revision
from saring.kernel.admin import ReadOnlyAdmin, ReadOnlyMixin


class RevisionInline(ReadOnlyMixin, admin.TabularInline):
    model = Revision
    extra = 0
    fields = ["number", "state", "title_id", "author", "reviewer", "reviewed_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["slug", "kind", "notice", "status", "province", "regency", "updated_at"]
    list_filter = ["kind", "status", "notice", "topic"]
    search_fields = ["slug", "revisions__title_id"]
    inlines = [RevisionInline]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["entry", "number", "state", "title_id", "author", "reviewer", "created_at"]
    list_filter = ["state"]
    search_fields = ["title_id", "title_en", "entry__slug"]
    list_select_related = ["entry", "entry__live", "author", "reviewer"]


# Webhooks (helper: webhooks): read-only; subscribe, turn off and resume on /webhooks/ or with
# `saring guide webhooks`, which check the scope and write the audit trail. The secret and the
# owner's address stay out of the admin.
from saring.guide.models import Subscription, WebhookDelivery  # noqa: E402


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "url", "status", "failures", "paused_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["url", "organisation__name"]
    exclude = ["secret", "owner_email"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "subscription", "state", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["state", "event"]
    search_fields = ["key"]
    list_select_related = ["subscription", "subscription__organisation"]
