from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("e/<slug:slug>/", views.event_detail, name="event_detail"),
    path("e/<slug:slug>/register/received/", views.registration_received, name="registration_received"),
    path("e/<slug:slug>/register/<str:category>/", views.register, name="register"),
    path("e/<slug:slug>/me/", views.personal_page, name="personal_page"),
    path("e/<slug:slug>/me/login/<str:signed>/", views.magic_login, name="magic_login"),
    path("e/<slug:slug>/me/link/", views.request_link, name="request_link"),
    path("e/<slug:slug>/me/consent/<str:purpose>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("e/<slug:slug>/me/sign-out/", views.sign_out, name="sign_out"),
    path("e/<slug:slug>/manage/", views.organizer_home, name="organizer_home"),
    path("e/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("e/<slug:slug>/dashboard/data.json", views.dashboard_data, name="dashboard_data"),
    path("e/<slug:slug>/dashboard/<slug:key>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("e/<slug:slug>/me/details/", views.edit_details, name="edit_details"),
    path("e/<slug:slug>/me/data.json", views.my_data_json, name="my_data_json"),
    path("e/<slug:slug>/me/data.pdf", views.my_data_pdf, name="my_data_pdf"),
    path("e/<slug:slug>/me/erase/", views.request_erasure, name="request_erasure"),
]
