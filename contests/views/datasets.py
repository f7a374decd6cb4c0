"""Placeholder until this module is written (this session)."""


def dataset_list(request, *args, **kwargs):
    raise NotImplementedError


def dataset_detail(request, *args, **kwargs):
    raise NotImplementedError
