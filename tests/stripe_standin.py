"""A local stand-in for the Stripe API, for tests that run our real Stripe code paths.

Stripe is not reachable from here, so tests start this real HTTP server (127.0.0.1, a free
port, a daemon thread) and point the official `stripe` SDK at it through
`StripeClient(base_addresses=...)`: requests go over real sockets, are form-encoded the way
the SDK encodes them, and come back as the JSON the SDK turns into its objects and errors.

Faithful to Stripe (what our code relies on):
- the wire format: nested form parameters (`metadata[award]=3`, `line_items[0][quantity]=1`),
  `Authorization: Bearer sk_test_...` (401 otherwise), the `{"error": {type, code, message,
  param}}` body with the status that makes the SDK raise the right class (400/404
  InvalidRequestError, 401 AuthenticationError, 402 CardError, 403 PermissionError, 400
  with type idempotency_error IdempotencyError, 5xx APIError), unknown parameters refused
  (`parameter_unknown`), `Request-Id` on every answer, JSON pretty-printed as Stripe does;
- idempotency: a POST's `Idempotency-Key` (scoped to the API key and `Stripe-Account`) stores
  the first answer, success or refusal, and a later POST with the key gets it again with
  `Idempotent-Replayed: true` and nothing changes; the same key with other parameters or on
  another endpoint is an `idempotency_error`. As at Stripe, a refusal of the parameters
  themselves (missing, malformed, unknown, no such object) is not stored, so a corrected
  retry may reuse the key;
- objects: ids with Stripe's prefixes, `object`, `created`, `livemode: false`, `metadata`;
  lists `{"object": "list", "data", "has_more", "url"}` newest first, `limit` (1-100, default
  10), `starting_after`, `ending_before`, so `auto_paging_iter()` works;
- Connect: Express/Standard accounts created restricted (JP requirements past due,
  `transfers` capability inactive) until their hosted onboarding page is submitted; Account
  Links are single-use (a second visit, or one after `expires_at`, is sent to `refresh_url`);
  transfers refused to an account without an active `transfers` capability
  (`insufficient_capabilities_for_transfer`) or beyond the platform's available balance
  (`balance_insufficient`); transfers, reversals, charges, top-ups and payouts all write
  balance transactions, and balances are the sums of those; objects of a connected account
  (its payouts, balance, balance transactions, events) are only found with its
  `Stripe-Account` header, as at Stripe; `GET /v1/events` without the header lists the
  platform's own events only;
- Checkout: `mode=payment` sessions with `price_data` line items; card and konbini (konbini
  only in JPY, ¥120-¥300,000, `expires_after_days` 1-60); a hosted payment page with Stripe's
  test cards; konbini sessions complete unpaid and are paid (or fail) later;
- events: `evt_...` with `api_version`, `data.object` a snapshot of the object at that moment
  (`data.previous_attributes` on *.updated), `request` {id, idempotency_key} of the API call
  that caused them, `account` on connected-account events; webhooks signed with the real
  `Stripe-Signature` scheme (`t=...,v1=HMAC-SHA256(secret, "t.body")`), not following
  redirects (a 3xx is a failed delivery, as at Stripe).

Simplified (do not test these against the stand-in):
- no fees (`fee: 0`), and money is available at once (Stripe keeps card and konbini funds
  pending for days); one currency balance per currency, no currency conversion;
- concurrent requests are served one at a time, so a duplicate arriving while the first is
  in flight waits and is replayed (Stripe may answer it 409, which the SDK retries);
- webhooks are delivered synchronously, once, before the API call that caused them is
  answered; failed deliveries are not retried (call `deliver` again); one endpoint and one
  secret receive both platform and connected-account events (Stripe uses a separate Connect
  endpoint); only the events listed in the helpers are created (no charge.*,
  payment_intent.*, balance.available, payout.created...);
- no `expand` (accepted and ignored), no Prices/Products/Customers, no search, no updates
  (`POST /v1/accounts/{id}` etc. answer 404 "Unrecognized request URL");
- `eventually_due` equals `currently_due`; onboarding asks nothing and completes everything.
"""

import hashlib
import hmac
import html
import json
import re
import secrets
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

API_VERSION = "2025-06-30.basil"
TEST_API_KEY = "sk_test_standin"
DOCS = "https://stripe.com/docs/error-codes/"

# Stripe's test cards (https://docs.stripe.com/testing); anything else is "not a test card".
SUCCEEDING_CARDS = {"4242424242424242", "4000003920000003", "5555555555554444"}
DECLINED_CARDS = {
    "4000000000000002": ("generic_decline", "カードが拒否されました。"),
    "4000000000009995": ("insufficient_funds", "カードが拒否されました（残高不足）。"),
}
KONBINI_MINIMUM, KONBINI_MAXIMUM = 120, 300_000

REPORTING_CATEGORY = {
    "charge": "charge",
    "payment": "charge",
    "payment_refund": "refund",
    "transfer": "transfer",
    "transfer_refund": "transfer_reversal",
    "topup": "topup",
    "payout": "payout",
    "payout_failure": "payout_reversal",
}

# Requirements of a new Japanese individual account (what Stripe lists before onboarding).
JP_INDIVIDUAL_REQUIREMENTS = [
    "business_profile.mcc",
    "business_profile.product_description",
    "external_account",
    "individual.address_kana.city",
    "individual.address_kana.line1",
    "individual.address_kana.postal_code",
    "individual.address_kana.state",
    "individual.address_kana.town",
    "individual.address_kanji.city",
    "individual.address_kanji.line1",
    "individual.address_kanji.postal_code",
    "individual.address_kanji.state",
    "individual.address_kanji.town",
    "individual.dob.day",
    "individual.dob.month",
    "individual.dob.year",
    "individual.first_name_kana",
    "individual.first_name_kanji",
    "individual.gender",
    "individual.last_name_kana",
    "individual.last_name_kanji",
    "individual.phone",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]

LIST_PARAMS = {"limit", "starting_after", "ending_before", "created", "expand"}


def _now() -> int:
    return int(time.time())


def _new_id(prefix: str, size: int = 12) -> str:
    return prefix + secrets.token_hex(size)


def _snapshot(value):
    """A deep copy through JSON: what an event or an answer carries cannot change later."""
    return json.loads(json.dumps(value))


def _yen(amount: int) -> str:
    return f"¥{amount:,}"


# --- Form parameters -------------------------------------------------------------------------

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_params(text: str) -> dict:
    """Stripe's form encoding into nested dicts and lists.

    `a[b][c]=1` → {"a": {"b": {"c": "1"}}}; `a[0]=x&a[1]=y` and `a[]=x&a[]=y` → {"a": ["x",
    "y"]}; `line_items[0][price_data][unit_amount]=5000` → a list of dicts. Values stay
    strings, as Stripe receives them; keys under `metadata` are never read as indexes.
    """
    root: dict = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        match = _KEY.match(key)
        names = [match[1], *re.findall(r"\[([^\[\]]*)\]", match[2])] if match else [key]
        node = root
        for position, name in enumerate(names):
            if name == "":
                name = str(len(node))
            if position == len(names) - 1:
                node[name] = value
            else:
                child = node.get(name)
                if not isinstance(child, dict):
                    child = node[name] = {}
                node = child
    return _listify(root)


def _listify(node, keep_dict: bool = False):
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value, keep_dict=key == "metadata") for key, value in node.items()}
    if not keep_dict and converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


# --- Answers ---------------------------------------------------------------------------------


