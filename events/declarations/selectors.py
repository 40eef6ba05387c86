"""Reads of declarations shared by pages, the PDF, exports, the API and the verify command."""

from collections import Counter
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from .. import collation
from ..enums import Category
from ..models import ChainEntry, Declaration, DeclarationStatus, EntryAction, SignatoryRole
from . import chain


def public_declarations(event):
    """The event's declarations past the draft stage, each with its versions and signing rules."""
    return (
        Declaration.objects.filter(event=event)
        .exclude(status=DeclarationStatus.DRAFT)
        .prefetch_related("versions", "rules")
        .order_by("pk")
    )


def public_declaration(event, slug):
    return get_object_or_404(public_declarations(event), slug=slug)


def signatures_in_force(declaration):
    """Signature entries not withdrawn since, in chain order (one query)."""
    last = {}
    entries = ChainEntry.objects.filter(declaration=declaration).select_related("version").order_by("sequence")
    for entry in entries:
        last[entry.participant_id] = entry
    return [entry for entry in last.values() if entry.action == EntryAction.SIGN]


def public_signatories(signatures, search=""):
    """Those who agreed to be listed, in Vietnamese order (given name first), optionally searched."""
    listed = [entry for entry in signatures if entry.public and entry.display_name]
    if search:
        listed = [
            entry for entry in listed if collation.matches(search, entry.display_name, entry.display_organization)
        ]
    return collation.sort_people(listed, name=lambda entry: entry.display_name)


@dataclass
class Tally:
    """How many signatures are in force, by participant category and by signatory role."""

    total: int
    by_category: list
    by_role: list
    unlisted: int


def tally(signatures):
    categories = Counter(entry.category for entry in signatures)
    roles = Counter(entry.role for entry in signatures)
    return Tally(
        total=len(signatures),
        by_category=[(label, categories[value]) for value, label in Category.choices if categories[value]],
        by_role=[(label, roles[value]) for value, label in SignatoryRole.choices if roles[value]],
        unlisted=sum(1 for entry in signatures if not (entry.public and entry.display_name)),
    )


def by_role(signatories):
    """Listed signatories grouped by role, in the roles' order: [(role label, [entries])]."""
    groups = {value: [] for value in SignatoryRole.values}
    for entry in signatories:
        groups[entry.role].append(entry)
    return [(SignatoryRole(value).label, groups[value]) for value in SignatoryRole.values if groups[value]]


def verify_chain(declaration):
    """Re-read the declaration and all its entries from the database and verify the chain."""
    declaration = Declaration.objects.get(pk=declaration.pk)
    entries = ChainEntry.objects.filter(declaration=declaration).select_related("version").order_by("sequence")
    return chain.verify(declaration, entries.iterator(chunk_size=500))


def participant_declarations(participant):
    """The declarations a participant can see on their page, each with their signature in force, if any."""
    declarations = list(public_declarations(participant.event))
    entries = ChainEntry.objects.filter(participant=participant, declaration__in=declarations).order_by("sequence")
    last = {entry.declaration_id: entry for entry in entries}
    for declaration in declarations:
        entry = last.get(declaration.pk)
        declaration.my_signature = entry if entry is not None and entry.action == EntryAction.SIGN else None
    return declarations


def latest_version(declaration):
    """The newest version, from prefetched versions when available."""
    versions = sorted(declaration.versions.all(), key=lambda version: version.number)
    return versions[-1] if versions else None
