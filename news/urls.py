from django.urls import path

from koss.core.cache import public_page

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="rss"),
    path("atom/", public_page(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("abonnieren/", views.subscribe, name="subscribe"),
    path("abonnieren/presseliste/", views.press_signup, name="press_signup"),
    path("presseliste/bestaetigen/<slug:token>/", views.press_confirm, name="press_confirm"),
    path("presseliste/abmelden/<slug:token>/", views.press_unsubscribe, name="press_unsubscribe"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/bild/", views.article_image, name="image"),
    path("<slug:slug>/bild/<int:width>.<str:extension>", views.image_rendition, name="rendition"),
    path("<slug:slug>/bild/original/", views.original_image, name="original-image"),
    path("<slug:slug>/kalender.ics", views.article_calendar, name="calendar"),
    path("<slug:slug>/anhang/<int:pk>/", views.attachment_download, name="attachment"),
]
