"""What every socket of the site shares: JSON frames parsed defensively.

A malformed frame (not JSON, binary, empty, too large, NaN or 1e999, nested too deep,
not an object) gets an error frame back and the connection stays open; the first one on
a connection is logged in one line, the rest only counted. A handler's own bug still
raises (and is logged with its traceback), as it should.
"""

import json
import logging
import math

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

logger = logging.getLogger("core.sockets")

MAX_FRAME = 64 * 1024  # characters; a message body is at most 4,000
REFUSED_NOT_FOUND = 4404


class BadFrame(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise BadFrame("bad_json", "numbers must be finite")
    return number


def _no_constants(name: str):
    raise BadFrame("bad_json", f"{name} is not JSON")


def parse_frame(text_data, bytes_data) -> dict:
    """The frame as a dict, or BadFrame saying what is wrong with it."""
    if bytes_data is not None or text_data is None:
        raise BadFrame("bad_request", "send JSON text frames")
    if len(text_data) > MAX_FRAME:
        raise BadFrame("too_large", f"frames are at most {MAX_FRAME} characters")
    try:
        content = json.loads(text_data, parse_float=_finite, parse_constant=_no_constants)
    except BadFrame:
        raise
    except (ValueError, RecursionError):
        raise BadFrame("bad_json", "not valid JSON") from None
    if not isinstance(content, dict):
        raise BadFrame("bad_request", "a frame is a JSON object")
    return content


class JsonSocketConsumer(AsyncJsonWebsocketConsumer):
    """AsyncJsonWebsocketConsumer that answers bad frames instead of dying on them."""

    bad_frames = 0

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            content = parse_frame(text_data, bytes_data)
        except BadFrame as error:
            await self._refuse_frame(error)
            return
        await self.receive_json(content, **kwargs)

    async def _refuse_frame(self, error: BadFrame) -> None:
        self.bad_frames += 1
        if self.bad_frames == 1:
            user = self.scope.get("user")
            logger.warning(
                "bad socket frame on %s from user %s: %s",
                self.scope.get("path"),
                getattr(user, "pk", None),
                error.code,
            )
        await self.send_json({"type": "error", "code": error.code, "message": str(error)})

    async def websocket_disconnect(self, message):
        if self.bad_frames > 1:
            logger.warning(
                "%d bad socket frames on %s in all", self.bad_frames, self.scope.get("path")
            )
        await super().websocket_disconnect(message)


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Any socket path nobody serves: refused with 4404, not a server error."""

    async def connect(self):
        await self.close(code=REFUSED_NOT_FOUND)
