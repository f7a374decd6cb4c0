"""Placeholder until this module is written (this session)."""


def dashboard(request, *args, **kwargs):
    raise NotImplementedError


def export_csv(request, *args, **kwargs):
    raise NotImplementedError


def export_json(request, *args, **kwargs):
    raise NotImplementedError


def announce(request, *args, **kwargs):
    raise NotImplementedError


def grant_extension(request, *args, **kwargs):
    raise NotImplementedError
