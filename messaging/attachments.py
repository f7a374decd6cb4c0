"""Which files may be attached to a message, judged by their content, not their name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

# Leading bytes of each accepted type. The browser's Content-Type and the file name are
# whatever the sender says, so neither is trusted.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"%PDF-", "application/pdf", "pdf"),
]


def _sniff(head: bytes) -> tuple[str, str] | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def inspect_upload(upload) -> tuple[str, str]:
    """(content type, extension) of an accepted upload; ValidationError otherwise."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(MAX_ATTACHMENT_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    kind = _sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not an image (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": upload.name},
            code="file_type",
        )
    if kind[0].startswith("image/"):
        try:
            Image.open(upload).verify()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
        ) as error:
            raise ValidationError(
                _("%(name)s could not be read as an image.") % {"name": upload.name},
                code="file_type",
            ) from error
        finally:
            upload.seek(0)
    return kind


def check_uploads(uploads) -> list[tuple[object, str, str]]:
    """Every upload with its content type and extension, or the first problem found."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(n)d files to one message.") % {"n": MAX_ATTACHMENTS},
            code="too_many",
        )
    return [(upload, *inspect_upload(upload)) for upload in uploads]
