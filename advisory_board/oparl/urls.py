from django.urls import path

from . import views

app_name = "oparl"

urlpatterns = [
    path("", views.system, name="system"),
    path("body/", views.body_list, name="bodies"),
    path("body/<slug:key>/", views.body, name="body"),
    path("<slug:path>/", views.object_list, name="list"),
    path("<slug:path>/<int:pk>/", views.object_detail, name="object"),
]
