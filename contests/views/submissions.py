"""Placeholder until this module is written (this session)."""


def edit(request, *args, **kwargs):
    raise NotImplementedError


def detail(request, *args, **kwargs):
    raise NotImplementedError


def version_detail(request, *args, **kwargs):
    raise NotImplementedError


def screenshot(request, *args, **kwargs):
    raise NotImplementedError
