"""Which files may be attached to a message, judged by their content, not their name."""

import re
import unicodedata

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


# The extension each accepted type is offered with, first, and others that mean the same.
EXTENSIONS = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
}
# Shown in the page; everything else (PDF) is only ever downloaded.
INLINE_TYPES = frozenset(kind for kind in EXTENSIONS if kind.startswith("image/"))

# Room for about 50 Japanese characters; file systems allow 255 bytes in all.
MAX_STEM_BYTES = 150
# What the sender's name ends with counts as an extension only if it looks like one.
_EXTENSION = re.compile(r"(?=.*[a-z])[a-z0-9]{1,5}", re.IGNORECASE)
# Not allowed in Windows file names.
_RESERVED = re.compile(r'[<>:"|?*]')


def offered_name(name: str, content_type: str) -> str:
    """The name a checked file is stored and downloaded under: the sender's base name, but
    always the extension of the type its content has (a PNG sent as photo.pdf is photo.png,
    so no program opens it as something else)."""
    extensions = EXTENSIONS.get(content_type, ("bin",))
    name = unicodedata.normalize("NFC", str(name or ""))  # macOS sends decomposed kana
    name = re.split(r"[/\\]", name)[-1]
    # Control and format characters go: a right-to-left override can make a name seem to
    # end in something it does not, and line breaks have no place in a header.
    name = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in name
        if unicodedata.category(char) not in ("Cf", "Co", "Cs", "Cn")
    )
    name = _RESERVED.sub("_", name)
    stem, dot, suffix = name.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(suffix):
        stem, suffix = name, ""
    extension = suffix.lower() if suffix.lower() in extensions else extensions[0]
    # Leading dots would hide the file; Windows drops trailing ones.
    stem = stem.strip().strip(".").strip()
    stem = stem.encode()[:MAX_STEM_BYTES].decode(errors="ignore").rstrip(" .")
    return f"{stem or 'attachment'}.{extension}"


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
