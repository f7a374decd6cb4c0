"""Moderators' queues in the Wagtail admin: one base viewset, one per kind of decision.

A queue lists what waits for a moderator's decision, by status, 25 a page, and takes
the decision by POST. Which objects it holds comes from the policy: a queue shows only
what its moderator may act on (a 台東区 moderator sees 台東区's), and an object outside
that answers 404. Apps register their queues (`register_queue`) in their
`wagtail_hooks.py`; moderation shows them all under one "Moderation" menu.
"""

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from accounts import policy
from core.errors import DomainError
from core.registry import Registry

QUEUES = Registry("moderation queue")

PAGE_SIZE = 25


class ModerationQueue(ViewSet, metaclass=ABCMeta):
    statuses = None  # a TextChoices class
    default_status = ""
    view_action = ""  # policy action (no object): may this person open the queue
    template_name = ""  # extends moderation/admin/queue.html, fills {% block item %}
    status_label = ""  # names the status tabs for screen readers

    @abstractmethod
    def get_queryset(self, request):
        """Every object this moderator may decide on, in every status."""

    @abstractmethod
    def decide(self, request, obj) -> str:
        """Take the decision in request.POST through a service; return the message."""

    def get_context(self, request, page) -> dict:
        return {}

    # --- views -------------------------------------------------------------------------

    def _check_access(self, request) -> None:
        policy.check(request.user, self.view_action)

    def index_view(self, request):
        self._check_access(request)
        status = request.GET.get("status", self.default_status)
        if status not in self.statuses.values:
            status = self.default_status
        queryset = self.get_queryset(request).filter(status=status)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            self.template_name,
            {
                "page_title": self.menu_label,
                "header_icon": self.icon,
                "page_obj": page,
                "status": status,
                "statuses": self.statuses.choices,
                "status_label": self.status_label,
                "decide_url_name": self.get_url_name("decide"),
                **self.get_context(request, page),
            },
        )

    def decide_view(self, request, pk):
        self._check_access(request)
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            raise Http404
        try:
            messages.success(request, self.decide(request, obj))
        except (ValidationError, DomainError) as error:
            messages.error(request, " ".join(error.messages))
        back = redirect(self.get_url_name("index"))
        if request.POST.get("status") in self.statuses.values:
            back["Location"] += f"?status={request.POST['status']}"
        return back

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("<int:pk>/decide/", require_POST(self.decide_view), name="decide"),
        ]

    @cached_property
    def menu_item_class(self):
        action = self.view_action

        class QueueMenuItem(MenuItem):
            def is_shown(self, request):
                return policy.can(request.user, action)

        return QueueMenuItem


def register_queue(queue: ModerationQueue) -> ModerationQueue:
    QUEUES.register(queue.name, queue)
    return queue
