"""Registration forms: the one place input is checked, for the web pages and the API alike."""

import unicodedata

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .consent import CONSENT_TEXTS
from .enums import DECISIONS, INVITATION_CATEGORIES, Category, ChannelPlatform, ConsentPurpose
from .models import Channel, normalize_text

NAME_PUNCTUATION = set(" .'-’")
PHONE_CHARACTERS = set("0123456789 +-.()")


def validate_person_name(value):
    """Letters (any script, with their diacritics), spaces and . ' - only."""
    for char in value:
        if char in NAME_PUNCTUATION:
            continue
        if unicodedata.category(char)[0] not in {"L", "M"}:
            raise ValidationError(_("A name may contain only letters, spaces, dots, hyphens and apostrophes."))
    if not any(unicodedata.category(char).startswith("L") for char in value):
        raise ValidationError(_("Enter your full name."))


def validate_plain_text(value):
    """No control characters: they break e-mails, CSV exports and printed badges."""
    if any(unicodedata.category(char) in {"Cc", "Cf"} for char in value):
        raise ValidationError(_("This field contains invisible control characters."))


def to_e164_vietnam(value):
    """A Vietnamese (or international, with +) number in E.164, or a ValidationError.

    Only digits and the usual separators: phonenumbers would read "…0100x" or "ext. 5" as an
    extension and keep going.
    """
    if not value.strip() or set(value) - PHONE_CHARACTERS:
        raise ValidationError(_("Enter a valid phone number, e.g. 0912 345 678 or +84 912 345 678."))
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Enter a valid phone number, e.g. 0912 345 678 or +84 912 345 678."))
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, e.g. 0912 345 678 or +84 912 345 678."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class NormalizedCharField(forms.CharField):
    """A text field stored NFC-normalized with single spaces, free of control characters."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        validate_plain_text(value)


class RegistrationForm(forms.Form):
    full_name = NormalizedCharField(label=_("Full name"), max_length=120, validators=[validate_person_name])
    title = NormalizedCharField(label=_("Title / position"), max_length=150, required=False)
    organization = NormalizedCharField(label=_("Organization"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    invitation_code = forms.CharField(label=_("Invitation code"), max_length=32, required=False)
    consent_participation = forms.BooleanField(label=CONSENT_TEXTS[ConsentPurpose.PARTICIPATION].text)
    consent_updates = forms.BooleanField(label=CONSENT_TEXTS[ConsentPurpose.UPDATES].text, required=False)

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["consent_participation"].error_messages["required"] = _(
            "We can only register you if you agree to this processing of your data."
        )
        if category in INVITATION_CATEGORIES:
            self.fields["invitation_code"].required = True
            self.fields["invitation_code"].help_text = _("The code from your invitation letter.")
        else:
            del self.fields["invitation_code"]
        if category in (Category.REGULATOR, Category.BUSINESS, Category.PLATFORM):
            self.fields["organization"].required = True

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return to_e164_vietnam(self.cleaned_data["phone"])

    def clean_invitation_code(self):
        return self.cleaned_data["invitation_code"].strip().upper()

    def consented_purposes(self):
        purposes = [ConsentPurpose.PARTICIPATION]
        if self.cleaned_data.get("consent_updates"):
            purposes.append(ConsentPurpose.UPDATES)
        return purposes

    def participant_fields(self):
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "title": data["title"],
            "organization": data["organization"],
            "email": data["email"],
            "phone": data["phone"],
            "language": (translation.get_language() or "vi")[:2],
        }


class ChannelForm(forms.ModelForm):
    handle = NormalizedCharField(label=_("Handle"), max_length=100)
    url = forms.URLField(label=_("Profile address"), max_length=300, assume_scheme="https")

    class Meta:
        model = Channel
        fields = ["platform", "handle", "url", "followers"]
        labels = {"followers": _("Followers")}

    def __init__(self, *args, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional  # read by events/_field.html: no required star
        self.fields["platform"].choices = [("", "—")] + list(ChannelPlatform.choices)
        self.fields["followers"].max_value = 10_000_000_000
        self.fields["followers"].widget.attrs["max"] = 10_000_000_000


class BaseChannelFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # One channel is required (clean below); the others are optional, so their labels carry no star.
        # Their fields stay required as a group: a half-filled second channel is still an error.
        return {**super().get_form_kwargs(index), "optional": index is not None and index > 0}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not filled:
            raise ValidationError(_("Add at least one public channel so the organizers can review your application."))

    def channels(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


ChannelFormSet = forms.formset_factory(
    ChannelForm, formset=BaseChannelFormSet, extra=3, max_num=5, validate_max=True, absolute_max=5
)


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail you registered with"), max_length=254)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class DecisionForm(forms.Form):
    """The organizer's reason for a bulk decision in the admin."""

    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ApplicationDecisionForm(DecisionForm):
    """One participant's decision, from their own admin page: the button pressed is the decision."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[(d.value, d.label) for d in DECISIONS])


class ProfileForm(forms.Form):
    """What a participant may correct on their personal page (the e-mail is their login: ask the organizers)."""

    full_name = NormalizedCharField(label=_("Full name"), max_length=120, validators=[validate_person_name])
    title = NormalizedCharField(label=_("Title / position"), max_length=150, required=False)
    organization = NormalizedCharField(label=_("Organization"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30)

    def clean_phone(self):
        return to_e164_vietnam(self.cleaned_data["phone"])


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my registration, badge and personal data will be erased for good."),
    )
