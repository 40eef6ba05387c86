from django.urls import path

from . import checkin_views, holder_views, views, waitlist_views

app_name = "ticketing"

urlpatterns = [
    path("e/<slug:slug>/me/badge.pdf", views.badge_download, name="badge_download"),
    path("badges/print-jobs/<int:job_id>/download/", views.print_job_download, name="print_job_download"),
    path("e/<slug:slug>/checkin/", views.scanner, name="scanner"),
    path("e/<slug:slug>/checkin/sw.js", views.scanner_service_worker, name="scanner_service_worker"),
    path("e/<slug:slug>/checkin/manifest.webmanifest", views.scanner_manifest, name="scanner_manifest"),
    path("e/<slug:slug>/tickets/", views.buy, name="buy"),
    path("e/<slug:slug>/tickets/placed/", views.order_placed, name="order_placed"),
    path("orders/<str:token>/", views.order_page, name="order"),
    path("orders/<str:token>/confirm/", views.confirm, name="confirm"),
    path("orders/<str:token>/pay/transfer/", views.choose_transfer, name="choose_transfer"),
    path("orders/<str:token>/pay/card/", views.pay_by_card, name="pay_by_card"),
    path("orders/<str:token>/cancel/", views.cancel, name="cancel"),
    path("orders/<str:token>/receipt.pdf", views.receipt, name="receipt"),
    path("orders/<str:token>/attendees/", holder_views.attendees, name="attendees"),
    path("orders/<str:token>/attendees/link/", holder_views.send_proof, name="attendees_link"),
    path("orders/<str:token>/attendees/proof/<str:signed>/", holder_views.proof, name="holder_proof"),
    path("e/<slug:slug>/tickets/waiting-list/", waitlist_views.join, name="waitlist_join"),
    path("e/<slug:slug>/tickets/waiting-list/joined/", waitlist_views.joined, name="waitlist_joined"),
    path("waiting-list/<str:token>/", waitlist_views.entry_page, name="waitlist_entry"),
    path("waiting-list/<str:token>/confirm/", waitlist_views.confirm, name="waitlist_confirm"),
    path("waiting-list/<str:token>/leave/", waitlist_views.leave, name="waitlist_leave"),
    path("waiting-list/<str:token>/buy/", waitlist_views.buy, name="waitlist_buy"),
    path("e/<slug:slug>/checkin/arrivals/", checkin_views.arrivals, name="arrivals"),
    path("e/<slug:slug>/checkin/devices/", checkin_views.scanner_devices, name="scanner_devices"),
    path(
        "e/<slug:slug>/checkin/devices/<int:token_id>/revoke/",
        checkin_views.revoke_scanner_device,
        name="revoke_scanner_device",
    ),
    path("staff/pair/", checkin_views.pair_device, name="pair_device"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("bank/sepay/webhook/", views.sepay_webhook, name="sepay_webhook"),
    path("bank/casso/webhook/", views.casso_webhook, name="casso_webhook"),
]
