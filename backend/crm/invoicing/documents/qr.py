"""The EPC (SEPA credit transfer) QR code printed on an invoice when the organization has an IBAN."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import segno
from segno import helpers


def epc_qr_data_uri(*, name: str, iban: str, bic: str, amount: Decimal, reference: str) -> str | None:
    """An SVG data URI of the EPC QR code for ``amount`` (EUR) with ``reference`` as the remittance
    text, or None when no code can be made (no IBAN, nothing open, an amount beyond the EPC limit)."""
    iban = iban.replace(" ", "").upper()
    if not iban or amount <= 0 or amount > Decimal("999999999.99"):
        return None
    try:
        code: segno.QRCode = helpers.make_epc_qr(
            name=name[:70] or "-", iban=iban, amount=amount, text=reference[:140], bic=bic.replace(" ", "") or None
        )
    except ValueError:
        return None
    out = io.BytesIO()
    code.save(out, kind="svg", scale=3, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
