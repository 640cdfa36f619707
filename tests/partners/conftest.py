"""Two partner organisations, each with a member linked to a partner login."""

import io

import pytest
from PIL import Image

from tests.factories.partners import AgreementFactory, MemberFactory, OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _image(kind: str) -> bytes:
    # Real pictures: uploads of images that do not decode are refused.
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, kind)
    return out.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bchr(db):
    return OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")


@pytest.fixture
def yucom(db):
    return OrganisationFactory(name="Lawyers' Committee for Human Rights", short_name="YUCOM")


@pytest.fixture
def bchr_agreement(bchr):
    return AgreementFactory(organisation=bchr, reference_number="NPM-BCHR/1")


@pytest.fixture
def yucom_agreement(yucom):
    return AgreementFactory(organisation=yucom, reference_number="NPM-YUCOM/1")


@pytest.fixture
def own_member(bchr, partner_member):
    """The `partner` login's member profile, at BCHR."""
    return MemberFactory(
        organisation=bchr, first_name="Ana", last_name="Marković", user=partner_member
    )


@pytest.fixture
def colleague(bchr):
    """Another BCHR member, without a login."""
    return MemberFactory(organisation=bchr, first_name="Dragan", last_name="Petrović")


@pytest.fixture
def other_member(yucom, other_partner_member):
    """The `partner2` login's member profile, at YUCOM."""
    return MemberFactory(
        organisation=yucom, first_name="Nikola", last_name="Ilić", user=other_partner_member
    )
