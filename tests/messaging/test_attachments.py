import pytest
from django.core.exceptions import ValidationError

from messaging import services
from messaging.attachments import MAX_ATTACHMENT_BYTES, check_uploads

from .factories import PDF_BYTES, application_thread, huge_png_header, jpeg_bytes, png_bytes, upload


def problem(uploads):
    with pytest.raises(ValidationError) as error:
        check_uploads(uploads)
    return error.value.code


def test_images_and_pdfs_are_judged_by_their_content():
    accepted = check_uploads(
        [
            # The name and the browser's type say nothing; the bytes decide.
            upload("photo.pdf", png_bytes(), "application/pdf"),
            upload("写真", jpeg_bytes()),
            upload("flyer.PDF", PDF_BYTES),
        ]
    )
    assert [(kind, extension) for _, kind, extension in accepted] == [
        ("image/png", "png"),
        ("image/jpeg", "jpg"),
        ("application/pdf", "pdf"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"just some text pretending to be an image",
        b"\x89PNG\r\n\x1a\n but then no image at all",
        b"MZ\x90\x00 an executable",
    ],
    ids=["html", "text", "broken-png", "exe"],
)
def test_anything_else_is_refused_whatever_its_name(content):
    assert problem([upload("image.png", content, "image/png")]) == "file_type"


def test_an_image_claiming_enormous_dimensions_is_refused_not_a_crash():
    assert problem([upload("bomb.png", huge_png_header(), "image/png")]) == "file_type"


def test_files_over_5_mb_are_refused():
    big = png_bytes() + b"\0" * (MAX_ATTACHMENT_BYTES + 1)
    assert problem([upload("big.png", big, "image/png")]) == "too_large"
    exactly = PDF_BYTES + b"\0" * (MAX_ATTACHMENT_BYTES - len(PDF_BYTES))
    assert len(check_uploads([upload("ok.pdf", exactly)])) == 1


def test_at_most_three_files_per_message():
    assert problem([upload(f"{n}.png", png_bytes()) for n in range(4)]) == "too_many"
    assert len(check_uploads([upload(f"{n}.png", png_bytes()) for n in range(3)])) == 3


@pytest.mark.django_db
def test_a_message_may_be_just_files_and_keeps_their_names(private_storage):
    thread = application_thread()

    message = services.send_message(
        thread.member,
        thread.conversation.pk,
        files=[upload("チラシ案.pdf", PDF_BYTES), upload("店頭.png", png_bytes())],
    )

    stored = list(message.attachments.all())
    assert [(a.name, a.content_type, a.is_image) for a in stored] == [
        ("チラシ案.pdf", "application/pdf", False),
        ("店頭.png", "image/png", True),
    ]
    assert stored[0].file.read() == PDF_BYTES
    # Stored under a name of its own, in the private storage.
    assert private_storage.exists(stored[1].file.name)
    assert stored[1].file.name.endswith(".png") and "店頭" not in stored[1].file.name


@pytest.mark.django_db
def test_a_refused_file_stores_no_message(private_storage):
    thread = application_thread()
    with pytest.raises(ValidationError):
        services.send_message(
            thread.member,
            thread.conversation.pk,
            body="資料です",
            files=[upload("notes.png", b"plain text", "image/png")],
        )
    assert thread.conversation.messages.count() == 1
