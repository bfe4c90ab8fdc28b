"""What staff do in the admin: invite members, publish documents with a notice, replace files."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from advisory_board.models import Document, DocumentVersion, Person

from ..factories import NO_EARLIER_VERSIONS, login_as, make_document, publish_and_notify

pytestmark = pytest.mark.django_db


def test_invitation_lets_a_person_set_a_password_and_log_in(
    client, world, django_capture_on_commit_callbacks
):
    person = Person.objects.create(first_name="Neu", last_name="Mitglied", email="Neu@Example.org")
    login_as(client, world["users"]["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/verwaltung/advisory_board/person/",
            {"action": "send_invitation", "_selected_action": [person.pk]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@example.org"]
    assert "Mitgliederbereich" in message.subject
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+)", message.body).group(1)

    client.logout()
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"password1": "ein-sicheres-passwort-2026", "password2": "ein-sicheres-passwort-2026"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="neu@example.org")
    person.refresh_from_db()
    assert person.user == user

    response = client.post(
        reverse("account_login"),
        {"login": "neu@example.org", "password": "ein-sicheres-passwort-2026"},
    )
    assert response.status_code == 302
    # The link works only once.
    assert client.get(link, follow=True).context["token_fail"] is True


def test_publishing_documents_mails_each_current_member_once(
    client, world, django_capture_on_commit_callbacks
):
    meeting = world["meeting"]
    first = make_document(meeting, "Neue Einladung", released=False)
    second = make_document(meeting, "Neue Präsentation", released=False)
    make_document(meeting, "Nur intern", visibility="redaktion", released=False)
    login_as(client, world["users"]["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_notify(client, meeting)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["mitglied@example.org"]
    body = mail.outbox[0].body
    assert "Neue Einladung" in body and "Neue Präsentation" in body and "Nur intern" not in body
    assert f"http://testserver{first.get_absolute_url()}" in body
    first.refresh_from_db(), second.refresh_from_db()
    assert first.published_at and second.published_at and first.notified_at

    # Running the action again sends nothing new.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_and_notify(client, meeting)
    assert not [m for m in mail.outbox if "Neue Einladung" in m.body]


def test_new_file_replaces_the_document_as_a_new_version(client, world):
    document = world["documents"]["members"]
    login_as(client, world["users"]["staff"])
    response = client.post(
        f"/verwaltung/advisory_board/document/{document.pk}/change/",
        {
            "meeting": document.meeting_id,
            "kind": document.kind,
            "title": document.title,
            "visibility": document.visibility,
            "file": SimpleUploadedFile("fassung2.pdf", b"%PDF-1.4 Fassung 2"),
            "published_at_0": "01.01.2020",
            "published_at_1": "10:00:00",
            **NO_EARLIER_VERSIONS,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.version == 2
    assert DocumentVersion.objects.get(document=document).version == 1
    login_as(client, world["users"]["member"])
    download = client.get(document.get_absolute_url())
    assert b"".join(download.streaming_content) == b"%PDF-1.4 Fassung 2"


def test_html_disguised_as_pdf_is_rejected(client, world):
    login_as(client, world["users"]["staff"])
    response = client.post(
        "/verwaltung/advisory_board/document/add/",
        {
            "meeting": world["meeting"].pk,
            "kind": "protokoll",
            "title": "Getarnt",
            "visibility": "mitglieder",
            "file": SimpleUploadedFile("protokoll.pdf", b"<html><script>alert(1)</script>"),
            **NO_EARLIER_VERSIONS,
        },
    )
    assert response.status_code == 200
    assert "Dieser Dateityp ist nicht erlaubt" in response.content.decode()
    assert not Document.objects.filter(title="Getarnt").exists()


def test_x_accel_redirect_hands_the_file_to_nginx(client, world, settings):
    settings.KOSS_X_ACCEL_REDIRECT_PREFIX = "/geschuetzt/"
    document = world["documents"]["public"]
    response = client.get(document.get_absolute_url())
    assert response["X-Accel-Redirect"] == "/geschuetzt/" + document.file.name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_old_download_records_are_pruned(world, settings):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from advisory_board.models import DownloadLog

    settings.KOSS_DOWNLOAD_LOG_RETENTION_DAYS = 30
    document = world["documents"]["members"]
    old = DownloadLog.objects.create(document=document, user=world["users"]["member"], version=1)
    recent = DownloadLog.objects.create(document=document, user=world["users"]["member"], version=1)
    DownloadLog.objects.filter(pk=old.pk).update(
        downloaded_at=timezone.now() - datetime.timedelta(days=31)
    )
    call_command("prune_download_log", verbosity=0)
    assert list(DownloadLog.objects.all()) == [recent]


def test_staff_see_who_changed_what(client, world):
    from advisory_board.models import Meeting

    login_as(client, world["users"]["staff"])
    meeting = world["meeting"]
    client.post(
        f"/verwaltung/advisory_board/meeting/{meeting.pk}/change/",
        {
            "board": meeting.board_id,
            "number": meeting.number,
            "starts_at_0": "20.01.2027",
            "starts_at_1": "14:00:00",
            "location": "Neuer Ort",
            "status": Meeting.Status.PLANNED,
            **{
                f"{prefix}-{key}": value
                for prefix in ("agenda_items", "documents", "outcomes", "replies", "attendance")
                for key, value in {
                    "TOTAL_FORMS": "0",
                    "INITIAL_FORMS": "0",
                    "MIN_NUM_FORMS": "0",
                    "MAX_NUM_FORMS": "1000",
                }.items()
            },
        },
    )
    log = client.get("/verwaltung/admin/logentry/").content.decode()
    assert str(meeting) in log or "Sitzung" in log
    assert "redaktion@example.org" in log
