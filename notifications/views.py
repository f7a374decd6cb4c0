"""The notification centre, the digest settings and the unsubscribe page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User
from core.errors import NotFound

from . import services, topics
from .forms import DigestSettingsForm
from .models import Frequency, Notification

PAGE_SIZE = 20


@login_required
def centre(request):
    notices = Notification.objects.filter(recipient=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/centre.html",
        {"page_obj": page, "digest": services.digest_settings(request.user)},
    )


@login_required
def open_notice(request, pk):
    # A plain link (it opens in a new tab like any other); reading is all it changes.
    notice = services.open_notification(request.user, pk)
    # Only paths on this site: a stored link never sends anyone elsewhere.
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request):
    if services.mark_all_read(request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:centre")


@login_required
def digest_settings(request):
    current = services.digest_settings(request.user)
    form = DigestSettingsForm(
        request.POST or None,
        initial={"frequency": current.frequency, "topics": current.topics},
    )
    if request.method == "POST" and form.is_valid():
        services.choose_digest(
            request.user, form.cleaned_data["frequency"], form.cleaned_data["topics"]
        )
        if form.cleaned_data["frequency"] == Frequency.NEVER:
            messages.success(request, _("Saved. You will not receive digests."))
        else:
            messages.success(
                request, _("Saved. Your next digest comes when there is something new.")
            )
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # mail programs post here (RFC 8058); the signed link is the authority
def unsubscribe(request, token):
    user_id, topic = services.read_unsubscribe_token(token)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound
    topic_label = None if topic == services.ALL_TOPICS else _label(topic)
    if request.method == "POST":
        services.unsubscribe(user, topic)
        return render(
            request,
            "notifications/unsubscribed.html",
            {"topic_label": topic_label, "signed_in": request.user == user},
        )
    # A GET changes nothing: link checkers and previews open links in e-mails.
    return render(request, "notifications/unsubscribe.html", {"topic_label": topic_label})


def _label(key: str):
    topic = topics.TOPICS.get(key)
    return topic.label if topic is not None else key
