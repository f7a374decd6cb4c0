"""A small, read-only client for a CKAN catalog's Action API.

Two calls are all the contests need: `package_show` (one dataset, by id or name) and
`package_search` (by words and organization). Every way a catalog can fail us becomes
one `CatalogError` with a message an organizer can act on, and everything a catalog
sends is checked here, before anything is written (contests.services.datasets).

CKAN facts this relies on (ckan/logic/action/get.py, ckan/views/api.py):
- `GET {base}/api/3/action/<action>`, answered with `{"success": true, "result": ...}`
  or `{"success": false, "error": {"__type": "Not Found Error", "message": ...}}`, the
  latter with HTTP 404, 403, 409 or 400 according to the error.
- Timestamps are ISO strings without a zone, written from `datetime.utcnow()`: UTC.
"""

import ipaddress
import json
import re
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

from core.errors import DomainError

from .models.datasets import web_url

# Module attributes, read at each call, so tests (and a slow catalog) can change them.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
# The read time-out bounds each wait for bytes; a catalog dripping a byte at a time
# would never trip it, so the whole answer gets a deadline too.
DEADLINE = 30.0
# A package_search page of 20 rich packages is well under 1 MB.
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
MAX_ROWS = 100

# CKAN names are lowercase letters, digits, - and _ (2 to 100); ids are UUIDs or, on
# Tokyo's catalog, names like t131083d0000000001. Case is allowed: CKAN decides.
_REFERENCE = re.compile(r"[A-Za-z0-9_-]{2,100}")
_ORGANIZATION = re.compile(r"[a-z0-9_-]{2,100}")
# A dataset page, with an optional language prefix (/ja/dataset/...) and the page kinds
# CKAN puts before the name; anything after the name (/resource/<id>) is ignored.
_DATASET_PATH = re.compile(
    r"(?P<base>.*?)(?:/[a-z]{2}(?:_[A-Za-z]{2,4}){0,2})?"
    r"/dataset/(?:(?:edit|activity|groups|resources|changes)/)?(?P<reference>[^/]+)(?:/.*)?"
)
_API_PATH = re.compile(r"(?P<base>.*?)/api(?:/\d+)?/action/package_show/?")
_API_SUFFIX = re.compile(r"(?:/api(?:/\d+)?(?:/action(?:/[a-z_]*)?)?)?/*$")


class CatalogError(DomainError):
    """A catalog could not give us a dataset. `code` says why, for code; `message` says
    it for the organizer, in their language. DomainErrorMiddleware leaves it alone: the
    view that imports shows the message next to what the organizer pasted."""

    BAD_URL = "bad_url"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    MALFORMED = "malformed"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"

    def __init__(self, code: str, message: str, **details):
        super().__init__(message, **details)
        self.code = code


@dataclass(frozen=True)
class PackageReference:
    """What a person pasted: the catalog's address when it was a URL, and the package."""

    catalog_url: str | None
    id_or_name: str


@dataclass(frozen=True)
class Resource:
    ckan_id: str
    name: str
    format: str
    url: str
    size: int | None
    last_modified: datetime | None
    position: int


@dataclass(frozen=True)
class Package:
    ckan_id: str
    name: str
    title: str
    notes: str
    publisher: str
    publisher_name: str
    licence_id: str
    licence_title: str
    licence_url: str
    tags: tuple[str, ...]
    metadata_modified: datetime
    resources: tuple[Resource, ...]

    def page_url(self, catalog_url: str) -> str:
        return f"{catalog_url}/dataset/{self.name}"


@dataclass(frozen=True)
class SearchPage:
    count: int  # hits on the catalog, not on this page
    packages: list[Package]


# --- Addresses ---------------------------------------------------------------------------


def _bad_url(message: str, **details) -> CatalogError:
    return CatalogError(CatalogError.BAD_URL, message, **details)


