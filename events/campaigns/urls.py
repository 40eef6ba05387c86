from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("e/<slug:slug>/orga/mail/", views.campaign_list, name="list"),
    path("e/<slug:slug>/orga/mail/new/", views.campaign_compose, name="compose"),
    path("e/<slug:slug>/orga/mail/<int:pk>/", views.campaign_detail, name="detail"),
    path("e/<slug:slug>/orga/mail/<int:pk>/edit/", views.campaign_compose, name="edit"),
    path("e/<slug:slug>/orga/mail/<int:pk>/progress/", views.campaign_progress, name="progress"),
    path("e/<slug:slug>/orga/mail/<int:pk>/send/", views.campaign_send, name="send"),
    path("e/<slug:slug>/orga/mail/<int:pk>/retry/", views.campaign_retry, name="retry"),
    path("e/<slug:slug>/orga/mail/<int:pk>/release/", views.campaign_release, name="release"),
    path("mail/opt-out/<str:token>/", views.opt_out, name="opt_out"),
]
