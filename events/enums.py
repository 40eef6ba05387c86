"""States and kinds of the events app, with the transitions they allow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Category(models.TextChoices):
    KOL = "kol", _("KOL / KOC")
    REGULATOR = "regulator", _("Regulator")
    BUSINESS = "business", _("Business")
    PLATFORM = "platform", _("Digital platform")


# How each category comes in: KOLs apply and are vetted (the Alliance wants
# reputable creators); regulators and platforms are invited; businesses buy
# passes (until the ticketing flow exists, an organizer confirms them).
INVITATION_CATEGORIES = frozenset({Category.REGULATOR, Category.PLATFORM})
VETTED_CATEGORIES = frozenset({Category.KOL, Category.BUSINESS})


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waitlisted")


# An organizer's decision moves an application to one of these; "pending" is
# only ever the starting state.
DECISIONS = (ParticipantStatus.APPROVED, ParticipantStatus.REJECTED, ParticipantStatus.WAITLISTED)


class ChannelPlatform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    INSTAGRAM = "instagram", "Instagram"
    ZALO = "zalo", "Zalo"
    X = "x", "X"
    OTHER = "other", _("Other")


class ConsentPurpose(models.TextChoices):
    PARTICIPATION = "participation", _("Processing my data to run my participation")
    UPDATES = "updates", _("News about the conference and the Alliance")
    MEETINGS = "meetings", _("A meeting profile that other participants can see")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class CampaignKind(models.TextChoices):
    MESSAGE = "message", _("Message from the organizers")
    REMINDER = "reminder", _("Day-before reminder")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    FINISHED = "finished", _("Finished")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    # Claimed by a job that is sending it right now: no other job may send it too.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")


# What a sending job (first run or retry) may claim; a bounced address is not tried again.
SENDABLE_DELIVERIES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