def _web_parts(url: str):
    """urlsplit, refusing what is not an http(s) address with a host and no password."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise _bad_url(_("“%(value)s” is not a web address.") % {"value": url}) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _bad_url(_("Only http:// and https:// addresses can be used."), value=url)
    if not parts.hostname:
        raise _bad_url(_("“%(value)s” is not a web address.") % {"value": url})
    if parts.username is not None or parts.password is not None:
        # It would be stored and shown with the catalog; CKAN reads need no log-in.
        raise _bad_url(_("Give the address without a user name or password."), value=url)
    return parts


def _netloc(parts) -> str:
    host = parts.hostname  # lowercased, without IPv6 brackets
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parts.port}" if parts.port else host


def normalize_catalog_url(url: str) -> str:
    """The catalog's base address in one spelling (scheme and host lowercased, no
    trailing slash, no /api/3/action), so one site is one Catalog row."""
    parts = _web_parts(url)
    path = _API_SUFFIX.sub("", parts.path)
    return urlunsplit((parts.scheme.lower(), _netloc(parts), path, "", ""))


def catalog_label(catalog_url: str) -> str:
    """How messages name a catalog: its host."""
    return urlsplit(catalog_url).netloc or catalog_url


def parse_package_reference(value: str) -> PackageReference:
    """A package id or name, or the address of a dataset page on a catalog
    (https://catalog.example.jp/dataset/<name>, also /ja/dataset/<name>/resource/<id>
    or .../api/3/action/package_show?id=<name>), whose catalog then comes with it."""
    value = (value or "").strip()
    if not value:
        raise _bad_url(_("Paste the address of the dataset's page on the catalog, or its id."))
    if _REFERENCE.fullmatch(value):
        return PackageReference(None, value)
    if "://" not in value:
        raise _bad_url(
            _("“%(value)s” is neither the address of a dataset page nor a dataset id.")
            % {"value": value[:200]}
        )
    parts = _web_parts(value)
    path = unquote(parts.path)
    if api := _API_PATH.fullmatch(path):
        base, reference = api["base"], (parse_qs(parts.query).get("id") or [""])[0]
    elif page := _DATASET_PATH.fullmatch(path):
        base, reference = page["base"], page["reference"]
    else:
        raise _bad_url(
            _(
                "“%(value)s” is not the address of a dataset page: it looks like "
                "https://catalog.example.jp/dataset/<name>."
            )
            % {"value": value[:200]}
        )
    if not _REFERENCE.fullmatch(reference):
        raise _bad_url(
            _("“%(value)s” does not name a dataset.") % {"value": value[:200]}, value=value
        )
    catalog_url = urlunsplit((parts.scheme.lower(), _netloc(parts), base.rstrip("/"), "", ""))
    return PackageReference(catalog_url, reference)


# --- The Action API ----------------------------------------------------------------------


def _user_agent() -> str:
    # Catalog operators see who reads their API, and how to reach us.
    return f"kankei-jinkou-contests/1 (+{settings.SITE_URL})"


def _timeout_error(label: str) -> CatalogError:
    seconds = max(CONNECT_TIMEOUT, READ_TIMEOUT)
    return CatalogError(
        CatalogError.TIMEOUT,
        _("%(catalog)s did not answer in time. Try again later.") % {"catalog": label},
        seconds=seconds,
    )


def _unreachable(label: str, reason: str) -> CatalogError:
    return CatalogError(
        CatalogError.UNREACHABLE,
        _("%(catalog)s could not be reached. Check the address or try again later.")
        % {"catalog": label},
        reason=reason,
    )


def _malformed(label: str, message: str | None = None, **details) -> CatalogError:
    return CatalogError(
        CatalogError.MALFORMED,
        message
        or _("%(catalog)s did not answer with CKAN data; nothing was imported.")
        % {"catalog": label},
        **details,
    )


def _read(response, label: str, started: float) -> bytes:
    """The body, decoded, within the size cap and the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        raise _too_large(label)
    chunks, size = [], 0
    while True:
        # read1 returns what has arrived, so the deadline is checked while bytes drip.
        chunk = response.raw.read1(64 * 1024, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:  # after decompression: a small gzip can be huge
            raise _too_large(label)
        if time.monotonic() - started > DEADLINE:
            raise _timeout_error(label)
        chunks.append(chunk)


def _too_large(label: str) -> CatalogError:
    return _malformed(
        label,
        _("%(catalog)s sent more than %(megabytes)s MB; nothing was imported.")
        % {"catalog": label, "megabytes": MAX_RESPONSE_BYTES // (1024 * 1024)},
    )


def _refuse_private_address(url: str, label: str) -> None:
    """Organizers type the address and our server fetches it: it must not be made to
    reach the private network behind it (metadata services, admin ports). An internal
    catalog is allowed by naming its host in settings.CKAN_PRIVATE_HOSTS."""
    host = urlsplit(url).hostname or ""
    if host in settings.CKAN_PRIVATE_HOSTS:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return  # no such host: the request itself says "unreachable"
    if any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses):
        raise _bad_url(
            _("%(catalog)s is on a private network; only public catalogs can be imported from.")
            % {"catalog": label},
            host=host,
        )


def _get(url: str, params: dict, label: str) -> tuple[int, bytes]:
    started = time.monotonic()
    _refuse_private_address(url, label)

    def check_redirect(response, *args, **kwargs):
        # Each hop is checked before it is followed: a public catalog may not forward us.
        if response.is_redirect:
            _refuse_private_address(urljoin(response.url, response.headers["Location"]), label)

    try:
        with requests.Session() as session:
            session.max_redirects = MAX_REDIRECTS
            session.hooks["response"].append(check_redirect)
            with session.get(
                url,
                params=params,
                headers={"User-Agent": _user_agent(), "Accept": "application/json"},
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                stream=True,
            ) as response:
                return response.status_code, _read(response, label, started)
    except (requests.exceptions.Timeout, ReadTimeoutError):
        raise _timeout_error(label) from None
    except (requests.exceptions.ConnectionError, SSLError, ProtocolError) as error:
        # Refused, no such host, a bad certificate, or the connection broke mid-answer
        # (the urllib3 errors come from reading the body ourselves, in _read).
        raise _unreachable(label, str(error)) from None
    except DecodeError as error:
        raise _malformed(label, reason=str(error)) from None
    except (
        requests.exceptions.InvalidURL,
        requests.exceptions.InvalidSchema,
        requests.exceptions.MissingSchema,
        requests.exceptions.TooManyRedirects,
    ) as error:
        # A bad address, or a catalog sending us somewhere we do not follow.
        raise _bad_url(
            _("%(catalog)s sent us to an address that cannot be used.") % {"catalog": label},
            reason=str(error),
        ) from None
    except requests.exceptions.RequestException as error:
        raise _unreachable(label, str(error)) from None


def _reason(error) -> str:
    """CKAN's error message: a string, or {field: [messages]} for a Validation Error."""
    if not isinstance(error, dict):
        return ""
    message = error.get("message")
    if isinstance(message, str) and message.strip():
        return message.strip()[:300]
    fields = [
        f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in error.items()
        if key not in ("__type", "message")
    ]
    return "; ".join(fields)[:300] or str(error.get("__type", ""))[:100]


def call_action(catalog_url: str, action: str, params: dict, *, reference: str = ""):
    """The `result` of one Action API call, or CatalogError. `reference` names what was
    asked for, for the not-found message."""
    base = normalize_catalog_url(catalog_url)
    label = catalog_label(base)
    status, body = _get(f"{base}/api/3/action/{action}", params, label)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("success"), bool):
        # Not the Action API: a web server's own error page, or a site that is no CKAN.
        if status == 404:
            raise CatalogError(
                CatalogError.NOT_FOUND,
                _("No CKAN catalog answers at %(catalog)s. Check the catalog's address.")
                % {"catalog": base},
                status=status,
            )
        if status >= 400:
            raise _unreachable(label, f"HTTP {status}")
        raise _malformed(label, status=status)
    if not data["success"]:
        error = data.get("error")
        kind = error.get("__type", "") if isinstance(error, dict) else ""
        if kind == "Not Found Error":
            raise CatalogError(
                CatalogError.NOT_FOUND,
                _("%(catalog)s has no dataset “%(reference)s”. Check the address or the id.")
                % {"catalog": label, "reference": reference},
                status=status,
            )
        raise CatalogError(
            CatalogError.REFUSED,
            _("%(catalog)s refused the request: %(reason)s")
            % {"catalog": label, "reason": _reason(error) or kind or f"HTTP {status}"},
            kind=kind,
            status=status,
        )
    if status >= 400:
        raise _unreachable(label, f"HTTP {status}")
    return data.get("result")


