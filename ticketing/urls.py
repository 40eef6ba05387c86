from django.urls import path

from . import views

app_name = "ticketing"

urlpatterns = [
    path("e/<slug:slug>/me/badge.pdf", views.badge_download, name="badge_download"),
    path("badges/print-jobs/<int:job_id>/download/", views.print_job_download, name="print_job_download"),
]
