"""Placeholder until this module is written (this session)."""


def contest_calendar(request, *args, **kwargs):
    raise NotImplementedError


def all_contests_calendar(request, *args, **kwargs):
    raise NotImplementedError
