"""The declarations panel on the personal page: read, sign, or withdraw until sealed."""

from django.template.loader import render_to_string
from django.urls import reverse

from ..extensions import event_link, personal_panel
from ..models import Declaration
from ..models.declaration import DeclarationStatus
from . import pins, selectors, services


@personal_panel(order=40)
def declarations_panel(request, participant):
    declarations = selectors.participant_declarations(participant)
    if not declarations:
        return None
    for declaration in declarations:
        declaration.my_role = services.signing_role(declaration, participant)
    context = {
        "event": participant.event,
        "participant": participant,
        "declarations": declarations,
        "signing_pin": pins.signing_pin(participant),
    }
    return render_to_string("events/declaration/_panel.html", context, request=request)


@event_link(order=40)
def declaration_links(event):
    public = Declaration.objects.filter(event=event).exclude(status=DeclarationStatus.DRAFT).order_by("pk")
    return [
        (declaration.title, reverse("declarations:public", args=[event.slug, declaration.slug]))
        for declaration in public
    ]
