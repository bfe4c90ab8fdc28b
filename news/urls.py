from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", feeds.LatestArticlesFeed(), name="rss"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/bild/", views.article_image, name="image"),
    path("<slug:slug>/anhang/<int:pk>/", views.attachment_download, name="attachment"),
]
