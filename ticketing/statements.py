"""Reading the statement exports of Vietnamese banks: CSV or Excel, credits and debits apart.

Layouts differ (Vietcombank, VietinBank, BIDV, Techcombank, MB and others put a
few lines about the account above the table, write headers with or without
diacritics, sometimes bilingual "Có/Credit"), so the header row is found, not
assumed: the first of the top 30 rows naming both a description column and a
credit (or signed amount) column. Each column gets a role from its header
words; the balance column ("Số dư") is named so it is never taken for an
amount. A line is a credit only if its credit column holds money, or, with one
signed amount column, if the amount is positive and no debit marker says
otherwise: a debit is never read as a payment. Nothing here touches the database.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from events.errors import DomainError

from .bank_feeds import VIETNAM, BankCredit

MAX_STATEMENT_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 30

# Header words per role, unaccented and lower case; checked in this order, first role wins.
ROLES = (
    ("balance", ("so du", "balance", "du cuoi")),
    ("debit", ("ghi no", "so tien no", "phat sinh no", "tien ra", "debit", "withdrawal", "no tktt", "=no")),
    ("credit", ("ghi co", "so tien co", "phat sinh co", "tien vao", "credit", "deposit", "co tktt", "=co")),
    (
        "reference",
        (
            "so tham chieu",
            "ma giao dich",
            "so but toan",
            "so giao dich",
            "ma gd",
            "reference",
            "ref no",
            "transaction no",
            "so ct",
            "=ref",
        ),
    ),
    ("date", ("ngay giao dich", "ngay hieu luc", "thoi gian", "ngay", "date", "time")),
    (
        "description",
        ("noi dung", "mo ta", "dien giai", "chi tiet", "description", "details", "remark", "narrative"),
    ),
    ("direction", ("loai giao dich", "=loai", "type", "=no/co", "dr/cr")),
    ("amount", ("so tien", "amount")),
)
DEBIT_MARKS = {"d", "dr", "debit", "no", "ghi no", "-", "out", "chi"}


@dataclass(frozen=True)
class StatementLine:
    line: int
    credit: BankCredit | None  # None: a debit or a line without money in
    problem: str = ""


@dataclass
class Statement:
    header_line: int
    mapping: dict = field(default_factory=dict)  # role → the header as the bank wrote it
    lines: list = field(default_factory=list)

    @property
    def credits(self):
        return [line for line in self.lines if line.credit is not None]


def read_statement(data: bytes, *, filename: str = "statement.csv") -> Statement:
    """The statement's header mapping and its lines; raises DomainError for an unusable file."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise DomainError("statement_too_large", _("The statement file is larger than 2 MB."))
    rows = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    header_index, columns = _find_header(rows)
    statement = Statement(
        header_line=header_index + 1, mapping={role: rows[header_index][i].strip() for role, i in columns.items()}
    )
    for offset, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if any(str(cell).strip() for cell in cells):
            statement.lines.append(_line(offset, cells, columns))
    return statement


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("statement_not_csv", _("The statement must be a CSV file in UTF-8 or an Excel file."))
    if "\x00" in text:
        raise DomainError("statement_not_csv", _("The statement must be a CSV file in UTF-8 or an Excel file."))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell for cell in row] for row in csv.reader(io.StringIO(text), dialect=dialect)]
    except csv.Error:
        raise DomainError("statement_not_csv", _("The statement must be a CSV file in UTF-8 or an Excel file."))


def _xlsx_rows(data):
    from openpyxl import load_workbook  # slow import: only for Excel statements

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return [
            ["" if cell is None else _excel_cell(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError):
        raise DomainError("statement_not_csv", _("The statement must be a CSV file in UTF-8 or an Excel file."))


def _excel_cell(value):
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalize_header(text):
    """'Số tiền ghi có / Credit' → 'so tien ghi co / credit': unaccented, lower case, single spaces."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", text).strip()


def column_role(header):
    """The role of a column from its header, or None; '=word' in ROLES means the whole header (or a part)."""
    text = normalize_header(header)
    parts = {text, *(part.strip() for part in re.split(r"[/()\n]", text) if part.strip())}
    for role, words in ROLES:
        for word in words:
            if word.startswith("=") and word[1:] in parts:
                return role
            if not word.startswith("=") and word in text:
                return role
    return None


def _find_header(rows):
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for position, cell in enumerate(cells):
            role = column_role(cell)
            if role is not None and role not in columns:
                columns[role] = position
        if "description" in columns and ("credit" in columns or "amount" in columns):
            columns.pop("balance", None)
            return index, columns
    raise DomainError(
        "statement_columns",
        _("The statement needs a description column and a credit (or amount) column."),
    )


def _line(number, cells, columns):
    def cell(role):
        position = columns.get(role)
        return str(cells[position]).strip() if position is not None and position < len(cells) else ""

    if not cell("description") and parse_day_first(cell("date")) is None:
        # A totals line ("Tổng cộng") or a footer: no date, no message, not a transaction.
        return StatementLine(number, None, str(_("Not a transaction line: skipped.")))
    try:
        amount = _credit_amount(cell, columns)
    except ValueError:
        return StatementLine(number, None, str(_("The amount cannot be read.")))
    if not amount:
        return StatementLine(number, None)
    return StatementLine(
        number,
        BankCredit(
            transaction_id=cell("reference"),
            amount=amount,
            content=cell("description")[:500],
            bank_reference=cell("reference")[:120],
            occurred_at=parse_day_first(cell("date")),
        ),
    )


def _credit_amount(cell, columns):
    """Money in on this line, or 0: the credit column, or a positive signed amount not marked debit."""
    if "credit" in columns:
        return max(parse_vnd(cell("credit")) or 0, 0)
    amount = parse_vnd(cell("amount")) or 0
    if amount <= 0 or normalize_header(cell("direction")) in DEBIT_MARKS:
        return 0
    return amount


def parse_vnd(text):
    """Whole đồng from '1.500.000', '1,500,000', '1500000', '1.500.000,00', '+1 500 000 VND'; None if empty.

    Raises ValueError for anything else, including a fraction of a đồng.
    """
    text = re.sub(r"(?i)\s|vnd|₫|đ", "", str(text or ""))
    if text in ("", "-", "0"):
        return None if text != "0" else 0
    sign = -1 if text.startswith("-") or (text.startswith("(") and text.endswith(")")) else 1
    match = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3}(?:\2\d{3})*)?|\d+)(?:([.,])(\d{1,2}))?", text.strip("+-()"))
    if match is None or (match.group(2) and match.group(2) == match.group(3)):
        raise ValueError(f"not an amount: {text!r}")
    if match.group(4) and int(match.group(4)):
        raise ValueError("fraction of a đồng")
    return sign * int(re.sub(r"[.,]", "", match.group(1)))


DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_day_first(text):
    """'27/11/2026', '27-11-2026 14:02', '27/11/2026 14:02:37' or ISO '2026-11-27' as Vietnam time; else None."""
    text = (text or "").strip()
    match = DAY_FIRST.match(text)
    if match:
        day, month, year = match.group(1, 2, 3)
    elif match := ISO_DATE.match(text):
        year, month, day = match.group(1, 2, 3)
    else:
        return None
    hour, minute, second = (int(part or 0) for part in match.group(4, 5, 6))
    try:
        return datetime(int(year), int(month), int(day), hour, minute, second, tzinfo=VIETNAM)
    except ValueError:
        return None
