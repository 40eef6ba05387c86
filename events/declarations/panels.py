"""The declarations panel on the personal page: read, sign, or withdraw until sealed."""

from django.template.loader import render_to_string

from ..extensions import personal_panel
from . import selectors, services


@personal_panel(order=30)
def declarations_panel(request, participant):
    declarations = selectors.participant_declarations(participant)
    if not declarations:
        return None
    for declaration in declarations:
        declaration.my_role = services.signing_role(declaration, participant)
    context = {"event": participant.event, "participant": participant, "declarations": declarations}
    return render_to_string("events/declaration/_panel.html", context, request=request)
