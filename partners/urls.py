from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("partnernetzwerk.csv", views.partner_csv, name="csv"),
    path("partnernetzwerk.geojson", views.partner_geojson, name="geojson"),
    path("<slug:slug>/", views.partner_detail, name="detail"),
    path("<slug:slug>/logo/", views.partner_logo, name="logo"),
]
