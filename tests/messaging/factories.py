"""Conversations built the way users build them: a resident applies to a task."""

import struct
import zlib
from dataclasses import dataclass
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace import services as board
from messaging import services
from messaging.models import Conversation
from tests.marketplace import factories as f

OPENING = "はじめまして。SNS運用を5年やっています。ぜひお手伝いさせてください。"


@dataclass
class Thread:
    """An application and the conversation it opened."""

    application: object
    conversation: Conversation
    resident: object
    member: object
    task: object

    def refresh(self) -> Conversation:
        self.conversation.refresh_from_db()
        return self.conversation


def application_thread(
    *, org=None, task=None, resident=None, title=None, opening=OPENING, **resident_fields
):
    """A resident applied to an organization's task; the conversation has message 1."""
    org = org or (task.organization if task else f.organization())
    member = org.memberships.first().user
    task = task or f.task(org, **({"title": title} if title else {}))
    resident = resident or f.resident(**resident_fields)
    application = board.apply_to_task(resident, task, opening)
    conversation = services.conversation_for(application)
    return Thread(application, conversation, resident, member, task)


def png_bytes(size=(4, 3), color=(200, 30, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(4, 3)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def huge_png_header() -> bytes:
    """A tiny file that claims to be a 30000×30000 image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
