"""The optional seal on a signed pact's PDF: a PAdES signature (B-B) made with the organisation's PKCS#12 key.

The leaders' signatures are application events recorded in the database; the seal is the portal vouching
for the finished document, so that any PDF reader shows whether the file was altered after it was issued.
"""

import warnings
from io import BytesIO
from pathlib import Path

from cryptography.utils import CryptographyDeprecationWarning
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# pyHanko imports cryptography's DSA key types to recognise them, and cryptography warns at that import that
# DSA is deprecated: a notice for pyHanko's authors, not for whoever runs the portal (its seal is RSA or EC).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

SEAL_FIELD = "ChungThuc"
SEAL_REASON = "Xác nhận bản giao ước thi đua đã ký kết đầy đủ"


def sealing_configured() -> bool:
    """True when a PKCS#12 file is configured (settings.PDF_SIGNING_P12)."""
    return bool(settings.PDF_SIGNING_P12)


def _signer() -> signers.SimpleSigner:
    path = Path(settings.PDF_SIGNING_P12)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"PDF_SIGNING_P12: cannot read {path}: {error.strerror}") from error
    password = settings.PDF_SIGNING_P12_PASSWORD.encode() or None
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    except ValueError as error:
        raise ImproperlyConfigured(f"PDF_SIGNING_P12: {path} is not a PKCS#12 file this password opens.") from error


def seal_pdf(data: bytes) -> bytes:
    """Returns the PDF with a PAdES B-B signature appended in an incremental update (the original bytes
    stay untouched at the start of the file). No time-stamp authority: the intranet reaches none."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=SEAL_REASON,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    output = BytesIO()
    signers.sign_pdf(writer, meta, signer=_signer(), output=output)
    return output.getvalue()
