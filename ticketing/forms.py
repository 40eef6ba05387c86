"""The order form on the public ticket page: the buyer, one row per pass, a voucher."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import normalize_text

from .services.orders import PassRequest, max_passes_per_order


class BuyerForm(forms.Form):
    name = forms.CharField(label=_("Your full name"), max_length=120)
    email = forms.EmailField(label=_("Your e-mail (receipt and payment)"))
    organization = forms.CharField(label=_("Company"), max_length=200)
    tax_code = forms.CharField(label=_("Tax code (for the receipt)"), max_length=20, required=False)
    voucher = forms.CharField(label=_("Voucher code"), max_length=32, required=False)
    attendees_consent = forms.BooleanField(
        label=_("The people named below agreed that we process their data to run their participation."),
    )

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])


class PassForm(forms.Form):
    ticket_type = forms.TypedChoiceField(label=_("Pass"), coerce=int)
    attendee_name = forms.CharField(label=_("Attendee's full name"), max_length=120)
    attendee_email = forms.EmailField(label=_("Attendee's e-mail"))
    attendee_title = forms.CharField(label=_("Title / position"), max_length=150, required=False)

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
    statement = forms.FileField(label=_("Bank statement (CSV)"))

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Upload the statement as a .csv file."))
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("The statement file is larger than 2 MB."))
        # A renamed spreadsheet or image is not text: refuse it before parsing (NUL bytes never occur in CSV).
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head:
            raise ValidationError(_("The statement must be a CSV file in UTF-8."))
        return upload


class ScannerDeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"), max_length=100, help_text=_("E.g. “Phone 3, north door”.")
    )
    gate = forms.CharField(label=_("Gate"), max_length=64, required=False)

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])

    def clean_gate(self):
        return normalize_text(self.cleaned_data["gate"])
