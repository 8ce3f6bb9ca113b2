"""The optional PAdES seal: made with a throwaway certificate authority created for each test run,
then checked with pyHanko's validator the way a PDF reader would check it."""

import hashlib
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from pacts.seal import SEAL_FIELD, SEAL_REASON, seal_pdf, sealing_configured

PASSWORD = "mật-khẩu-con-dấu"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bộ Tư pháp (thử nghiệm)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,  # non-repudiation: pyHanko's validator expects it on a signer
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(subject, issuer, public_key, issuer_key, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_key_usage(signer=not ca), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def authority(tmp_path_factory) -> tuple[Path, asn1_x509.Certificate]:
    """A root CA and a sealing certificate it issued, in a password-protected .p12; returns the file and the root."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("CA thử nghiệm cổng thi đua")
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True)
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = _certificate(_name("Cổng thi đua ngành Tư pháp"), root_name, seal_key.public_key(), root_key, ca=False)
    path = tmp_path_factory.mktemp("seal") / "con-dau.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"thidua-seal", seal_key, seal, [root], serialization.BestAvailableEncryption(PASSWORD.encode())
        )
    )
    return path, asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))


@pytest.fixture
def configured(settings, authority) -> asn1_x509.Certificate:
    path, root = authority
    settings.PDF_SIGNING_P12 = str(path)
    settings.PDF_SIGNING_P12_PASSWORD = PASSWORD
    return root


@pytest.fixture(scope="module")
def document() -> bytes:
    return HTML(string="<h1>GIAO ƯỚC THI ĐUA</h1><p>Sở Tư pháp tỉnh Quảng Bình, Đồng Hới.</p>").write_pdf()


def _status(data: bytes, root: asn1_x509.Certificate):
    signatures = PdfFileReader(BytesIO(data)).embedded_signatures
    assert [signature.field_name for signature in signatures] == [SEAL_FIELD]
    return signatures[0], validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[root]))


def test_sealing_is_configured_only_when_a_certificate_file_is_set(settings):
    settings.PDF_SIGNING_P12 = ""
    assert not sealing_configured()
    settings.PDF_SIGNING_P12 = "/run/secrets/con-dau.p12"
    assert sealing_configured()


def test_a_sealed_pdf_validates_as_intact_and_trusted_and_covers_the_whole_file(configured, document):
    sealed = seal_pdf(document)
    signature, status = _status(sealed, configured)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.modification_level.name == "NONE"
    assert signature.sig_object["/Reason"] == SEAL_REASON
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert "Cổng thi đua ngành Tư pháp" in status.signing_cert.subject.human_friendly


def test_the_seal_is_an_incremental_update_that_keeps_the_rendered_bytes(configured, document):
    sealed = seal_pdf(document)
    assert sealed.startswith(document)
    assert hashlib.sha256(sealed).hexdigest() != hashlib.sha256(document).hexdigest()


def test_changing_one_byte_of_the_sealed_content_breaks_the_seal(configured, document):
    sealed = bytearray(seal_pdf(document))
    # A byte inside the first content stream of the original document, which the signature covers.
    position = sealed.index(b"stream\n") + len(b"stream\n") + 5
    sealed[position] ^= 0x01
    _, status = _status(bytes(sealed), configured)
    assert not status.intact
    assert not status.bottom_line


def test_a_seal_from_an_untrusted_authority_is_not_trusted(configured, document, authority):
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    stranger_name = _name("CA lạ")
    stranger = _certificate(stranger_name, stranger_name, stranger_key.public_key(), stranger_key, ca=True)
    _, status = _status(
        seal_pdf(document), asn1_x509.Certificate.load(stranger.public_bytes(serialization.Encoding.DER))
    )
    assert status.intact and not status.trusted
    assert not status.bottom_line


def test_a_wrong_password_is_a_configuration_error(configured, document, settings):
    settings.PDF_SIGNING_P12_PASSWORD = "sai"
    with pytest.raises(ImproperlyConfigured, match="PDF_SIGNING_P12"):
        seal_pdf(document)


def test_a_missing_certificate_file_is_a_configuration_error(settings, document, tmp_path):
    settings.PDF_SIGNING_P12 = str(tmp_path / "khong-co.p12")
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        seal_pdf(document)


@pytest.mark.django_db
def test_the_worker_seals_an_executed_pacts_pdf_and_records_the_hash_of_the_sealed_file(configured, settings, tmp_path):
    from pacts.models import PdfJob
    from pacts.tasks import render_pact_pdf
    from tests.pacts.test_pdf_jobs import execute, job_of

    settings.MEDIA_ROOT = tmp_path
    pact = execute()
    assert render_pact_pdf.apply(args=[job_of(pact).pk]).get() == PdfJob.Status.READY
    job = job_of(pact)
    data = Path(job.pdf.path).read_bytes()
    assert job.sealed
    assert job.pdf_sha256 == hashlib.sha256(data).hexdigest()
    _, status = _status(data, configured)
    assert status.bottom_line and status.coverage.name == "ENTIRE_FILE"
