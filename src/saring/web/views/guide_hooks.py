"""Pages: partners' webhook subscriptions to guide publications (thin: the rules are in
saring.guide.services.webhooks).

- /webhooks/: the subscriptions of the user's organisation (every one for a national KPU admin),
  with their state and counts.
- /webhooks/new/: add one (address, events, owner's e-mail); the secret is generated and shown
  once, on the page the form leads to.
- /webhooks/<pk>/: its state, recent deliveries, resume / send a test / turn off.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saring.accounts.models import Organisation
from saring.accounts.scope import Scope, ScopeError
from saring.guide.models import Subscription, WebhookDelivery
from saring.guide.querysets import subscriptions_visible_to, with_delivery_counts
from saring.guide.services import webhooks
from saring.guide.workflow import is_operator, may_manage
from saring.web.access import require_role
from saring.workflow import TransitionError

RECENT = 50
_SHOWN_ONCE = "guide_hook_secret_%s"  # session key of the secret until it is shown


def _event_choices() -> list[tuple[str, str]]:
    labels = {
        "announcement.published": _("Announcement published"),
        "announcement.withdrawn": _("Announcement withdrawn"),
        "page.published": _("Page published"),
        "page.withdrawn": _("Page withdrawn"),
        "faq.published": _("FAQ published"),
        "faq.withdrawn": _("FAQ withdrawn"),
        "clarification.published": _("Clarification published"),
        "election.changed": _("Election calendar changed"),
    }
    return [(event, labels.get(event, event)) for event in webhooks.EVENTS]


class SubscriptionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    url = forms.CharField(
        label=gettext_lazy("Webhook URL"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None chosen: every event."),
    )
    owner_email = forms.CharField(
        label=gettext_lazy("Owner's e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy("Told once when deliveries keep failing and it is paused."),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = _event_choices()
        if is_operator(scope):
            self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        else:
            del self.fields["organisation"]


def _mask(email: str) -> str:
    """o•••@example.org: enough for the owner to recognise, not to copy (personal data)."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}" if domain else ""


def _subscription(scope: Scope, pk: int) -> Subscription:
    return get_object_or_404(subscriptions_visible_to(scope), pk=pk)


@require_role("viewer")
def hook_list(request, scope):
    rows = list(
        with_delivery_counts(subscriptions_visible_to(scope)).order_by("organisation", "url")
    )
    return render(
        request,
        "web/guide_hooks/list.html",
        {
            "rows": rows,
            "operator": is_operator(scope),
            "may_add": is_operator(scope) or scope.can("admin"),
        },
    )


@require_role("admin")
def hook_new(request, scope):
    if not (is_operator(scope) or scope.organisation_id):
        raise PermissionDenied(_("Your account has no organisation to add webhooks for."))
    form = SubscriptionForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = data.get("organisation") or Organisation.objects.get(
            pk=scope.organisation_id
        )
        try:
            made = webhooks.subscribe(
                scope,
                organisation,
                url=data["url"],
                events=data["events"],
                owner_email=data["owner_email"],
            )
        except ScopeError as refused:
            raise PermissionDenied(str(refused)) from None
        except webhooks.WebhookError as wrong:
            form.add_error(wrong.field if wrong.field in form.fields else None, str(wrong))
        else:
            # Shown once: the detail page pops it from the session on its next view.
            request.session[_SHOWN_ONCE % made.pk] = made.secret
            messages.success(request, _("Webhook added."))
            return redirect("web:guide_hook", pk=made.pk)
    return render(request, "web/guide_hooks/new.html", {"form": form})


@require_role("viewer")
def hook_detail(request, scope, pk: int):
    subscription = _subscription(scope, pk)
    deliveries = list(subscription.deliveries.order_by("-created_at", "-id")[:RECENT])
    manages = may_manage(scope, subscription.organisation_id)
    return render(
        request,
        "web/guide_hooks/detail.html",
        {
            "subscription": subscription,
            "secret": request.session.pop(_SHOWN_ONCE % pk, None),
            "owner": _mask(subscription.owner_email),
            "events": [label for code, label in _event_choices() if code in subscription.events],
            "deliveries": deliveries,
            "may_manage": manages,
            "pause_after": webhooks.PAUSE_AFTER,
            "test_event": webhooks.TEST_EVENT,
        },
    )


def _act(request, scope, pk: int, act, done: str):
    subscription = _subscription(scope, pk)
    try:
        act(scope, subscription)
    except ScopeError as refused:
        raise PermissionDenied(str(refused)) from None
    except (TransitionError, webhooks.WebhookError) as wrong:
        messages.error(request, str(wrong))
    else:
        messages.success(request, done)
    return redirect("web:guide_hook", pk=pk)


@require_POST
@require_role("viewer")
def hook_resume(request, scope, pk: int):
    return _act(request, scope, pk, webhooks.resume, _("Resumed: held deliveries are queued."))


@require_POST
@require_role("viewer")
def hook_off(request, scope, pk: int):
    return _act(request, scope, pk, webhooks.turn_off, _("Turned off."))


@require_POST
@require_role("viewer")
def hook_test(request, scope, pk: int):
    return _act(request, scope, pk, webhooks.send_test, _("Test event sent."))


@require_POST
@require_role("viewer")
def delivery_retry(request, scope, pk: int):
    delivery = get_object_or_404(
        WebhookDelivery.objects.filter(subscription__in=subscriptions_visible_to(scope)), pk=pk
    )
    return _act(
        request,
        scope,
        delivery.subscription_id,
        lambda scope, _subscription: webhooks.retry(scope, delivery),
        _("Queued again."),
    )


urlpatterns = [
    path("webhooks/", hook_list, name="guide_hooks"),
    path("webhooks/new/", hook_new, name="guide_hook_new"),
    path("webhooks/<int:pk>/", hook_detail, name="guide_hook"),
    path("webhooks/<int:pk>/resume/", hook_resume, name="guide_hook_resume"),
    path("webhooks/<int:pk>/off/", hook_off, name="guide_hook_off"),
    path("webhooks/<int:pk>/test/", hook_test, name="guide_hook_test"),
    path("webhooks/deliveries/<int:pk>/retry/", delivery_retry, name="guide_hook_retry"),
]
