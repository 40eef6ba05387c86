from django.urls import path

from . import views

app_name = "declarations"

urlpatterns = [
    path("e/<slug:slug>/declarations/<slug:declaration_slug>/", views.declaration_page, name="public"),
    path(
        "e/<slug:slug>/declarations/<slug:declaration_slug>/v<int:number>.txt",
        views.canonical_text,
        name="canonical_text",
    ),
    path("e/<slug:slug>/declarations/<slug:declaration_slug>/sealed.pdf", views.sealed_pdf, name="sealed_pdf"),
    path("e/<slug:slug>/me/declarations/<slug:declaration_slug>/", views.sign_online, name="sign"),
    path("e/<slug:slug>/me/declarations/<slug:declaration_slug>/withdraw/", views.withdraw_online, name="withdraw"),
    path("e/<slug:slug>/kiosk/", views.kiosk_index, name="kiosk_index"),
    path("e/<slug:slug>/kiosk/<slug:declaration_slug>/", views.kiosk, name="kiosk"),
    path("e/<slug:slug>/kiosk/<slug:declaration_slug>/<str:token>/", views.kiosk_confirm, name="kiosk_confirm"),
]
