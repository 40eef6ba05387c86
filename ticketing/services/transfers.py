"""Bank transfers that pay orders by themselves: SePay and Casso webhooks, and bank statement imports.

One rule for every feed (apply_bank_credit): a credit pays an order only when
its message names exactly one order (found however the bank reformatted it) and
its amount is exactly the order's total; anything else is kept on the review
list for organizers and never marks an order paid. Idempotent twice over: per
feed by the feed's transaction id (BankTransfer), and across feeds by the
bank's own reference (Payment's provider reference), so a transfer pushed by
SePay and later read from the statement pays once.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import bank_feeds, statements
from ..enums import NEEDS_REVIEW, BankFeed, PaymentProvider, PaymentState, TransferOutcome
from ..models import BankTransfer, Order
from ..models.order import REFERENCE_ALPHABET
from . import payments, quotas

logger = logging.getLogger(__name__)

ORDER_CODE = re.compile(f"KOL[{REFERENCE_ALPHABET}]{{7}}")
CODE_LENGTH = 10


def order_named_in(message, *, event=None):
    """The one order whose reference is in a transfer message, or None (none, or several).

    Banks and apps reformat messages ("kol abc-2345", "MBVCB.123.KOLABC2345.CT tu ..."):
    the message is compared upper-cased with everything but letters and digits removed,
    and every 10-character window that looks like a reference is looked up.
    """
    squashed = re.sub(r"[^A-Z0-9]", "", (message or "").upper())
    candidates = {
        squashed[i : i + CODE_LENGTH]
        for i in range(len(squashed) - CODE_LENGTH + 1)
        if ORDER_CODE.fullmatch(squashed[i : i + CODE_LENGTH])
    }
    if not candidates:
        return None
    found = Order.objects.filter(code__in=candidates)
    if event is not None:
        found = found.filter(event=event)
    found = list(found[:2])
    return found[0] if len(found) == 1 else None


def payment_key(feed, credit):
    """The Payment's provider reference: the bank's reference (shared by every feed), else this feed's id."""
    return payments.bank_payment_key(credit.bank_reference) or f"{feed}:{credit.transaction_id}"


@quotas.busy_on_contention  # a bank retries a 409 "busy"; never a 500 for a lock wait
@transaction.atomic
def apply_bank_credit(*, feed, credit, event=None, by=None):
    """Record one incoming transfer once and let it pay the order it names, if it pays it exactly.

    Steps, in one transaction: insert the BankTransfer row (its unique (feed,
    transaction id) makes a redelivery return the first row unchanged); find the
    order named in the message (within `event` for a statement); if none, the row
    is `unknown_reference`; else payments.confirm_payment, keyed by the bank's
    reference, pays a pending order for its exact total or records the money as
    "needs refund" (short, over, late, already paid). Returns the BankTransfer.
    """
    try:
        with transaction.atomic():
            row = BankTransfer.objects.create(
                feed=feed,
                transaction_id=credit.transaction_id,
                bank_reference=credit.bank_reference,
                amount=credit.amount,
                content=credit.content,
                occurred_at=credit.occurred_at,
                outcome=TransferOutcome.UNKNOWN_REFERENCE,
            )
    except IntegrityError:
        return BankTransfer.objects.get(feed=feed, transaction_id=credit.transaction_id)
    order = order_named_in(credit.content, event=event)
    if order is None:
        row.detail = str(_("No order reference found."))
        row.save(update_fields=["detail"])
        logger.info("Bank transfer %s %s names no order", feed, credit.transaction_id)
        return row
    payment = payments.confirm_payment(
        order=order,
        provider=PaymentProvider.BANK_TRANSFER,
        amount=credit.amount,
        external_id=payment_key(feed, credit),
        by=by,
        note=str(FEED_NOTES[feed]),
    )
    row.order, row.payment = order, payment
    if payment.state == PaymentState.NEEDS_REFUND:
        row.outcome, row.detail = TransferOutcome.NEEDS_REFUND, payment.note
    elif (
        payment.received_at < row.received_at
        or BankTransfer.objects.filter(payment=payment).exclude(pk=row.pk).exists()
    ):
        # Recorded before this report (by an organizer's button), or another feed's row holds the
        # payment: that one committed, with the order's lock, before ours.
        row.outcome = TransferOutcome.ALREADY_RECORDED
    else:
        row.outcome = TransferOutcome.PAID
    row.save(update_fields=["order", "payment", "outcome", "detail"])
    return row