def package_show(catalog_url: str, id_or_name: str) -> Package:
    """One package by id or name, checked throughout (CatalogError otherwise)."""
    if not _REFERENCE.fullmatch(id_or_name or ""):
        raise _bad_url(
            _("“%(value)s” is neither the address of a dataset page nor a dataset id.")
            % {"value": (id_or_name or "")[:200]}
        )
    base = normalize_catalog_url(catalog_url)
    result = call_action(base, "package_show", {"id": id_or_name}, reference=id_or_name)
    return parse_package(result, base)


def package_search(
    catalog_url: str, q: str = "", organization: str = "", rows: int = 20, start: int = 0
) -> SearchPage:
    """A page of packages matching the words `q` (CKAN/Solr syntax) in `organization`
    (a CKAN organization name). Packages that do not parse are left out of the page:
    it is a list to pick from, and `package_show` checks the one picked."""
    organization = (organization or "").strip()
    if organization and not _ORGANIZATION.fullmatch(organization):
        raise ValidationError(
            {
                "organization": ValidationError(
                    _("An organization's CKAN name has lowercase letters, digits, - and _."),
                    "invalid",
                )
            }
        )
    if not 1 <= rows <= MAX_ROWS or start < 0:
        raise ValueError(f"rows must be 1 to {MAX_ROWS} and start at least 0")
    base = normalize_catalog_url(catalog_url)
    params = {"rows": rows, "start": start}
    if q.strip():
        params["q"] = q.strip()[:500]
    if organization:
        params["fq"] = f"organization:{organization}"
    result = call_action(base, "package_search", params)
    label = catalog_label(base)
    if not isinstance(result, dict) or not isinstance(result.get("results"), list):
        raise _malformed(label)
    count = result.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise _malformed(label)
    packages = []
    for data in result["results"]:
        try:
            packages.append(parse_package(data, base))
        except CatalogError:
            continue
    return SearchPage(count, packages)


