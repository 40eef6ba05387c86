"""Sending a PDF to a CUPS printer: the only place that runs `lp`.

A badge desk's printer is a CUPS queue on the server (a USB label printer on
the server itself, or the station's printer added as an IPP queue:
`lpadmin -p Desk1 -v ipp://10.0.0.31/ipp/print -E -m everywhere`). Which queue
a desk uses comes from settings.BADGE_DESK_PRINTERS (desk name -> queue); a
desk not listed prints on the CUPS default destination.
"""

import subprocess

from django.conf import settings

LP_TIMEOUT_SECONDS = 30


class PrinterError(Exception):
    """CUPS refused the job or could not be reached; the message is what `lp` said."""


def desk_printer(gate):
    """The CUPS queue of a badge desk ("" for the CUPS default destination)."""
    return settings.BADGE_DESK_PRINTERS.get(gate, "")


def send_pdf(path, *, printer, title):
    """Queue one PDF file on a CUPS printer; CUPS's request id (e.g. "PDF-12"). PrinterError when lp fails.

    fit-to-page: the badge is 90 × 130 mm; A6 (105 × 148 mm) label paper, the usual
    desk stock, takes it whole, and a larger sheet centres it.
    """
    command = ["lp", "-t", title[:100], "-o", "fit-to-page"]
    if printer:
        command += ["-d", printer]
    command += ["--", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:  # no lp installed, or CUPS not answering
        raise PrinterError(str(error)) from error
    if done.returncode != 0:
        raise PrinterError((done.stderr or done.stdout).strip()[:300])
    # "request id is PDF-12 (1 file(s))"
    words = done.stdout.split()
    return words[3] if len(words) > 3 else done.stdout.strip()
