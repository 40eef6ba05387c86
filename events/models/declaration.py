"""The Alliance declarations: versioned bilingual texts, who may sign them, and the signature chain.

Signatures and withdrawals are entries of an append-only hash chain (see
events.declarations.chain for what is hashed and how it is verified). The
columns the chain does not hash (display name, organization, salt, raw IP and
user agent) are the personal data that may be erased after retention without
breaking the chain.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import Category
from .event import Event
from .participant import Participant
from .text import localized


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for signing")
    CLOSED = "closed", _("Closed")
    SEALED = "sealed", _("Sealed")


class SignatoryRole(models.TextChoices):
    FOUNDING_MEMBER = "founding_member", _("Founding member")
    SUPPORTING_ORGANIZATION = "supporting_organization", _("Supporting organization")
    WITNESS = "witness", _("Witness")


class EntryAction(models.TextChoices):
    SIGN = "sign", _("Signature")
    WITHDRAW = "withdraw", _("Withdrawal")


class SigningMethod(models.TextChoices):
    ONLINE = "online", _("Online")
    KIOSK = "kiosk", _("On site (kiosk)")


class Declaration(models.Model):
    """A document people sign. Its row is also the chain head: appends lock it and move it on."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("event"))
    slug = models.SlugField(_("short name"), help_text=_("Used in addresses, e.g. founding-declaration."))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True, editable=False)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("sealed by"),
    )
    chain_length = models.PositiveIntegerField(_("chain length"), default=0, editable=False)
    chain_head = models.CharField(_("chain head hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["event", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "slug"], name="one_declaration_slug_per_event")]

    def __str__(self):
        return self.title_vi

    @property
    def title(self):
        return localized(self, "title")


class DeclarationVersion(models.Model):
    """One wording of a declaration in both languages; frozen once anyone signed it."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="versions", verbose_name=_("declaration")
    )
    number = models.PositiveIntegerField(_("version"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_vi = models.TextField(_("text (Vietnamese)"))
    body_en = models.TextField(_("text (English)"))
    text_sha256 = models.CharField(_("SHA-256 of the canonical text"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration version")
        verbose_name_plural = _("declaration versions")
        ordering = ["declaration", "number"]
        constraints = [models.UniqueConstraint(fields=["declaration", "number"], name="one_version_number")]

    def __str__(self):
        return f"{self.declaration} v{self.number}"

    @property
    def title(self):
        return localized(self, "title")

    @property
    def body(self):
        return localized(self, "body")


class SigningRule(models.Model):
    """Which participant category may sign a declaration, and in which role."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="rules", verbose_name=_("declaration")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    role = models.CharField(_("role"), max_length=32, choices=SignatoryRole.choices)

    class Meta:
        verbose_name = _("who may sign")
        verbose_name_plural = _("who may sign")
        constraints = [models.UniqueConstraint(fields=["declaration", "category"], name="one_rule_per_category")]

    def __str__(self):
        return f"{self.get_category_display()} → {self.get_role_display()}"


class ChainEntry(models.Model):
    """One signature or withdrawal: an append-only link of the declaration's hash chain."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="entries", verbose_name=_("declaration")
    )
    sequence = models.PositiveIntegerField(_("number in the chain"))
    previous_hash = models.CharField(_("previous entry hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)
    # Hashed content.
    version = models.ForeignKey(
        DeclarationVersion, on_delete=models.PROTECT, related_name="entries", verbose_name=_("version")
    )
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    action = models.CharField(_("action"), max_length=16, choices=EntryAction.choices)
    withdraws = models.PositiveIntegerField(_("withdraws entry number"), null=True, blank=True)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="declaration_entries", verbose_name=_("participant")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    role = models.CharField(_("role"), max_length=32, choices=SignatoryRole.choices)
    signer_commitment = models.CharField(_("signer commitment"), max_length=64)
    public = models.BooleanField(_("name on the public list"))
    method = models.CharField(_("method"), max_length=16, choices=SigningMethod.choices)
    kiosk = models.CharField(_("kiosk"), max_length=40, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member at the kiosk"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    ip_sha256 = models.CharField(_("SHA-256 of the IP address"), max_length=64)
    user_agent_sha256 = models.CharField(_("SHA-256 of the user agent"), max_length=64)
    # Personal data outside the hash, erasable after retention; verification
    # checks each against its digest while it is still present.
    display_name = models.CharField(_("name as signed"), max_length=120, blank=True)
    display_organization = models.CharField(_("organization as signed"), max_length=200, blank=True)
    salt = models.CharField(_("salt of the signer commitment"), max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signature record")
        verbose_name_plural = _("signature records")
        ordering = ["declaration", "sequence"]
        constraints = [
            # A second writer that read the same head can never store a fork.
            models.UniqueConstraint(fields=["declaration", "sequence"], name="one_entry_per_chain_position"),
            models.UniqueConstraint(fields=["declaration", "previous_hash"], name="one_successor_per_entry"),
            models.CheckConstraint(
                condition=Q(action="sign", withdraws__isnull=True) | Q(action="withdraw", withdraws__isnull=False),
                name="withdrawal_names_its_signature",
            ),
        ]
        indexes = [models.Index(fields=["declaration", "participant"])]

    def __str__(self):
        return f"#{self.sequence} {self.get_action_display()}"