# --- Checking what a catalog sent ---------------------------------------------------------


class _Fields:
    """Reads one CKAN dict, raising CatalogError (malformed) naming the field."""

    def __init__(self, data, label: str, where: str):
        if not isinstance(data, dict):
            raise _malformed(label, where=where)
        self.data, self.label, self.where = data, label, where

    def _unusable(self, key: str) -> CatalogError:
        return _malformed(
            self.label,
            _("The dataset on %(catalog)s has no usable “%(field)s”; nothing was imported.")
            % {"catalog": self.label, "field": f"{self.where}{key}"},
            field=f"{self.where}{key}",
        )

    def text(self, key: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self._unusable(key)
        value = value.strip()
        if required and not value:
            raise self._unusable(key)
        if max_length and len(value) > max_length:
            # Titles and names are for reading: a shortened one loses nothing we need.
            value = value[: max_length - 1] + "…"
        return value

    def identifier(self, key: str) -> str:
        value = self.text(key, required=True)
        if len(value) > 100:
            raise self._unusable(key)
        return value

    def name(self, key: str) -> str:
        # It goes into the dataset page's address.
        value = self.text(key, required=True)
        if not _REFERENCE.fullmatch(value):
            raise self._unusable(key)
        return value

    def time(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._unusable(key) from None
        # CKAN writes datetime.utcnow().isoformat(): no zone, and it is UTC.
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def size(self, key: str) -> int | None:
        # Free text on some catalogs ("約2MB"): unknown rather than a refused import.
        value = self.data.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        return value if isinstance(value, int) and value >= 0 else None


def _web_link(value: str) -> str | None:
    """The link as an ASCII URI (CKAN links often carry spaces or Japanese file names),
    or None when it is not an http(s) address."""
    if not value:
        return None
    uri = iri_to_uri(value)
    try:
        web_url(uri)
    except ValidationError:
        return None
    return uri if len(uri) <= 2000 else None


def parse_package(data, catalog_url: str) -> Package:
    """A CKAN package dict checked and reduced to what we keep; CatalogError (malformed)
    on the first thing that cannot be used, so an import never stores half a dataset."""
    label = catalog_label(catalog_url)
    fields = _Fields(data, label, "")
    name = fields.name("name")
    organization = data.get("organization") or {}
    if not isinstance(organization, dict):
        raise fields._unusable("organization")
    publisher = _Fields(organization, label, "organization.")
    tags = data.get("tags") or []
    if not isinstance(tags, list):
        raise fields._unusable("tags")
    tag_names = []
    for tag in tags:
        tag_name = _Fields(tag, label, "tags.").text("name", required=True, max_length=100)
        if tag_name not in tag_names:
            tag_names.append(tag_name)
    resources = data.get("resources") or []
    if not isinstance(resources, list):
        raise fields._unusable("resources")
    parsed, seen = [], set()
    for position, resource in enumerate(resources):
        parsed.append(_parse_resource(resource, label, position))
        if parsed[-1].ckan_id in seen:
            raise _Fields(resource, label, "resources.")._unusable("id")
        seen.add(parsed[-1].ckan_id)
    return Package(
        ckan_id=fields.identifier("id"),
        name=name,
        title=fields.text("title", max_length=500) or name,
        notes=fields.text("notes"),
        publisher=publisher.text("title", max_length=500) or publisher.text("name"),
        publisher_name=publisher.text("name", max_length=100),
        licence_id=fields.text("license_id", max_length=100),
        licence_title=fields.text("license_title", max_length=500),
        # The licence link comes from the catalog's licence list, not from the data:
        # without a usable one we still keep the licence's title and id.
        licence_url=_web_link(fields.text("license_url")) or "",
        tags=tuple(tag_names),
        metadata_modified=fields.time("metadata_modified", required=True),
        resources=tuple(parsed),
    )


def _parse_resource(data, label: str, position: int) -> Resource:
    fields = _Fields(data, label, "resources.")
    raw_url = fields.text("url")
    url = _web_link(raw_url)
    name = fields.text("name", max_length=500)
    if url is None:
        # Teams and judges follow these links: a javascript:, file: or empty one is
        # refused with the dataset rather than stored or silently dropped.
        raise _malformed(
            label,
            _(
                "The resource “%(resource)s” links to “%(url)s”: only http:// and https:// "
                "links can be imported. Nothing was imported."
            )
            % {"resource": name or fields.text("id"), "url": raw_url[:200]},
            field="resources.url",
        )
    return Resource(
        ckan_id=fields.identifier("id"),
        name=name or unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])[:500],
        format=fields.text("format", max_length=100),
        url=url,
        size=fields.size("size"),
        last_modified=fields.time("last_modified"),
        position=position,
    )
