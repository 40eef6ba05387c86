"""The compose form: the text in both languages, the essential flag, and one choice per recipient filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import extensions
from ..models import Campaign
from . import placeholders, services

FILTER_PREFIX = "filter_"


def _filters(event):
    """(key, label, choices) of every filter, events' own first."""
    own = [(key, label, choices(event)) for key, label, choices in services.core_filters()]
    registered = [(item.key, item.label, item.choices(event)) for item in extensions.recipient_filters()]
    return own + registered


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["subject_vi", "body_vi", "subject_en", "body_en", "essential"]
        widgets = {"body_vi": forms.Textarea(attrs={"rows": 10}), "body_en": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body_vi": placeholders.HELP,
            "body_en": _("Optional; English readers get Vietnamese without it."),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.filters if self.instance.pk else {}
        for key, label, choices in _filters(event):
            self.fields[FILTER_PREFIX + key] = forms.ChoiceField(
                label=label, required=False, choices=[("", _("All"))] + list(choices), initial=current.get(key, "")
            )

    def filter_fields(self):
        return [self[name] for name in self.fields if name.startswith(FILTER_PREFIX)]

    def chosen_filters(self):
        return {
            name.removeprefix(FILTER_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FILTER_PREFIX) and value
        }

    def campaign_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
