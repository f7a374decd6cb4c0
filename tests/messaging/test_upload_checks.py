"""What a sender's files are offered as, and how too large ones are stopped."""

import re
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from messaging.attachments import MAX_ATTACHMENT_BYTES, offered_name
from messaging.models import Attachment

from .factories import PDF_BYTES, application_thread, jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
TOO_LARGE = "The files are too large: at most 5.0\xa0MB each, 3 per message."


def english_conversation_url(thread):
    with translation.override("en"):
        return reverse("messaging:conversation", args=[thread.conversation.pk])


def send_files(client, thread, *files, body="資料を送ります"):
    response = client.post(
        reverse("messaging:conversation", args=[thread.conversation.pk]),
        {"client_id": str(uuid.uuid4()), "body": body, "files": list(files)},
    )
    assert response.status_code == 302
    return list(Attachment.objects.filter(message__conversation=thread.conversation))


def download(client, attachment):
    response = client.get(reverse("messaging:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    response.content_bytes = b"".join(response.streaming_content)
    return response


# --- Names and types follow the content --------------------------------------------------


def test_a_png_named_pdf_is_stored_and_offered_as_a_png(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)
    image = png_bytes()

    (stored,) = send_files(client, thread, upload("photo.pdf", image, "application/pdf"))

    assert (stored.name, stored.content_type) == ("photo.png", "image/png")
    client.force_login(thread.resident)
    page = client.get(reverse("messaging:conversation", args=[thread.conversation.pk]))
    assert 'alt="photo.png"' in page.content.decode()
    assert "photo.pdf" not in page.content.decode()
    shown = download(client, stored)
    assert shown.content_bytes == image
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"] == 'inline; filename="photo.png"'


def test_a_pdf_named_html_downloads_as_a_pdf(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)

    (stored,) = send_files(client, thread, upload("invoice.html", PDF_BYTES, "text/html"))

    client.force_login(thread.resident)
    downloaded = download(client, stored)
    assert downloaded.content_bytes == PDF_BYTES
    assert downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert downloaded["X-Content-Type-Options"] == "nosniff"
    # Opened in the browser anyway, it could run nothing and reach nothing of the site.
    policy = downloaded["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy


def test_a_japanese_name_is_kept_in_filename_star(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)
    # As macOS sends it: ペ decomposed into ヘ and a combining mark.
    decomposed = "パンフレット\u30d8\u309aージ案（第2版）.pdf"

    (stored,) = send_files(client, thread, upload(decomposed, PDF_BYTES))

    assert stored.name == "パンフレットページ案（第2版）.pdf"
    disposition = download(client, stored)["Content-Disposition"]
    assert disposition == "attachment; filename*=utf-8''" + quote(stored.name)


def test_a_file_without_an_extension_gets_the_one_of_its_content(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)

    scan, photo = send_files(
        client, thread, upload("スキャン", PDF_BYTES), upload("IMG_0001", jpeg_bytes())
    )

    assert (scan.name, photo.name) == ("スキャン.pdf", "IMG_0001.jpg")
    assert download(client, photo)["Content-Disposition"] == 'inline; filename="IMG_0001.jpg"'


def test_a_file_stored_under_a_wrong_name_earlier_is_offered_under_a_right_one(
    client, private_storage
):
    thread = application_thread()
    client.force_login(thread.member)
    (stored,) = send_files(client, thread, upload("invoice.pdf", PDF_BYTES))
    Attachment.objects.filter(pk=stored.pk).update(name="invoice.html")

    disposition = download(client, stored)["Content-Disposition"]
    assert disposition == 'attachment; filename="invoice.pdf"'


@pytest.mark.parametrize(
    ("sent", "content_type", "offered"),
    [
        ("C:\\Users\\me\\Desktop\\見積書.pdf", "application/pdf", "見積書.pdf"),
        ("../../etc/passwd", "image/png", "passwd.png"),
        ("invoice\u202egnp.exe", "image/png", "invoicegnp.png"),
        ("line\r\nbreak.pdf", "application/pdf", "line  break.pdf"),
        ('a<b>:"c"|?.gif', "image/gif", "a_b___c___.gif"),
        ("写真.JPEG", "image/jpeg", "写真.jpeg"),
        ("flyer.PDF", "application/pdf", "flyer.pdf"),
        ("report.2024", "application/pdf", "report.2024.pdf"),
        ("企画書　最終版.docx", "application/pdf", "企画書　最終版.pdf"),
        (".pdf", "application/pdf", "attachment.pdf"),
        ("...", "image/webp", "attachment.webp"),
        ("", "image/png", "attachment.png"),
    ],
)
def test_offered_names_keep_the_senders_name_and_nothing_harmful(sent, content_type, offered):
    assert offered_name(sent, content_type) == offered


def test_long_names_are_cut_to_a_length_file_systems_take():
    name = offered_name("資料" * 200 + ".pdf", "application/pdf")
    assert name == "資料" * 25 + ".pdf"
    assert len(name.encode()) < 255


# --- Too large uploads are stopped while they arrive --------------------------------------

BOUNDARY = "----chat-upload-test"


class StreamedBody:
    """A multipart body made as the server reads it (30 MB is never in memory here);
    `consumed` is how much the server read."""

    def __init__(self, fields: dict, files: list[tuple[str, str, bytes, int]]):
        # Bytes as they are, or (first bytes, size) for file contents padded with zeros.
        pieces = [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        ]
        for name, filename, head, size in files:
            pieces.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'.encode()
            )
            pieces += [(head, size), b"\r\n"]
        pieces.append(f"--{BOUNDARY}--\r\n".encode())
        self.length = sum(p[1] if isinstance(p, tuple) else len(p) for p in pieces)
        self._chunks = self._generate(pieces)
        self._buffer = b""
        self.consumed = 0

    @staticmethod
    def _generate(pieces):
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            head, size = piece
            yield head
            for start in range(len(head), size, 64 * 1024):
                yield bytes(min(64 * 1024, size - start))

    def read(self, size=-1):
        while size is None or size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size is None or size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.consumed += len(data)
        return data

    def readline(self, size=-1):  # part of a WSGI input; the multipart parser does not use it
        raise NotImplementedError


def post_streamed(client, url, body, **headers):
    return client.generic(
        "POST",
        url,
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        },
        **headers,
    )


def csrf_token(client, url) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_30_mb_upload_is_refused_before_it_is_read(private_storage):
    thread = application_thread()
    client = Client(enforce_csrf_checks=True)  # the token, sent first, must still be read
    client.force_login(thread.member)
    url = english_conversation_url(thread)
    body = StreamedBody(
        {
            "csrfmiddlewaretoken": csrf_token(client, url),
            "client_id": uuid.uuid4(),
            "body": "見積もりを送ります",
        },
        [("files", "video.png", png_bytes(), 30 * MB)],
    )

    response = post_streamed(client, url, body)

    assert response.status_code == 413
    page = response.content.decode()
    assert TOO_LARGE in page
    assert "見積もりを送ります</textarea>" in page  # what was typed is not lost
    assert thread.conversation.messages.count() == 1
    assert not any(Path(private_storage.location).rglob("*.*"))
    assert body.consumed < MB  # about the fields and one chunk, not 30 MB


def test_one_file_over_5_mb_is_stopped_just_past_the_limit(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)
    body = StreamedBody(
        {"client_id": uuid.uuid4(), "body": "写真です"},
        [("files", "small.png", png_bytes(), 1000), ("files", "big.png", png_bytes(), 8 * MB)],
    )

    response = post_streamed(
        client, english_conversation_url(thread), body, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["message"].startswith(TOO_LARGE)
    assert thread.conversation.messages.count() == 1
    assert MAX_ATTACHMENT_BYTES < body.consumed < MAX_ATTACHMENT_BYTES + MB


def test_files_within_the_limits_are_read_in_full_and_sent(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)
    files = [("files", f"{n}.png", png_bytes(), MAX_ATTACHMENT_BYTES) for n in range(3)]
    body = StreamedBody({"client_id": uuid.uuid4(), "body": "3枚です"}, files)

    response = post_streamed(client, english_conversation_url(thread), body)

    assert response.status_code == 302
    assert body.consumed == body.length
    stored = Attachment.objects.filter(message__conversation=thread.conversation)
    assert [a.size for a in stored] == [MAX_ATTACHMENT_BYTES] * 3


def test_the_send_view_still_checks_csrf(private_storage):
    thread = application_thread()
    client = Client(enforce_csrf_checks=True)
    client.force_login(thread.member)

    response = client.post(
        english_conversation_url(thread), {"client_id": str(uuid.uuid4()), "body": "やあ"}
    )

    assert response.status_code == 403
    assert thread.conversation.messages.count() == 1
