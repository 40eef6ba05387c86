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

    pin = forms.CharField(
        label=_("Your signing PIN"),
        max_length=6,
        help_text=_("Six digits, on your personal page and in the e-mail with your badge."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )

    def __init__(self, *args, with_name=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_name:
            del self.fields["pin"]
        else:
            # At the kiosk the scanned badge says who it is and their PIN proves they are there.
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
