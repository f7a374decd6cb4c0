"""Conversation pages. Each action works as a plain form; conversation.js adds the socket."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.models import DELETED_USER_NAME
from core.errors import RateLimited
from moderation.services import blocked_ids

from . import services, subjects
from .attachments import INLINE_TYPES, offered_name
from .forms import MessageForm
from .models import Attachment, Message
from .upload_handlers import AttachmentLimitHandler, too_large_message

PAGE_SIZE = 50


@login_required
def inbox(request):
    last = Message.objects.filter(conversation=OuterRef("pk"), seq=OuterRef("last_seq"))
    conversations = services.conversations_for(request.user).annotate(
        last_body=Subquery(last.values("body")[:1]),
        last_event=Subquery(last.values("event")[:1]),
        last_removed=Subquery(last.values("removed_at")[:1]),
        last_sender=Subquery(last.values("sender__display_name")[:1]),
        last_sender_left=Subquery(last.values("sender__deleted_at")[:1]),
    )
    page = Paginator(conversations, 20).get_page(request.GET.get("page"))
    for item in page:
        item.last_event_text = subjects.event_label(item, item.last_event)
        if item.last_sender_left:  # the column is empty once an account is closed
            item.last_sender = str(DELETED_USER_NAME)
    return render(request, "messaging/inbox.html", {"page_obj": page})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@csrf_exempt  # checked in _conversation, once the upload limit is in place
def conversation(request, pk):
    # Before anything reads the body (CSRF checking reads request.POST), so that too large
    # files are stopped while they arrive rather than refused once they are all in.
    upload_limit = AttachmentLimitHandler(request)
    request.upload_handlers.insert(0, upload_limit)
    return _conversation(request, pk, upload_limit)


@csrf_protect
def _conversation(request, pk, upload_limit):
    conversation, participant = services.access_conversation(request.user, pk)
    moderating = participant is None
    form = MessageForm()
    status = 200
    if request.method == "POST":
        if moderating:
            raise Http404
        form = MessageForm(request.POST, request.FILES)
        if upload_limit.stopped:
            # The fields before the files were read: the typed text stays in the form.
            refusal = too_large_message()
            if _wants_json(request):
                return JsonResponse({"code": "too_large", "message": refusal}, status=413)
            form = MessageForm(request.POST)
            form.is_valid()
            form.add_error(None, refusal)
            status = 413
        elif form.is_valid():
            try:
                message = services.send_message(request.user, conversation.pk, **form.cleaned_data)
            except (ValidationError, RateLimited) as error:
                status = error.status if isinstance(error, RateLimited) else 400
                if _wants_json(request):
                    return JsonResponse(
                        {"code": error.code, "message": " ".join(error.messages)}, status=status
                    )
                field = "share_contact" if error.code == "contact_details" else None
                form.add_error(
                    field, error if isinstance(error, ValidationError) else error.messages
                )
            else:
                if _wants_json(request):
                    return JsonResponse({"seq": message.seq, "id": message.pk})
                return redirect(f"{reverse('messaging:conversation', args=[pk])}#m{message.seq}")
        else:
            status = 400
            if _wants_json(request):
                return JsonResponse(
                    {"code": "invalid", "message": " ".join(form.errors.get("files", []))},
                    status=400,
                )
    if moderating:
        services.log_moderator_read(request.user, conversation)
    return render(
        request,
        "messaging/conversation.html",
        _conversation_context(request, conversation, participant, form),
        status=status,
    )


def _conversation_context(request, conversation, participant, form):
    user = request.user
    before = request.GET.get("before")
    items = conversation.messages.select_related("sender").prefetch_related("attachments")
    if before and before.isdigit():
        items = items.filter(seq__lt=int(before))
    page = list(items.order_by("-seq")[:PAGE_SIZE])[::-1]
    latest_page = not before
    if (
        participant is not None
        and latest_page
        and conversation.last_seq > participant.last_read_seq
    ):
        services.mark_read(user, conversation, conversation.last_seq)
    others = list(conversation.participants.exclude(user=user).select_related("user"))
    why_not = services.why_cannot_post(user, conversation) if participant else ""
    reported = set()
    if participant is None:
        reported = set(services.open_reports(conversation).values_list("target_id", flat=True))
    return {
        "conversation": conversation,
        "participant": participant,
        "chat_messages": page,
        "earlier": page[0].seq if page and page[0].seq > 1 else None,
        "others": others,
        "others_read_seq": max((p.last_read_seq for p in others), default=0),
        "blocked_ids": blocked_ids(user),
        "why_not": why_not,
        "contact_allowed": services.contact_details_allowed(conversation),
        "subject_link": services.subject_link(conversation, user),
        "form": form,
        "reported": reported,
        "event_labels": subjects.event_labels(conversation.subject_type_id),
        "latest_page": latest_page,
        "chat_texts": chat_texts(conversation),
    }


def chat_texts(conversation) -> dict:
    """The words conversation.js puts on the page, in the reader's language."""
    return {
        "you": _("You"),
        "read": _("Read"),
        "report": _("Report"),
        "sending": _("Sending…"),
        "failed": _("Not sent"),
        "removed": _("(removed by a moderator)"),
        "online": _("Connected. New messages appear as they arrive."),
        "offline": _(
            "Offline. Reconnecting… Messages you send go out when the connection is back."
        ),
        "events": subjects.event_labels(conversation.subject_type_id),
    }


@login_required
def attachment(request, pk):
    item = get_object_or_404(Attachment.objects.select_related("message"), pk=pk)
    services.access_conversation(request.user, item.message.conversation_id)
    if item.message.removed_at is not None:
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type not in INLINE_TYPES,
        # Again here, for files stored before names were made to match their content.
        filename=offered_name(item.name, item.content_type),
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render a file as a page after all, it runs nothing and reaches
    # nothing of this site (a unique origin: no cookies, no storage, no requests).
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


def _readable_message(user, pk) -> Message:
    message = get_object_or_404(Message.objects.select_related("sender"), pk=pk)
    services.access_conversation(user, message.conversation_id)
    return message


@login_required
@require_POST
def remove_message(request, pk):
    message = _readable_message(request.user, pk)
    services.remove_message(request.user, message)
    messages.success(request, _("The message was removed."))
    return redirect("messaging:conversation", pk=message.conversation_id)
