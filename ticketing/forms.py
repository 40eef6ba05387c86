"""The order form on the public ticket page: the buyer, one row per pass, a voucher."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.forms import NormalizedCharField, validate_person_name
from events.models import normalize_text

from .models import OrderPosition
from .services.handover import NewHolder
from .services.orders import PassRequest, max_passes_per_order


class BuyerForm(forms.Form):
    """The buyer, as checked for the shop page and the API alike (the registration form's rules)."""

    name = NormalizedCharField(label=_("Your full name"), max_length=120, validators=[validate_person_name])
    email = forms.EmailField(label=_("Your e-mail (receipt and payment)"), max_length=254)
    organization = NormalizedCharField(label=_("Company"), max_length=200)
    tax_code = NormalizedCharField(label=_("Tax code (for the receipt)"), max_length=20, required=False)
    voucher = NormalizedCharField(label=_("Voucher code"), max_length=32, required=False)
    attendees_consent = forms.BooleanField(
        label=_("The people named below agreed that we process their data to run their participation."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AttendeeForm(forms.Form):
    """One named attendee of an order: a real name, a real address, a plain title."""

    attendee_name = NormalizedCharField(
        label=_("Attendee's full name"), max_length=120, validators=[validate_person_name]
    )
    attendee_email = forms.EmailField(label=_("Attendee's e-mail"), max_length=254)
    attendee_title = NormalizedCharField(label=_("Title / position"), max_length=150, required=False)

    def clean_attendee_email(self):
        return self.cleaned_data["attendee_email"].strip().lower()


class PassForm(AttendeeForm):
    ticket_type = forms.TypedChoiceField(label=_("Pass"), coerce=int)
    field_order = ["ticket_type", "attendee_name", "attendee_email", "attendee_title"]

    def __init__(self, *args, ticket_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].choices = [(tt.pk, tt.name) for tt in ticket_types]


class BasePassFormSet(forms.BaseFormSet):
    def __init__(self, *args, ticket_types=(), **kwargs):
        self.ticket_types = ticket_types
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "ticket_types": self.ticket_types}

    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms):
            raise ValidationError(_("Add at least one attendee."))

    def passes(self):
        return [
            PassRequest(
                ticket_type_id=form.cleaned_data["ticket_type"],
                attendee_name=form.cleaned_data["attendee_name"],
                attendee_email=form.cleaned_data["attendee_email"],
                attendee_title=form.cleaned_data.get("attendee_title", ""),
            )
            for form in self.forms
            if form.cleaned_data
        ]


def pass_formset(*, rows=1):
    """A formset of `rows` empty pass rows (the page asks how many attendees first)."""
    rows = max(1, min(rows, max_passes_per_order()))
    return forms.formset_factory(
        PassForm,
        formset=BasePassFormSet,
        extra=rows,
        max_num=max_passes_per_order(),
        validate_max=True,
        absolute_max=max_passes_per_order(),
    )


class BankStatementForm(forms.Form):
    statement = forms.FileField(label=_("Bank statement (CSV or Excel .xlsx)"))

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        name = upload.name.lower()
        if name.endswith(".xlsx"):
            if upload.size > 2 * 1024 * 1024:
                raise ValidationError(_("The statement file is larger than 2 MB."))
            return upload
        if not name.endswith(".csv"):
            raise ValidationError(_("Upload the statement as a .csv or .xlsx file."))
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("The statement file is larger than 2 MB."))
        # A renamed spreadsheet or image is not text: refuse it before parsing (NUL bytes never occur in CSV).
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head:
            raise ValidationError(_("The statement must be a CSV file in UTF-8."))
        return upload


class ScannerDeviceForm(forms.Form):
    name = forms.CharField(label=_("Device name"), max_length=100, help_text=_("E.g. “Phone 3, north door”."))
    gate = forms.CharField(label=_("Gate"), max_length=64, required=False)

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])

    def clean_gate(self):
        return normalize_text(self.cleaned_data["gate"])


class PairingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Pairing code"),
        max_length=20,
        help_text=_("8 letters and digits, shown by an organizer on the scanner devices page."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class WaitingListForm(forms.Form):
    """Joining the waiting list for a sold-out pass: who, which pass, and the consent to keep the address."""

    ticket_type = forms.TypedChoiceField(label=_("Sold-out pass"), coerce=int)
    name = NormalizedCharField(label=_("Your full name"), max_length=120, validators=[validate_person_name])
    email = forms.EmailField(label=_("Your e-mail (the offer is sent there)"), max_length=254)
    organization = NormalizedCharField(label=_("Company"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the organizers keep my name and e-mail to offer me a pass when one frees. "
            "I can leave the list at any time, and they are then deleted."
        ),
    )

    def __init__(self, *args, ticket_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].choices = [(tt.pk, tt.name) for tt in ticket_types]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class OfferedPassForm(AttendeeForm):
    """Ordering the pass a waiting-list offer holds: its attendee, and the company for the receipt."""

    organization = NormalizedCharField(label=_("Company"), max_length=200, required=False)
    tax_code = NormalizedCharField(label=_("Tax code (for the receipt)"), max_length=20, required=False)
    attendees_consent = forms.BooleanField(
        label=_("The attendee named here agreed that we process their data to run their participation."),
    )

    def attendee(self):
        data = self.cleaned_data
        return PassRequest(
            ticket_type_id=0,
            attendee_name=data["attendee_name"],
            attendee_email=data["attendee_email"],
            attendee_title=data.get("attendee_title", ""),
        )


class HolderChangeForm(AttendeeForm):
    """Handing one pass of an order to someone else: which pass, the new holder, their consent."""

    position = forms.ModelChoiceField(label=_("Pass"), queryset=None, empty_label=None)
    holder_consent = forms.BooleanField(
        label=_("The new holder agreed that we process their data to run their participation."),
    )
    field_order = ["position", "attendee_name", "attendee_email", "attendee_title", "holder_consent"]

    def __init__(self, *args, positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        chosen = OrderPosition.objects.filter(pk__in=[p.pk for p in positions]).select_related("ticket_type")
        self.fields["position"].queryset = chosen
        self.fields["position"].label_from_instance = lambda p: f"{p.ticket_type.name} · {p.attendee_name}"

    def holder(self):
        data = self.cleaned_data
        return NewHolder(name=data["attendee_name"], email=data["attendee_email"], title=data.get("attendee_title", ""))