class _Refusal(Exception):
    """A Stripe error answer. `stored`: whether an idempotency key keeps it (Stripe keeps
    the outcome of a request it started executing, not a refusal of its parameters)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type: str = "invalid_request_error",
        stored: bool = True,
        **extra,
    ):
        super().__init__(message)
        self.status = status
        self.stored = stored
        self.error = {"type": type, "message": message}
        if code:
            self.error["code"] = code
            self.error["doc_url"] = DOCS + code.replace("_", "-")
        if param:
            self.error["param"] = param
        self.error.update(extra)

    def body(self) -> dict:
        return {"error": self.error}


def _invalid(message: str, param: str | None = None, code: str | None = None) -> _Refusal:
    """A refusal of the parameters themselves: not stored under an idempotency key."""
    return _Refusal(400, message, code=code, param=param, stored=False)


def _missing(param: str) -> _Refusal:
    return _invalid(f"Missing required param: {param}.", param, "parameter_missing")


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict = field(default_factory=dict)
    drop: bool = False  # close the connection without answering


def _json_reply(status: int, value, headers: dict | None = None) -> Reply:
    body = json.dumps(value, indent=2, ensure_ascii=False).encode()
    return Reply(status, body, headers=headers or {})


def _html_reply(status: int, page: str, headers: dict | None = None) -> Reply:
    return Reply(status, page.encode(), "text/html; charset=utf-8", headers or {})


def _redirect(location: str) -> Reply:
    return Reply(303, b"", "text/plain; charset=utf-8", {"Location": location})


@dataclass
class Recorded:
    """One request as the stand-in received it."""

    method: str
    path: str
    params: dict
    headers: dict
    idempotency_key: str | None = None
    stripe_account: str | None = None
    status: int | None = None  # of the answer


@dataclass
class _Fault:
    phase: str  # "before": answer instead of doing it; "after": do it, then answer this
    method: str
    prefix: str
    status: int
    times: int
    drop: bool


# --- Parameter readers -----------------------------------------------------------------------


def _only(params: dict, allowed: set, prefix: str = "") -> None:
    for name in params:
        if name not in allowed:
            raise _invalid(
                f"Received unknown parameter: {prefix}{name}",
                f"{prefix}{name}",
                "parameter_unknown",
            )


def _integer(
    params: dict,
    name: str,
    *,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
    label: str | None = None,
) -> int | None:
    label = label or name
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise _missing(label)
        return None
    if isinstance(raw, dict | list) or not re.fullmatch(r"-?\d+", str(raw)):
        raise _invalid(f"Invalid integer: {raw}", label, "parameter_invalid_integer")
    value = int(raw)
    if minimum is not None and value < minimum:
        raise _invalid(f"This value must be greater than or equal to {minimum}.", label)
    if maximum is not None and value > maximum:
        raise _invalid(f"This value must be less than or equal to {maximum}.", label)
    return value


def _string(params: dict, name: str, *, required: bool = False, label: str | None = None):
    label = label or name
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise _missing(label)
        return None
    if not isinstance(raw, str):
        raise _invalid(f"Invalid string: {raw!r}", label, "parameter_invalid_string")
    return raw


def _choice(params: dict, name: str, choices: tuple, *, required=False, label=None):
    value = _string(params, name, required=required, label=label)
    if value is not None and value not in choices:
        raise _invalid(
            f"Invalid {label or name}: must be one of {', '.join(choices)}", label or name
        )
    return value


def _boolean(raw) -> bool:
    return str(raw).lower() == "true"


def _dict(params: dict, name: str, label: str | None = None) -> dict:
    raw = params.get(name)
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, dict):
        raise _invalid(f"Invalid object: {label or name}", label or name)
    return raw


def _metadata(params: dict) -> dict:
    raw = _dict(params, "metadata")
    metadata = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            raise _invalid(f"Invalid metadata[{key}]: must be a string", f"metadata[{key}]")
        if len(key) > 40:
            raise _invalid("Metadata keys can have up to 40 characters.", f"metadata[{key}]")
        if len(value) > 500:
            raise _invalid("Metadata values can have up to 500 characters.", f"metadata[{key}]")
        if value != "":  # an empty value unsets the key
            metadata[key] = value
    if len(metadata) > 50:
        raise _invalid("Metadata can have up to 50 keys.", "metadata")
    return metadata


def _currency(params: dict, name: str = "currency", *, label: str | None = None) -> str:
    value = _string(params, name, required=True, label=label)
    if not re.fullmatch(r"[A-Za-z]{3}", value):
        raise _invalid(f"Invalid currency: {value}", label or name)
    return value.lower()


def _url(params: dict, name: str) -> str | None:
    value = _string(params, name)
    if value is not None and not re.match(r"https?://[^\s/]+", value):
        raise _invalid("Not a valid URL", name, "url_invalid")
    return value


def _created_matches(created: int, condition) -> bool:
    if condition in (None, ""):
        return True
    if isinstance(condition, str):
        return str(created) == condition
    tests = {
        "gt": lambda bound: created > bound,
        "gte": lambda bound: created >= bound,
        "lt": lambda bound: created < bound,
        "lte": lambda bound: created <= bound,
    }
    return all(tests[op](int(bound)) for op, bound in condition.items() if op in tests)


# --- HTTP ------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stripe-standin"

    def do_GET(self):  # the names http.server calls
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_DELETE(self):
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.standin._handle(method, self.path, dict(self.headers.items()), body)
        # One request per connection: a stopped stand-in leaves no kept-alive socket
        # behind that would still answer.
        self.close_connection = True
        if reply.drop:
            return  # like a connection lost after Stripe did the work
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format, *args):  # http.server's signature
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Stripe does not follow a webhook endpoint's redirects: a 3xx is a failed delivery."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)

_ROUTES = [
    (method, re.compile(pattern), handler)
    for method, pattern, handler in [
        ("POST", r"/v1/accounts", "_create_account"),
        ("GET", r"/v1/accounts", "_list_accounts"),
        ("GET", r"/v1/accounts/(?P<id>[^/]+)", "_get_account"),
        ("POST", r"/v1/account_links", "_create_account_link"),
        ("POST", r"/v1/transfers", "_create_transfer"),
        ("GET", r"/v1/transfers", "_list_transfers"),
        ("GET", r"/v1/transfers/(?P<id>[^/]+)", "_get_transfer"),
        ("POST", r"/v1/transfers/(?P<id>[^/]+)/reversals", "_create_reversal"),
        ("GET", r"/v1/transfers/(?P<id>[^/]+)/reversals", "_list_reversals"),
        ("GET", r"/v1/transfers/(?P<id>[^/]+)/reversals/(?P<rid>[^/]+)", "_get_reversal"),
        ("POST", r"/v1/checkout/sessions", "_create_session"),
        ("GET", r"/v1/checkout/sessions", "_list_sessions"),
        ("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)", "_get_session"),
        ("POST", r"/v1/checkout/sessions/(?P<id>[^/]+)/expire", "_expire_session"),
        ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", "_get_payment_intent"),
        ("GET", r"/v1/events", "_list_events"),
        ("GET", r"/v1/events/(?P<id>[^/]+)", "_get_event"),
        ("GET", r"/v1/balance", "_get_balance"),
        ("GET", r"/v1/balance_transactions", "_list_balance_transactions"),
        ("GET", r"/v1/balance_transactions/(?P<id>[^/]+)", "_get_balance_transaction"),
        ("GET", r"/v1/payouts", "_list_payouts"),
        ("GET", r"/v1/payouts/(?P<id>[^/]+)", "_get_payout"),
    ]
]
# What a `Stripe-Account` header can reach: objects living on the connected account.
_CONNECTED_SCOPE = {
    "_list_events",
    "_get_event",
    "_get_balance",
    "_list_balance_transactions",
    "_get_balance_transaction",
    "_list_payouts",
    "_get_payout",
}


class StripeStandIn:
    """A local Stripe: `start()`/`stop()` or `with StripeStandIn() as stripe_standin:`.

    `client()` is an official `stripe.StripeClient` aimed at it. State is readable in
    `accounts`, `transfers`, `reversals`, `checkout_sessions`, `payment_intents`,
    `balance_transactions`, `payouts` (dicts by id), `events` (in order), `requests`
    (every request received, `Recorded`) and `deliveries` (every webhook sent).
    """

    api_version = API_VERSION

    def __init__(
        self,
        webhook_secret: str = "whsec_standin",
        webhook_url: str | None = None,
        auto_deliver: bool = True,
    ):
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.auto_deliver = auto_deliver
        self.url: str | None = None
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._clear()

    def _clear(self) -> None:
        self.requests: list[Recorded] = []
        self.events: list[dict] = []
        self.deliveries: list[dict] = []
        self.accounts: dict[str, dict] = {}
        self.transfers: dict[str, dict] = {}
        self.reversals: dict[str, dict] = {}
        self.checkout_sessions: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.balance_transactions: dict[str, dict] = {}
        self.payouts: dict[str, dict] = {}
        self._links: dict[str, dict] = {}  # token → account, urls, expiry, visited
        self._line_items: dict[str, list] = {}  # session id → its line items
        self._intent_metadata: dict[str, dict] = {}  # session id → payment_intent_data.metadata
        self._owner: dict[str, str] = {}  # object id → the connected account it lives on
        self._event_index: dict[str, dict] = {}
        self._idempotent: dict[tuple, dict] = {}
        self._faults: list[_Fault] = []
        self._outbox: list[dict] = []
        self._request_context: dict | None = None

    # --- Life cycle ----------------------------------------------------------------------

    def start(self) -> "StripeStandIn":
        if self._server is None:
            self._server = _Server(("127.0.0.1", 0), _Handler)
            self._server.standin = self
            self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="stripe-standin",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> "StripeStandIn":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every object, event, request, delivery, stored answer and fault."""
        with self._lock:
            self._clear()

    def client(self, api_key: str = TEST_API_KEY):
        """The official SDK's client, sending everything here, retrying nothing."""
        import stripe

        return stripe.StripeClient(
            api_key,
            base_addresses={"api": self.url, "connect": self.url, "files": self.url},
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=10),
        )

    # --- Faults --------------------------------------------------------------------------

    def fail_next(
        self, method: str, path_prefix: str, status: int = 500, times: int = 1, drop: bool = False
    ) -> None:
        """The next `times` requests `method path_prefix...` get `status` (an `api_error`,
        or `rate_limit_error` for 429) and change nothing, nor is the answer stored under
        their idempotency key. `drop=True`: the connection is closed without an answer."""
        with self._lock:
            self._faults.append(_Fault("before", method.upper(), path_prefix, status, times, drop))

    def fail_after_commit_next(
        self, method: str, path_prefix: str, status: int = 500, times: int = 1, drop: bool = False
    ) -> None:
        """The next matching request is carried out (state, events, webhooks, the answer
        stored under its idempotency key) but answered `status`, as when the connection was
        lost after Stripe did the work: a retry with the same key gets the stored answer."""
        with self._lock:
            self._faults.append(_Fault("after", method.upper(), path_prefix, status, times, drop))

    def _take_fault(self, phase: str, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.phase == phase and fault.method == method and path.startswith(fault.prefix):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _fault_reply(fault: _Fault, request_id: str) -> Reply:
        if fault.drop:
            return Reply(0, drop=True)
        if fault.status == 429:
            error = {
                "type": "rate_limit_error",
                "code": "rate_limit",
                "message": "Request rate limit exceeded (stand-in fault).",
            }
        else:
            error = {
                "type": "api_error",
                "message": "An unknown error occurred (stand-in fault injected by a test).",
            }
        return _json_reply(fault.status, {"error": error}, {"Request-Id": request_id})

    # --- Requests ------------------------------------------------------------------------

    def _handle(self, method: str, target: str, headers: dict, body: bytes) -> Reply:
        parts = urlsplit(target)
        path = parts.path
        lower = {name.lower(): value for name, value in headers.items()}
        text = parts.query if method == "GET" else body.decode("utf-8", "replace")
        params = parse_params(text)
        record = Recorded(
            method,
            path,
            params,
            headers,
            idempotency_key=lower.get("idempotency-key"),
            stripe_account=lower.get("stripe-account"),
        )
        with self._lock:
            self.requests.append(record)
            try:
                reply = self._route(method, path, params, lower, record)
            except Exception as error:  # a bug here: say so instead of hanging the client
                traceback.print_exc()
                reply = _json_reply(
                    500, {"error": {"type": "api_error", "message": f"stand-in bug: {error!r}"}}
                )
            record.status = reply.status
            events, self._outbox = self._outbox, []
        self._deliver_new(events)
        return reply

    def _route(self, method: str, path: str, params: dict, lower: dict, record: Recorded) -> Reply:
        request_id = _new_id("req_", 7)
        fault = self._take_fault("before", method, path)
        if fault is not None:
            return self._fault_reply(fault, request_id)
        if path.startswith("/v1/"):
            reply = self._api(method, path, params, lower, record, request_id)
        elif match := re.fullmatch(r"/connect/onboarding/(?P<id>[^/]+)", path):
            reply = self._onboarding_page(method, match["id"], params)
        elif match := re.fullmatch(r"/checkout/pay/(?P<id>[^/]+)", path):
            reply = self._checkout_page(method, match["id"], params)
        else:
            reply = _html_reply(404, _page("見つかりません", "<p>このページはありません。</p>"))
        fault = self._take_fault("after", method, path)
        if fault is not None:
            return self._fault_reply(fault, request_id)
        return reply

    def _api(self, method, path, params, lower, record, request_id) -> Reply:
        headers = {
            "Request-Id": request_id,
            "Stripe-Version": lower.get("stripe-version") or API_VERSION,
        }
        authorization = lower.get("authorization", "")
        api_key = authorization[7:].strip() if authorization.startswith("Bearer ") else ""
        if not api_key:
            return _json_reply(
                401,
                _Refusal(
                    401,
                    "You did not provide an API key. You need to provide your API key in the "
                    "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                    "YOUR_SECRET_KEY').",
                ).body(),
                headers,
            )
        if not api_key.startswith(("sk_test_", "rk_test_")):
            masked = api_key[:8] + "*" * max(len(api_key) - 12, 0) + api_key[-4:]
            return _json_reply(
                401,
                _Refusal(401, f"Invalid API Key provided: {masked}", code="api_key_invalid").body(),
                headers,
            )
        account = record.stripe_account
        found = next(
            (
                (handler, match)
                for route_method, pattern, handler in _ROUTES
                if route_method == method and (match := pattern.fullmatch(path))
            ),
            None,
        )
        if found is None:
            return _json_reply(
                404,
                _Refusal(
                    404,
                    f"Unrecognized request URL ({method}: {path}). Please see "
                    "https://stripe.com/docs or we can help at https://support.stripe.com/. "
                    "(Not modelled by the stand-in.)",
                ).body(),
                headers,
            )
        name, match = found
        if account and account not in self.accounts:
            return _json_reply(
                403,
                _Refusal(
                    403,
                    f"The provided key '{api_key[:8]}***' does not have access to account "
                    f"'{account}' (or that account does not exist). Application access may "
                    "have been revoked.",
                    code="account_invalid",
                ).body(),
                headers,
            )
        if account and name not in _CONNECTED_SCOPE:
            return _json_reply(
                400,
                _Refusal(
                    400,
                    f"The stand-in does not model {method} {path} on a connected account "
                    "(Stripe-Account header).",
                ).body(),
                headers,
            )
        key = record.idempotency_key if method == "POST" else None
        scope = (api_key, account or "", key)
        if key is not None:
            headers["Idempotency-Key"] = key
            if len(key) > 255:
                return _json_reply(
                    400,
                    _Refusal(
                        400,
                        "Keys for idempotent requests must be no longer than 255 characters.",
                        type="idempotency_error",
                    ).body(),
                    headers,
                )
            stored = self._idempotent.get(scope)
            if stored is not None:
                if stored["endpoint"] != (method, path):
                    message = (
                        "Keys for idempotent requests can only be used for the same endpoint "
                        f"they were first used for ('{stored['endpoint'][1]}' vs '{path}'). "
                        f"Try using a key other than '{key}' if you meant to execute a "
                        "different request."
                    )
                elif stored["params"] != params:
                    message = (
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with. Try using a key other than "
                        f"'{key}' if you meant to execute a different request."
                    )
                else:
                    replay = {
                        **headers,
                        "Idempotent-Replayed": "true",
                        "Original-Request": stored["request_id"],
                    }
                    return Reply(stored["status"], stored["body"], headers=replay)
                refusal = _Refusal(400, message, type="idempotency_error")
                return _json_reply(400, refusal.body(), headers)
        self._request_context = {"id": request_id, "idempotency_key": key}
        try:
            status, value, stored = (
                200,
                getattr(self, name)(params, account, **match.groupdict()),
                True,
            )
        except _Refusal as refusal:
            status, value, stored = refusal.status, refusal.body(), refusal.stored
        finally:
            self._request_context = None
        reply = _json_reply(status, value, headers)
        if key is not None and stored:
            self._idempotent[scope] = {
                "endpoint": (method, path),
                "params": params,
                "status": status,
                "body": reply.body,
                "request_id": request_id,
            }
        return reply

    # --- Events and webhooks -------------------------------------------------------------

    def _emit(self, type_: str, obj: dict, *, account: str | None = None, previous=None) -> dict:
        event = {"id": _new_id("evt_"), "object": "event"}
        if account:
            event["account"] = account
        event.update(
            {
                "api_version": API_VERSION,
                "created": _now(),
                "data": {"object": _snapshot(obj)},
                "livemode": False,
                "pending_webhooks": 1,
                "request": dict(self._request_context or {"id": None, "idempotency_key": None}),
                "type": type_,
            }
        )
        if previous:
            event["data"]["previous_attributes"] = _snapshot(previous)
        self.events.append(event)
        self._event_index[event["id"]] = event
        self._outbox.append(event)
        return event

    def event(self, event_id: str) -> dict:
        return self._event_index[event_id]

    def events_of(self, type_: str) -> list[dict]:
        return [event for event in self.events if event["type"] == type_]

    def sign(self, body: bytes, timestamp=None, secret: str | None = None) -> str:
        """The `Stripe-Signature` header Stripe would send with `body`."""
        stamp = int(time.time() if timestamp is None else timestamp)
        key = (secret or self.webhook_secret).encode()
        digest = hmac.new(key, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return f"t={stamp},v1={digest}"

    @staticmethod
    def payload(event: dict) -> bytes:
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()

    def deliver(self, event, *, timestamp=None, signature: str | None = None, url=None):
        """POST `event` (a dict or an id) to `url` or `webhook_url`, signed (or with the
        `signature` given); returns (status, body) whatever the status. Connection errors
        propagate (urllib.error.URLError)."""
        if isinstance(event, str):
            event = self.event(event)
        target = url or self.webhook_url
        if not target:
            raise ValueError("No webhook URL: pass url= or set webhook_url.")
        body = self.payload(event)
        header = self.sign(body, timestamp) if signature is None else signature
        request = urllib.request.Request(
            target,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": header,
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
        )
        try:
            with _OPENER.open(request, timeout=10) as response:
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read()
        with self._lock:
            self.deliveries.append(
                {
                    "event": event["id"],
                    "type": event["type"],
                    "url": target,
                    "status": status,
                    "body": answer,
                }
            )
        return status, answer

    def _deliver_new(self, events: list[dict]) -> None:
        if not (self.auto_deliver and self.webhook_url):
            return
        for event in events:
            try:
                self.deliver(event)
            except OSError as error:  # nobody listening: recorded as a failed delivery
                with self._lock:
                    self.deliveries.append(
                        {
                            "event": event["id"],
                            "type": event["type"],
                            "url": self.webhook_url,
                            "status": None,
                            "body": str(error),
                        }
                    )

    def _change(self, function, *args, **kwargs):
        """Run a Python helper's change under the lock, then deliver its events."""
        with self._lock:
            try:
                result = function(*args, **kwargs)
            finally:
                events, self._outbox = self._outbox, []
        self._deliver_new(events)
        return result

    # --- Lists ---------------------------------------------------------------------------

    def _page(self, objects: list, params: dict, url: str, filters: set = frozenset()) -> dict:
        """`objects` oldest first; the page newest first, as Stripe lists them."""
        _only(params, LIST_PARAMS | set(filters))
        limit = _integer(params, "limit", minimum=1, maximum=100) or 10
        items = [
            obj
            for obj in reversed(objects)
            if _created_matches(obj["created"], params.get("created"))
        ]
        ids = [obj["id"] for obj in items]
        after, before = params.get("starting_after"), params.get("ending_before")
        for cursor, name in ((after, "starting_after"), (before, "ending_before")):
            if cursor and cursor not in ids:
                raise _invalid(f"No such object: '{cursor}'", name, "resource_missing")
        if after:
            rest = items[ids.index(after) + 1 :]
            data, more = rest[:limit], len(rest) > limit
        elif before:
            rest = items[: ids.index(before)]
            data, more = rest[-limit:], len(rest) > limit
        else:
            data, more = items[:limit], len(items) > limit
        return {"object": "list", "data": _snapshot(data), "has_more": more, "url": url}

    @staticmethod
    def _find(store: dict, object_id: str, noun: str) -> dict:
        if object_id not in store:
            raise _Refusal(
                404,
                f"No such {noun}: '{object_id}'",
                code="resource_missing",
                param="id",
                stored=False,
            )
        return store[object_id]

    def _on(self, object_id: str, account: str | None) -> bool:
        return self._owner.get(object_id) == account

    # --- Balance -------------------------------------------------------------------------

    def _ledger(self, type_, amount, currency, source, *, account=None, description=None) -> dict:
        now = _now()
        txn = {
            "id": _new_id("txn_"),
            "object": "balance_transaction",
            "amount": amount,
            "available_on": now,
            "created": now,
            "currency": currency,
            "description": description,
            "exchange_rate": None,
            "fee": 0,
            "fee_details": [],
            "livemode": False,
            "net": amount,
            "reporting_category": REPORTING_CATEGORY[type_],
            "source": source,
            "status": "available",
            "type": type_,
        }
        self.balance_transactions[txn["id"]] = txn
        if account:
            self._owner[txn["id"]] = account
        return txn

    def _available(self, currency: str = "jpy", account: str | None = None) -> int:
        return sum(
            txn["net"]
            for txn_id, txn in self.balance_transactions.items()
            if self._on(txn_id, account)
            and txn["currency"] == currency
            and txn["status"] == "available"
        )

    def balance(self, currency: str = "jpy", account: str | None = None) -> int:
        """Available balance of the platform (or of a connected account)."""
        with self._lock:
            return self._available(currency, account)

    def add_balance(self, amount: int, currency: str = "jpy") -> dict:
        """Fund the platform's available balance (a top-up balance transaction)."""
        return self._change(
            lambda: _snapshot(
                self._ledger(
                    "topup", int(amount), currency, _new_id("tu_"), description="stand-in top-up"
                )
            )
        )

    def _get_balance(self, params, account):
        _only(params, {"expand"})
        currencies = {
            txn["currency"]
            for txn_id, txn in self.balance_transactions.items()
            if self._on(txn_id, account)
        } | {"jpy"}
        available = [
            {
                "amount": self._available(c, account),
                "currency": c,
                "source_types": {"card": self._available(c, account)},
            }
            for c in sorted(currencies)
        ]
        pending = [
            {"amount": 0, "currency": c, "source_types": {"card": 0}} for c in sorted(currencies)
        ]
        return {"object": "balance", "available": available, "livemode": False, "pending": pending}

    def _list_balance_transactions(self, params, account):
        objects = [
            txn
            for txn_id, txn in self.balance_transactions.items()
            if self._on(txn_id, account)
            and all(
                params.get(name) in (None, "", txn[name]) for name in ("type", "source", "currency")
            )
        ]
        return self._page(
            objects, params, "/v1/balance_transactions", {"type", "source", "currency", "payout"}
        )

    def _get_balance_transaction(self, params, account, id):
        _only(params, {"expand"})
        txn = self._find(self.balance_transactions, id, "balance transaction")
        if not self._on(id, account):
            raise _Refusal(
                404,
                f"No such balance transaction: '{id}'",
                code="resource_missing",
                param="id",
                stored=False,
            )
        return txn

    # --- Accounts and onboarding ---------------------------------------------------------

    def _create_account(self, params, account):
        _only(
            params,
            {
                "type",
                "controller",
                "country",
                "email",
                "business_type",
                "capabilities",
                "metadata",
                "business_profile",
                "default_currency",
                "settings",
                "tos_acceptance",
                "individual",
                "company",
                "external_account",
                "expand",
            },
        )
        controller = _dict(params, "controller")
        dashboard = (controller.get("stripe_dashboard") or {}).get("type") if controller else None
        kind = _choice(params, "type", ("custom", "express", "standard")) or {
            "express": "express",
            "full": "standard",
            "none": "custom",
        }.get(dashboard, "standard")
        country = (_string(params, "country") or "JP").upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise _invalid(f"Invalid country: {country}", "country")
        business_type = _choice(
            params, "business_type", ("company", "government_entity", "individual", "non_profit")
        )
        requested = _dict(params, "capabilities")
        capabilities = {"transfers": "inactive"}
        for capability, options in requested.items():
            if not isinstance(options, dict) or "requested" not in options:
                raise _missing(f"capabilities[{capability}][requested]")
            if _boolean(options["requested"]):
                capabilities[capability] = "inactive"
        due = [
            f.replace("individual.", f"{business_type}.") if business_type == "company" else f
            for f in JP_INDIVIDUAL_REQUIREMENTS
        ]
        if business_type is None:
            due = ["business_type", *due]
        now = _now()
        new = {
            "id": _new_id("acct_", 8),
            "object": "account",
            "business_profile": {
                "mcc": None,
                "name": None,
                "product_description": None,
                "support_email": None,
                "url": None,
                **_dict(params, "business_profile"),
            },
            "business_type": business_type,
            "capabilities": capabilities,
            "charges_enabled": False,
            "controller": controller
            or {
                "is_controller": True,
                "type": "application",
                "stripe_dashboard": {
                    "type": {"standard": "full", "express": "express"}.get(kind, "none")
                },
            },
            "country": country,
            "created": now,
            "default_currency": (
                _string(params, "default_currency") or ("jpy" if country == "JP" else "usd")
            ).lower(),
            "details_submitted": False,
            "email": _string(params, "email"),
            "external_accounts": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": "",
            },
            "future_requirements": {
                "alternatives": [],
                "current_deadline": None,
                "currently_due": [],
                "disabled_reason": None,
                "errors": [],
                "eventually_due": [],
                "past_due": [],
                "pending_verification": [],
            },
            "livemode": False,
            "metadata": _metadata(params),
            "payouts_enabled": False,
            "requirements": {
                "alternatives": [],
                "current_deadline": None,
                "currently_due": list(due),
                "disabled_reason": "requirements.past_due",
                "errors": [],
                "eventually_due": list(due),
                "past_due": list(due),
                "pending_verification": [],
            },
            "settings": {"payouts": {"schedule": {"delay_days": 4, "interval": "daily"}}},
            "tos_acceptance": {"date": None},
            "type": kind,
        }
        new["external_accounts"]["url"] = f"/v1/accounts/{new['id']}/external_accounts"
        self.accounts[new["id"]] = new
        return new

    def _list_accounts(self, params, account):
        return self._page(list(self.accounts.values()), params, "/v1/accounts")

    def _get_account(self, params, account, id):
        _only(params, {"expand"})
        if id not in self.accounts:
            raise _Refusal(
                403,
                f"The provided key does not have access to account '{id}' (or that account "
                "does not exist). Application access may have been revoked.",
                code="account_invalid",
                stored=False,
            )
        return self.accounts[id]

    def _create_account_link(self, params, account):
        _only(
            params,
            {
                "account",
                "refresh_url",
                "return_url",
                "type",
                "collect",
                "collection_options",
                "expand",
            },
        )
        account_id = _string(params, "account", required=True)
        kind = _choice(params, "type", ("account_onboarding", "account_update"), required=True)
        refresh_url = _url(params, "refresh_url")
        return_url = _url(params, "return_url")
        if refresh_url is None:
            raise _missing("refresh_url")
        if return_url is None:
            raise _missing("return_url")
        if account_id not in self.accounts:
            raise _invalid(
                f"The provided key does not have access to account '{account_id}' (or that "
                "account does not exist). Application access may have been revoked.",
                "account",
                "account_invalid",
            )
        if kind == "account_update" and self.accounts[account_id]["type"] != "custom":
            raise _invalid(
                "You cannot create `account_update` type Account Links for Express or Standard accounts.",
                "type",
            )
        now = _now()
        token = secrets.token_urlsafe(16)
        self._links[token] = {
            "account": account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "expires_at": now + 300,
            "visited": False,
        }
        return {
            "object": "account_link",
            "created": now,
            "expires_at": now + 300,
            "url": f"{self.url}/connect/onboarding/{account_id}?token={token}",
        }

    def _onboarding_page(self, method: str, account_id: str, params: dict) -> Reply:
        token = params.get("token") or ""
        link = self._links.get(token)
        if link is None or link["account"] != account_id or account_id not in self.accounts:
            return _html_reply(
                404,
                _page(
                    "リンクが無効です",
                    "<p>この登録用リンクは無効です。もう一度最初からやり直してください。</p>",
                ),
            )
        if method == "GET":
            if link["visited"] or _now() > link["expires_at"]:
                return _redirect(link["refresh_url"])  # Account Links are single-use
            link["visited"] = True
            return _html_reply(200, self._onboarding_html(account_id, token, link))
        if method != "POST":
            return _html_reply(405, _page("使えない操作です", "<p>この操作はできません。</p>"))
        if link.get("used") or _now() > link["expires_at"]:
            return _redirect(link["refresh_url"])
        link["used"] = True
        self._complete(account_id)
        return _redirect(link["return_url"])

    def _onboarding_html(self, account_id: str, token: str, link: dict) -> str:
        account = self.accounts[account_id]
        due = "".join(
            f"<li><code>{html.escape(item)}</code></li>"
            for item in account["requirements"]["currently_due"]
        )
        return _page(
            "受取用アカウントの登録",
            f"""<p>テスト用の Stripe の代わりのページです。本物の Stripe では、ここで本人確認と振込先口座を入力します。</p>
<dl><dt>アカウント</dt><dd><code>{html.escape(account_id)}</code></dd>
<dt>メールアドレス</dt><dd>{html.escape(account.get("email") or "（なし）")}</dd></dl>
<h2>入力が必要な情報</h2>
<ul>{due or "<li>なし</li>"}</ul>
<form method="post" action="/connect/onboarding/{html.escape(account_id)}">
<input type="hidden" name="token" value="{html.escape(token)}">
<button type="submit">情報を送信して完了する</button>
</form>
<p><a href="{html.escape(link["return_url"])}">保存せずに戻る</a></p>""",
        )

    def _complete(self, account_id: str) -> dict:
        account = self.accounts[account_id]
        before = _snapshot(account)
        account.update(
            {
                "charges_enabled": True,
                "details_submitted": True,
                "payouts_enabled": True,
                "capabilities": dict.fromkeys(account["capabilities"], "active"),
                "tos_acceptance": {"date": account["tos_acceptance"]["date"] or _now()},
            }
        )
        account["requirements"].update(
            {"currently_due": [], "disabled_reason": None, "eventually_due": [], "past_due": []}
        )
        previous = {key: before[key] for key in account if before.get(key) != account[key]}
        if previous:
            self._emit("account.updated", account, account=account_id, previous=previous)
        return account

    def complete_onboarding(self, account_id: str) -> dict:
        """What submitting the hosted onboarding page does, without HTTP."""

        def complete():
            self._find(self.accounts, account_id, "account")
            return _snapshot(self._complete(account_id))

        return self._change(complete)

    # --- Transfers -----------------------------------------------------------------------

    def _create_transfer(self, params, account):
        _only(
            params,
            {
                "amount",
                "currency",
                "destination",
                "description",
                "metadata",
                "transfer_group",
                "source_transaction",
                "source_type",
                "expand",
            },
        )
        amount = _integer(params, "amount", required=True, minimum=1)
        currency = _currency(params)
        destination = _string(params, "destination", required=True)
        metadata = _metadata(params)
        if destination not in self.accounts:
            raise _invalid(
                f"No such destination: '{destination}'", "destination", "resource_missing"
            )
        if self.accounts[destination]["capabilities"].get("transfers") != "active":
            raise _Refusal(
                400,
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
                param="destination",
            )
        available = self._available(currency)
        if available < amount:
            raise _Refusal(
                400,
                "You have insufficient available funds in your Stripe account. Try adding "
                "funds directly to your available balance by creating Charges using the "
                "4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance "
                f"(stand-in: available {available} {currency}, asked {amount}).",
                code="balance_insufficient",
            )
        transfer_id = _new_id("tr_")
        payment_id = _new_id("py_")
        txn = self._ledger(
            "transfer", -amount, currency, transfer_id, description=_string(params, "description")
        )
        self._ledger("payment", amount, currency, payment_id, account=destination)
        transfer = {
            "id": transfer_id,
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "balance_transaction": txn["id"],
            "created": _now(),
            "currency": currency,
            "description": _string(params, "description"),
            "destination": destination,
            "destination_payment": payment_id,
            "livemode": False,
            "metadata": metadata,
            "reversals": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": f"/v1/transfers/{transfer_id}/reversals",
            },
            "reversed": False,
            "source_transaction": _string(params, "source_transaction"),
            "source_type": _string(params, "source_type") or "card",
            "transfer_group": _string(params, "transfer_group"),
        }
        self.transfers[transfer_id] = transfer
        self._emit("transfer.created", transfer)
        return transfer

    def _list_transfers(self, params, account):
        objects = [
            transfer
            for transfer in self.transfers.values()
            if all(
                params.get(name) in (None, "", transfer[name])
                for name in ("destination", "transfer_group")
            )
        ]
        return self._page(objects, params, "/v1/transfers", {"destination", "transfer_group"})

    def _get_transfer(self, params, account, id):
        _only(params, {"expand"})
        return self._find(self.transfers, id, "transfer")

    def _reverse(
        self, transfer_id: str, amount: int | None, metadata=None, description=None
    ) -> dict:
        transfer = self._find(self.transfers, transfer_id, "transfer")
        remaining = transfer["amount"] - transfer["amount_reversed"]
        amount = remaining if amount is None else amount
        if remaining == 0:
            raise _Refusal(
                400,
                f"Transfer {transfer_id} has already been fully reversed.",
                code="transfer_already_reversed",
            )
        if amount > remaining:
            raise _Refusal(
                400,
                f"Reversal amount ({_yen(amount)}) is greater than the amount left on the transfer ({_yen(remaining)}).",
                code="amount_too_large",
                param="amount",
            )
        destination = transfer["destination"]
        if self._available(transfer["currency"], destination) < amount:
            raise _Refusal(
                400,
                "Insufficient funds in the destination account to reverse this transfer "
                "(it has been paid out to the bank).",
                code="balance_insufficient",
            )
        reversal_id = _new_id("trr_")
        txn = self._ledger("transfer_refund", amount, transfer["currency"], reversal_id)
        refund_id = _new_id("pyr_")
        self._ledger(
            "payment_refund", -amount, transfer["currency"], refund_id, account=destination
        )
        reversal = {
            "id": reversal_id,
            "object": "transfer_reversal",
            "amount": amount,
            "balance_transaction": txn["id"],
            "created": _now(),
            "currency": transfer["currency"],
            "destination_payment_refund": refund_id,
            "livemode": False,
            "metadata": metadata or {},
            "source_refund": None,
            "transfer": transfer_id,
        }
        self.reversals[reversal_id] = reversal
        previous = {"amount_reversed": transfer["amount_reversed"]}
        transfer["amount_reversed"] += amount
        if transfer["amount_reversed"] == transfer["amount"]:
            previous["reversed"] = False
            transfer["reversed"] = True
        reversals = transfer["reversals"]
        reversals["data"].insert(0, reversal)
        reversals["total_count"] += 1
        self._emit("transfer.reversed", transfer)
        self._emit("transfer.updated", transfer, previous=previous)
        return reversal

    def _create_reversal(self, params, account, id):
        _only(params, {"amount", "description", "metadata", "refund_application_fee", "expand"})
        self._find(self.transfers, id, "transfer")
        amount = _integer(params, "amount", minimum=1)
        return self._reverse(id, amount, _metadata(params), _string(params, "description"))

    def reverse(self, transfer_id: str, amount: int | None = None) -> dict:
        """Reverse a transfer (all that is left by default), as the Dashboard would."""

        def reverse():
            try:
                return _snapshot(self._reverse(transfer_id, amount))
            except _Refusal as refusal:
                raise ValueError(refusal.error["message"]) from None

        return self._change(reverse)

    def _list_reversals(self, params, account, id):
        self._find(self.transfers, id, "transfer")
        objects = [reversal for reversal in self.reversals.values() if reversal["transfer"] == id]
        return self._page(objects, params, f"/v1/transfers/{id}/reversals")

    def _get_reversal(self, params, account, id, rid):
        _only(params, {"expand"})
        self._find(self.transfers, id, "transfer")
        reversal = self._find(self.reversals, rid, "transfer reversal")
        if reversal["transfer"] != id:
            raise _Refusal(
                404,
                f"No such transfer reversal: '{rid}'",
                code="resource_missing",
                param="id",
                stored=False,
            )
        return reversal

    def transfers_to(self, account_id: str) -> int:
        """Money actually moved to that account: transferred minus reversed."""
        with self._lock:
            return sum(
                transfer["amount"] - transfer["amount_reversed"]
                for transfer in self.transfers.values()
                if transfer["destination"] == account_id
            )

    # --- Checkout ------------------------------------------------------------------------

    def _create_session(self, params, account):
        _only(
            params,
            {
                "mode",
                "line_items",
                "payment_method_types",
                "payment_method_options",
                "success_url",
                "cancel_url",
                "customer_email",
                "client_reference_id",
                "metadata",
                "expires_at",
                "locale",
                "submit_type",
                "payment_intent_data",
                "billing_address_collection",
                "allow_promotion_codes",
                "ui_mode",
                "expand",
            },
        )
        mode = _choice(params, "mode", ("payment", "setup", "subscription"), required=True)
        if mode != "payment":
            raise _invalid("The stand-in models mode=payment only.", "mode")
        items = params.get("line_items")
        if not items:
            raise _missing("line_items")
        if not isinstance(items, list):
            raise _invalid("Invalid array", "line_items")
        currencies, total, line_items = set(), 0, []
        for index, item in enumerate(items):
            label = f"line_items[{index}]"
            if not isinstance(item, dict):
                raise _invalid("Invalid object", label)
            _only(item, {"price_data", "quantity", "price"}, f"{label}.")
            if "price" in item:
                raise _invalid("The stand-in has no Prices: use price_data.", f"{label}[price]")
            price = _dict(item, "price_data", f"{label}[price_data]")
            if not price:
                raise _missing(f"{label}[price_data]")
            _only(
                price,
                {"currency", "unit_amount", "product_data", "product", "tax_behavior"},
                f"{label}[price_data].",
            )
            currency = _currency(price, label=f"{label}[price_data][currency]")
            unit_amount = _integer(
                price,
                "unit_amount",
                required=True,
                minimum=0,
                label=f"{label}[price_data][unit_amount]",
            )
            product = _dict(price, "product_data", f"{label}[price_data][product_data]")
            name = _string(
                product, "name", required=True, label=f"{label}[price_data][product_data][name]"
            )
            quantity = _integer(
                item, "quantity", required=True, minimum=1, label=f"{label}[quantity]"
            )
            currencies.add(currency)
            total += unit_amount * quantity
            line_items.append(
                {
                    "name": name,
                    "unit_amount": unit_amount,
                    "quantity": quantity,
                    "currency": currency,
                }
            )
        if len(currencies) > 1:
            raise _invalid("All line items must have the same currency.", "line_items")
        (currency,) = currencies
        if total < 50:
            raise _invalid(
                f"The Checkout Session's total amount due must add up to at least {_yen(50) if currency == 'jpy' else '50'} {currency}",
                None,
                "amount_too_small",
            )
        if total > 99_999_999:
            raise _invalid(
                "The Checkout Session's total amount due is too large.", None, "amount_too_large"
            )
        methods = params.get("payment_method_types") or ["card"]
        if not isinstance(methods, list):
            raise _invalid("Invalid array", "payment_method_types")
        for index, method in enumerate(methods):
            if method not in ("card", "konbini"):
                raise _invalid(
                    f"The payment method type provided: {method} is invalid (the stand-in models card and konbini).",
                    f"payment_method_types[{index}]",
                )
        options = _dict(params, "payment_method_options")
        _only(options, {"card", "konbini"}, "payment_method_options.")
        session_options = {}
        if "konbini" in methods:
            if currency != "jpy":
                raise _invalid(
                    f"The currency provided ({currency}) is invalid for one or more payment method "
                    "types on this Checkout Session. The payment method `konbini` only supports "
                    "the following currencies: jpy.",
                    "payment_method_types",
                )
            if not KONBINI_MINIMUM <= total <= KONBINI_MAXIMUM:
                raise _invalid(
                    f"Konbini payments must be between {_yen(KONBINI_MINIMUM)} and {_yen(KONBINI_MAXIMUM)} (this session: {_yen(total)}).",
                    "payment_method_types",
                )
            konbini = _dict(options, "konbini", "payment_method_options[konbini]")
            _only(konbini, {"expires_after_days"}, "payment_method_options[konbini].")
            days = _integer(
                konbini,
                "expires_after_days",
                minimum=1,
                maximum=60,
                label="payment_method_options[konbini][expires_after_days]",
            )
            session_options["konbini"] = {"expires_after_days": days if days is not None else 3}
        elif options.get("konbini"):
            raise _invalid(
                "payment_method_options[konbini] was given but konbini is not in payment_method_types.",
                "payment_method_options[konbini]",
            )
        now = _now()
        expires_at = _integer(params, "expires_at")
        if expires_at is None:
            expires_at = now + 24 * 3600
        elif expires_at < now + 30 * 60:
            raise _invalid(
                "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
                "expires_at",
            )
        elif expires_at > now + 24 * 3600:
            raise _invalid(
                "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
                "expires_at",
            )
        session_id = _new_id("cs_test_", 16)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": _url(params, "cancel_url"),
            "client_reference_id": _string(params, "client_reference_id"),
            "created": now,
            "currency": currency,
            "customer": None,
            "customer_details": None,
            "customer_email": _string(params, "customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "locale": _string(params, "locale"),
            "metadata": _metadata(params),
            "mode": mode,
            "payment_intent": None,
            "payment_method_options": session_options,
            "payment_method_types": list(methods),
            "payment_status": "unpaid",
            "status": "open",
            "submit_type": _string(params, "submit_type"),
            "success_url": _url(params, "success_url"),
            "ui_mode": "hosted",
            "url": f"{self.url}/checkout/pay/{session_id}",
        }
        intent_data = _dict(params, "payment_intent_data")
        self._line_items[session_id] = line_items
        self._intent_metadata[session_id] = _metadata(intent_data) if intent_data else {}
        self.checkout_sessions[session_id] = session
        return session

    def _list_sessions(self, params, account):
        objects = [
            session
            for session in self.checkout_sessions.values()
            if all(
                params.get(name) in (None, "", session[name])
                for name in ("status", "payment_intent")
            )
        ]
        return self._page(objects, params, "/v1/checkout/sessions", {"status", "payment_intent"})

    def _get_session(self, params, account, id):
        _only(params, {"expand"})
        return self._find(self.checkout_sessions, id, "checkout.session")

    def _expire_session(self, params, account, id):
        _only(params, {"expand"})
        session = self._find(self.checkout_sessions, id, "checkout.session")
        if session["status"] != "open":
            raise _Refusal(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. This session has status "{session["status"]}".',
            )
        session.update({"status": "expired", "url": None})
        self._emit("checkout.session.expired", session)
        return session

    def _get_payment_intent(self, params, account, id):
        _only(params, {"expand"})
        return self._find(self.payment_intents, id, "payment_intent")

    def _intent(self, session: dict, method: str, succeeded: bool) -> dict:
        now = _now()
        intent = {
            "id": _new_id("pi_"),
            "object": "payment_intent",
            "amount": session["amount_total"],
            "amount_received": 0,
            "created": now,
            "currency": session["currency"],
            "latest_charge": None,
            "livemode": False,
            "metadata": dict(self._intent_metadata.get(session["id"], {})),
            "next_action": None,
            "payment_method_types": [method],
            "status": "requires_action",
        }
        if method == "konbini":
            days = session["payment_method_options"]["konbini"]["expires_after_days"]
            intent["next_action"] = {
                "type": "konbini_display_details",
                "konbini_display_details": {
                    "expires_at": now + days * 86400,
                    "hosted_voucher_url": None,
                },
            }
        self.payment_intents[intent["id"]] = intent
        if succeeded:
            self._charge(intent)
        return intent

    def _charge(self, intent: dict) -> None:
        charge_id = _new_id("ch_")
        self._ledger("charge", intent["amount"], intent["currency"], charge_id)
        intent.update(
            {
                "amount_received": intent["amount"],
                "latest_charge": charge_id,
                "next_action": None,
                "status": "succeeded",
            }
        )

    def _checkout_page(self, method: str, session_id: str, params: dict) -> Reply:
        session = self.checkout_sessions.get(session_id)
        if session is None:
            return _html_reply(
                404, _page("お支払いが見つかりません", "<p>このお支払いページはありません。</p>")
            )
        if session["status"] != "open":
            said = (
                "このお支払いは完了しています。"
                if session["status"] == "complete"
                else "このお支払いの期限が切れました。"
            )
            return _html_reply(200, self._checkout_html(session, notice=said))
        if method == "GET":
            return _html_reply(200, self._checkout_html(session))
        chosen = params.get("method") or ("card" if "card" in params else "")
        if chosen not in session["payment_method_types"]:
            return _html_reply(
                400, self._checkout_html(session, error="この支払い方法は使えません。")
            )
        if chosen == "card":
            number = re.sub(r"[\s-]", "", params.get("card") or "")
            if not number:
                return _html_reply(
                    200, self._checkout_html(session, error="カード番号を入力してください。")
                )
            if number in DECLINED_CARDS:
                return _html_reply(
                    200,
                    self._checkout_html(
                        session, error=DECLINED_CARDS[number][1], card=params.get("card")
                    ),
                )
            if number not in SUCCEEDING_CARDS:
                return _html_reply(
                    200,
                    self._checkout_html(
                        session,
                        error="カード番号が正しくありません（テストモードではテスト用のカード番号を使ってください）。",
                        card=params.get("card"),
                    ),
                )
            intent = self._intent(session, "card", succeeded=True)
            session["payment_status"] = "paid"
        else:
            intent = self._intent(session, "konbini", succeeded=False)
        session.update(
            {
                "customer_details": {
                    "email": session["customer_email"],
                    "name": None,
                    "phone": None,
                },
                "payment_intent": intent["id"],
                "status": "complete",
                "url": None,
            }
        )
        self._emit("checkout.session.completed", session)
        if session["success_url"]:
            return _redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id))
        return _html_reply(
            200, self._checkout_html(session, notice="お支払い手続きが完了しました。")
        )

    def _checkout_html(
        self, session: dict, *, error: str = "", notice: str = "", card: str | None = None
    ) -> str:
        rows = "".join(
            f"<li>{html.escape(item['name'])} × {item['quantity']}：{_yen(item['unit_amount'] * item['quantity']) if item['currency'] == 'jpy' else item['unit_amount'] * item['quantity']}</li>"
            for item in self._line_items.get(session["id"], [])
        )
        total = (
            _yen(session["amount_total"])
            if session["currency"] == "jpy"
            else f"{session['amount_total']} {session['currency']}"
        )
        parts = [f'<p role="alert" id="error">{html.escape(error)}</p>' if error else ""]
        parts.append(f"<ul>{rows}</ul><p>合計：<strong>{total}</strong></p>")
        if notice:
            parts.append(f"<p>{html.escape(notice)}</p>")
        else:
            action = f"/checkout/pay/{html.escape(session['id'])}"
            if "card" in session["payment_method_types"]:
                invalid = (
                    ' aria-invalid="true" aria-describedby="error card-hint"'
                    if error
                    else ' aria-describedby="card-hint"'
                )
                parts.append(
                    f"""<section aria-labelledby="card-heading"><h2 id="card-heading">カードで支払う</h2>
<form method="post" action="{action}">
<input type="hidden" name="method" value="card">
<label for="card">カード番号</label>
<input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="{html.escape(card or "")}"{invalid}>
<p id="card-hint">テスト用カード：成功 4242 4242 4242 4242、拒否 4000 0000 0000 0002</p>
<button type="submit">カードで支払う</button>
</form></section>"""
                )
            if "konbini" in session["payment_method_types"]:
                days = session["payment_method_options"]["konbini"]["expires_after_days"]
                parts.append(
                    f"""<section aria-labelledby="konbini-heading"><h2 id="konbini-heading">コンビニで支払う</h2>
<p>お支払い番号を発行します。{days} 日以内にコンビニでお支払いください。</p>
<form method="post" action="{action}">
<input type="hidden" name="method" value="konbini">
<button type="submit">コンビニで支払う</button>
</form></section>"""
                )
            if session["cancel_url"]:
                parts.append(
                    f'<p><a href="{html.escape(session["cancel_url"])}">支払わずに戻る</a></p>'
                )
        return _page("お支払い", "\n".join(part for part in parts if part))

    def _konbini_settle(self, session_id: str, paid: bool) -> dict:
        session = self._find(self.checkout_sessions, session_id, "checkout.session")
        intent = self.payment_intents.get(session["payment_intent"] or "")
        if (
            session["status"] != "complete"
            or session["payment_status"] != "unpaid"
            or intent is None
            or intent["status"] != "requires_action"
        ):
            raise ValueError(f"{session_id} is not a konbini payment waiting to be paid.")
        if paid:
            self._charge(intent)
            session["payment_status"] = "paid"
            self._emit("checkout.session.async_payment_succeeded", session)
        else:
            intent.update({"status": "canceled", "next_action": None})
            self._emit("checkout.session.async_payment_failed", session)
        return _snapshot(session)

    def konbini_paid(self, session_id: str) -> dict:
        """The customer paid at the konbini: the session is paid, the money arrives."""
        return self._change(self._konbini_settle, session_id, True)

    def konbini_failed(self, session_id: str) -> dict:
        """The konbini voucher expired unpaid."""
        return self._change(self._konbini_settle, session_id, False)

    # --- Events --------------------------------------------------------------------------

    def _list_events(self, params, account):
        kind = params.get("type")
        kinds = params.get("types") or []

        def wanted(event):
            if event.get("account") != account:
                return False
            if kind and not (
                event["type"] == kind
                or (kind.endswith(".*") and event["type"].startswith(kind[:-1]))
            ):
                return False
            return not kinds or event["type"] in kinds

        objects = [event for event in self.events if wanted(event)]
        return self._page(objects, params, "/v1/events", {"type", "types", "delivery_success"})

    def _get_event(self, params, account, id):
        _only(params, {"expand"})
        event = self._find(self._event_index, id, "event")
        if event.get("account") != account:
            raise _Refusal(
                404, f"No such event: '{id}'", code="resource_missing", param="id", stored=False
            )
        return event

    # --- Payouts (on connected accounts) -------------------------------------------------

    def emit_payout(self, account_id: str, amount: int, status: str = "paid") -> dict:
        """Stripe paying a connected account's balance out to its bank (or failing to):
        a payout on that account and its `payout.paid`/`payout.failed` event."""
        if status not in ("paid", "failed"):
            raise ValueError("status is 'paid' or 'failed'")

        def payout():
            account = self._find(self.accounts, account_id, "account")
            now = _now()
            payout_id = _new_id("po_")
            currency = account["default_currency"]
            txn = self._ledger("payout", -amount, currency, payout_id, account=account_id)
            new = {
                "id": payout_id,
                "object": "payout",
                "amount": amount,
                "arrival_date": now,
                "automatic": True,
                "balance_transaction": txn["id"],
                "created": now,
                "currency": currency,
                "description": "STRIPE PAYOUT",
                "destination": "ba_" + secrets.token_hex(12),
                "failure_balance_transaction": None,
                "failure_code": None,
                "failure_message": None,
                "livemode": False,
                "metadata": {},
                "method": "standard",
                "source_type": "card",
                "statement_descriptor": None,
                "status": status,
                "type": "bank_account",
            }
            if status == "failed":
                back = self._ledger(
                    "payout_failure", amount, currency, payout_id, account=account_id
                )
                new.update(
                    {
                        "failure_balance_transaction": back["id"],
                        "failure_code": "account_closed",
                        "failure_message": "The bank account has been closed.",
                    }
                )
            self.payouts[payout_id] = new
            self._owner[payout_id] = account_id
            self._emit(f"payout.{status}", new, account=account_id)
            return _snapshot(new)

        return self._change(payout)

    def _list_payouts(self, params, account):
        objects = [
            payout
            for payout_id, payout in self.payouts.items()
            if self._on(payout_id, account) and params.get("status") in (None, "", payout["status"])
        ]
        return self._page(objects, params, "/v1/payouts", {"status", "arrival_date", "destination"})

    def _get_payout(self, params, account, id):
        _only(params, {"expand"})
        if id not in self.payouts or not self._on(id, account):
            raise _Refusal(
                404, f"No such payout: '{id}'", code="resource_missing", param="id", stored=False
            )
        return self.payouts[id]

    # --- Inspection ----------------------------------------------------------------------

    def requests_to(self, method: str, path_prefix: str) -> list[Recorded]:
        with self._lock:
            return [
                request
                for request in self.requests
                if request.method == method.upper() and request.path.startswith(path_prefix)
            ]


def _page(title: str, content: str) -> str:
    return f"""<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}（Stripe スタンドイン）</title></head>
<body>
<main>
<h1>{html.escape(title)}</h1>
{content}
</main>
</body>
</html>
"""


@pytest.fixture
def stripe_standin(settings):
    """A running stand-in, and the settings our Stripe code reads pointing at it. Set
    `stripe_standin.webhook_url` (e.g. live_server.url + the webhook path) to have its
    events delivered."""
    with StripeStandIn() as standin:
        settings.STRIPE_API_BASE = standin.url
        settings.STRIPE_SECRET_KEY = TEST_API_KEY
        settings.STRIPE_WEBHOOK_SECRET = standin.webhook_secret
        yield standin
