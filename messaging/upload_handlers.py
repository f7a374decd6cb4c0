"""Stopping a message's files at the size limit while they stream in.

Django's own handlers write every upload out in full (to memory or a temporary file)
before messaging.attachments gets to refuse it; this handler, put in front of them by the
send view, gives up as soon as the upload can no longer be accepted.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS

MAX_FILES_BYTES = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES
# The files at their largest, with room for the text, the other fields and part headers.
MAX_REQUEST_BYTES = MAX_FILES_BYTES + 256 * 1024


def too_large_message() -> str:
    return _(
        "The files are too large: at most %(limit)s each, %(n)d per message. Nothing was "
        "sent; attach smaller files and send again."
    ) % {"limit": filesizeformat(MAX_ATTACHMENT_BYTES), "n": MAX_ATTACHMENTS}


class AttachmentLimitHandler(FileUploadHandler):
    """Passes each chunk on to the handlers after it; stops the upload once one file is over
    MAX_ATTACHMENT_BYTES or the request is over MAX_REQUEST_BYTES. `stopped` tells the view.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.stopped = False
        self.received = 0  # bytes of file content, all files together
        self._request_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Stopping here would lose the fields as well, the CSRF token and the typed text
        # among them. They come before the files in the form, so the first file stops it.
        self._request_too_large = content_length > MAX_REQUEST_BYTES

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if self._request_too_large or (content_length or 0) > MAX_ATTACHMENT_BYTES:
            self._stop()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if start + len(raw_data) > MAX_ATTACHMENT_BYTES or self.received > MAX_FILES_BYTES:
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one keep the file

    def _stop(self):
        self.stopped = True
        # connection_reset: without it Django would still read the rest, to throw it away.
        raise StopUpload(connection_reset=True)