FEED_NOTES = {
    BankFeed.SEPAY: _("Received through the SePay webhook."),
    BankFeed.CASSO: _("Received through the Casso webhook."),
    BankFeed.STATEMENT: _("Matched from a bank statement."),
}


def receive_webhook(*, feed, body: bytes, headers):
    """Authenticate a SePay or Casso delivery and apply its transfer once; returns what happened.

    Raises bank_feeds.InvalidDelivery (wrong key or signature: nothing is read)
    or bank_feeds.MalformedDelivery. Money going out of the account, and
    transfers to another account than the organizers' VietQR account, are
    acknowledged and ignored.
    """
    if feed == BankFeed.SEPAY:
        credit = bank_feeds.read_sepay(body, headers.get("Authorization", ""), api_key=settings.SEPAY_WEBHOOK_API_KEY)
    else:
        credit = bank_feeds.read_casso(body, headers.get("X-Casso-Signature", ""), secret=settings.CASSO_WEBHOOK_SECRET)
    if not credit.incoming or credit.amount <= 0:
        return "ignored_outgoing"
    account = settings.VIETQR_BANK.get("account", "")
    if account and credit.account and credit.account != account:
        logger.warning("Bank webhook %s %s is for another account", feed, credit.transaction_id)
        return "ignored_other_account"
    return apply_bank_credit(feed=feed, credit=credit).outcome


def is_automatic():
    """Whether a webhook (SePay or Casso) is configured, so transfers pay orders without an organizer."""
    return bool(settings.SEPAY_WEBHOOK_API_KEY or settings.CASSO_WEBHOOK_SECRET)


def mark_reviewed(*, transfer, by):
    """An organizer has dealt with a transfer on the review list (refunded it, or matched it by hand)."""
    BankTransfer.objects.filter(pk=transfer.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=by
    )


def review_list():
    """Transfers an organizer must look at: unknown references and money to refund, oldest first."""
    return (
        BankTransfer.objects.filter(outcome__in=NEEDS_REVIEW, reviewed_at__isnull=True)
        .select_related("order")
        .order_by("received_at", "pk")
    )


# --- Bank statements --------------------------------------------------------


def preview_bank_statement(*, event, data: bytes, filename):
    """The column mapping chosen for a statement and what each line would do, without writing anything.

    Returns (statements.Statement, [(line, order code or "", what would happen)]).
    """
    statement = statements.read_statement(data, filename=filename)
    return statement, [_would(event, line) for line in statement.lines]


def _would(event, line):
    if line.credit is None:
        return line.line, "", line.problem or str(_("Not a credit: skipped."))
    order = order_named_in(line.credit.content, event=event)
    if order is None:
        return line.line, "", str(_("No order reference found."))
    if line.credit.amount != order.total:
        return line.line, order.code, str(_("The amount does not match the order total."))
    return line.line, order.code, str(_("Pays the order."))


def import_bank_statement(*, event, data: bytes, by, filename="statement.csv"):
    """Apply every credit of a bank statement (apply_bank_credit, within `event`); debits are skipped.

    A line without a bank reference gets a transaction id from its date, amount
    and message, so importing the same statement twice changes nothing.
    Returns [(line number, order code or "", outcome text)] for the credits.
    """
    statement = statements.read_statement(data, filename=filename)
    results = []
    for line in statement.credits:
        credit = line.credit
        if not credit.transaction_id:
            fingerprint = f"{credit.occurred_at}|{credit.amount}|{credit.content}".encode()
            credit = statements.BankCredit(
                **{**credit.__dict__, "transaction_id": "line:" + hashlib.sha256(fingerprint).hexdigest()[:32]}
            )
        row = apply_bank_credit(feed=BankFeed.STATEMENT, credit=credit, event=event, by=by)
        results.append((line.line, row.order.code if row.order else "", str(OUTCOME_TEXTS[row.outcome])))
    return results


OUTCOME_TEXTS = {
    TransferOutcome.PAID: _("Paid."),
    TransferOutcome.ALREADY_RECORDED: _("Already recorded."),
    TransferOutcome.NEEDS_REFUND: _("Needs refund."),
    TransferOutcome.UNKNOWN_REFERENCE: _("No order reference found."),
}
