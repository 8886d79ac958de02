"""The organization's logo: content-checked, size-limited upload by administrators, served only to
signed-in members of that organization through the API."""

from __future__ import annotations

import io
import os

import pytest
from conftest import client_for, make_user
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from crm.audit.models import AuditEvent
from crm.identity.models import Organization, Role

URL = "/api/v1/organization/logo"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(size=(40, 20), color="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload(client, content: bytes, name="logo.png", kind="image/png"):
    return client.post(URL, {"logo": SimpleUploadedFile(name, content, content_type=kind)}, format="multipart")


def test_an_admin_uploads_a_logo_members_see_it(admin_api, api, admin, org):
    response = upload(admin_api, png())
    assert response.status_code == 200, response.data
    assert response.data["logo_url"] == "/api/v1/organization/logo?v=2"
    served = api.get(URL)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png()
    event = AuditEvent.all_orgs.filter(object_type="identity.organization", object_id=org.pk).get()
    assert event.actor_id == admin.pk
    assert event.changes["logo"][0] is None
    assert event.changes["logo"][1].startswith(f"organization-logos/{org.pk}-")


def test_the_logo_is_not_served_to_another_organization_or_strangers(admin_api, other_org, anon, org):
    assert upload(admin_api, png()).status_code == 200
    stranger = client_for(make_user(other_org, Role.ADMIN))
    assert stranger.get(URL).status_code == 404
    assert anon.get(URL).status_code == 401
    assert Organization.objects.get(pk=other_org.pk).logo.name == ""


def test_a_replaced_logo_deletes_the_old_file_and_removal_clears_it(admin_api, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(admin_api, png()).status_code == 200
    first = Organization.objects.get(pk=org.pk).logo
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(admin_api, png(color="red")).status_code == 200
    assert not first.storage.exists(first.name)
    with django_capture_on_commit_callbacks(execute=True):
        removed = admin_api.delete(URL)
    assert (removed.status_code, removed.data["logo_url"]) == (200, None)
    assert admin_api.get(URL).status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.svg"),
        (b"GIF89a but not really an image", "logo.gif"),
        (png()[:60], "logo.png"),
        (b"%PDF-1.4 a document", "logo.png"),
    ],
)
def test_content_that_is_not_an_image_is_refused(admin_api, org, content, name):
    response = upload(admin_api, content, name=name)
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["logo"]
    assert Organization.objects.get(pk=org.pk).version == 1


def test_a_logo_over_one_megabyte_is_refused(admin_api, org):
    noisy = io.BytesIO()
    Image.frombytes("RGB", (640, 600), os.urandom(640 * 600 * 3)).save(noisy, "PNG")
    assert len(noisy.getvalue()) > 1024 * 1024
    response = upload(admin_api, noisy.getvalue())
    assert response.status_code == 400
    assert "logo" in response.data["errors"]
    assert Organization.objects.get(pk=org.pk).logo.name == ""


def test_only_admins_upload(api, org):
    assert upload(api, png()).status_code == 403
    assert api.delete(URL).status_code == 403
    assert Organization.objects.get(pk=org.pk).logo.name == ""
