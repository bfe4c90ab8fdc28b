from django.urls import path

from . import views

app_name = "advisory_board"

urlpatterns = [
    path("", views.board_index, name="index"),
    path("kalender.ics", views.public_calendar, name="calendar"),
    path("kalender/<slug:token>.ics", views.personal_calendar, name="personal_calendar"),
    path("intern/", views.members_area, name="members"),
    path("intern/kalender/", views.calendar_token, name="calendar_token"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("sitzungen/<int:pk>/antwort/", views.meeting_reply, name="reply"),
    path("sitzungen/<int:pk>/kalender.ics", views.meeting_calendar, name="meeting_calendar"),
    path("sitzungen/<int:pk>/dokumente.zip", views.meeting_zip, name="zip"),
    path("sitzungen/<int:pk>/sitzungsmappe.pdf", views.meeting_book_download, name="book"),
    path("termine/<int:pk>/", views.date_poll, name="date_poll"),
    path("dokumente/<int:pk>/", views.document_download, name="document"),
    path("dokumente/<int:pk>/kommentare/", views.minutes_comment, name="minutes_comment"),
    path(
        "dokumente/<int:pk>/fassung/<int:version>/",
        views.document_version,
        name="document_version",
    ),
    path("umlaufbeschluesse/<int:pk>/", views.vote_detail, name="vote"),
    path("umlaufbeschluesse/<int:pk>/stimme/", views.vote_cast, name="vote_cast"),
    path(
        "umlaufbeschluesse/<int:pk>/unterlagen/<int:doc>/",
        views.vote_document,
        name="vote_document",
    ),
]
