"""Input of the signing pages: the online form, and the kiosk's setup, scan and confirm forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import NormalizedCharField

PUBLIC_CHOICES = [
    ("yes", _("Yes, show my name and organization on the public list of signatories")),
    ("no", _("No, count my signature but do not show my name")),
]


class SignForm(forms.Form):
    """Consent is not pre-ticked and the public-list choice has no default: both are the signer's to make."""

    typed_name = NormalizedCharField(
        label=_("Your full name, as registered"),
        max_length=120,
        help_text=_("Typing your name is your signature."),
    )
    consent = forms.BooleanField(label=_("I have read the text above and sign it of my own free will."), required=False)
    public = forms.ChoiceField(label=_("Public list"), choices=PUBLIC_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, with_name=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_name:
            # At the kiosk the badge and the staff member identify the signer.
            del self.fields["typed_name"]

    @property
    def wants_public(self):
        return self.cleaned_data["public"] == "yes"


class KioskSetupForm(forms.Form):
    kiosk = NormalizedCharField(
        label=_("Name of this kiosk"),
        max_length=40,
        help_text=_("E.g. “Signing table 1”. Recorded with every signature."),
    )


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Scan the participant's badge"), max_length=500, strip=True)
