"""Placeholder until this module is written (this session)."""


def contest_detail(request, *args, **kwargs):
    raise NotImplementedError


def enter(request, *args, **kwargs):
    raise NotImplementedError


def my_entries(request, *args, **kwargs):
    raise NotImplementedError


def join(request, *args, **kwargs):
    raise NotImplementedError


def team_detail(request, *args, **kwargs):
    raise NotImplementedError


def team_conversation(request, *args, **kwargs):
    raise NotImplementedError


def team_action(request, *args, **kwargs):
    raise NotImplementedError


def invitation_action(request, *args, **kwargs):
    raise NotImplementedError
