"""A stand-in CKAN catalog on 127.0.0.1, answering with the recorded responses in ckan/.

No CKAN site is reachable from here, so tests start this real HTTP server and the
importer goes through its real code path (requests, sockets, time-outs) against it.
"""

import json
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).with_name("ckan")


def recorded(name: str):
    """A recorded response, parsed, to serve as it is or changed the way a test says."""
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def recorded_bytes(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


@dataclass
class Reply:
    body: bytes
    status: int = 200
    content_type: str = "application/json;charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # before the status line: the read time-out trips
    stall_after: int | None = None  # send this many bytes of the body, then go quiet
    drip: float = 0.0  # seconds between single bytes of the body


@dataclass
class Request:
    path: str
    query: dict
    headers: dict


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # the name http.server calls
        catalog = self.server.catalog
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        catalog.requests.append(Request(parts.path, query, dict(self.headers)))
        reply = catalog.routes.get(parts.path) or Reply(
            b"<html><body><h1>404 Not Found</h1></body></html>",
            status=404,
            content_type="text/html",
        )
        try:
            self._send(reply, catalog.stopping)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first, as a time-out test wants

    def _send(self, reply: Reply, stopping: threading.Event):
        if reply.delay and stopping.wait(reply.delay):
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if reply.stall_after is not None:
            self.wfile.write(reply.body[: reply.stall_after])
            self.wfile.flush()
            stopping.wait(30)
            return
        if reply.drip:
            for index in range(len(reply.body)):
                self.wfile.write(reply.body[index : index + 1])
                self.wfile.flush()
                if stopping.wait(reply.drip):
                    return
            return
        self.wfile.write(reply.body)

    def log_message(self, format, *args):  # http.server's signature
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (a time-out test) resets the kept-alive connection.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StandInCatalog:
    """`answer(action, body, ...)` sets what an Action API call gets; `requests` lists
    what was asked; `url` is the catalog's base address."""

    def __init__(self):
        self.routes: dict[str, Reply] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.catalog = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def answer(self, action: str, body, **reply) -> None:
        """`body`: a recorded file's name, a dict to send as JSON, or bytes as they are."""
        if isinstance(body, str):
            body = recorded_bytes(body)
        elif not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        self.routes[f"/api/3/action/{action}"] = Reply(body, **reply)

    def asked(self, action: str) -> list[Request]:
        return [r for r in self.requests if r.path == f"/api/3/action/{action}"]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()  # ends the handlers that sleep or stall
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
