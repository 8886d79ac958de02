from __future__ import annotations

import pytest

from crm.accounts.tests.factories import ContactFactory
from crm.marketing.models import EmailTemplate, EmailTemplateVersion
from crm.sales.tests.factories import LeadFactory

from .factories import EmailTemplateFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/email-templates"


def test_create_with_the_documented_shape(api):
    response = api.post(
        URL, {"name": "Welcome", "subject": "Hi {{ contact.first_name }}", "body": "<p>Hello</p>"}, format="json"
    )
    assert response.status_code == 201, response.data
    assert (response.data["body_format"], response.data["text_body"], response.data["version"]) == ("html", "", 1)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"subject": "s", "body": "b"}, "name"),
        ({"name": "n", "body": "b"}, "subject"),
        ({"name": "n", "subject": "s"}, "body"),
        ({"name": "n", "subject": "{{", "body": "b"}, "subject"),
        ({"name": "n", "subject": "s", "body": "{% for %}"}, "body"),
        ({"name": "n", "subject": "s", "body": "<mjml><mj-body>", "body_format": "mjml"}, "body"),
        ({"name": "n", "subject": "s", "body": "b", "body_format": "docx"}, "body_format"),
        ({"name": "n", "subject": "s", "body": "b", "text_body": "{{ x"}, "text_body"),
    ],
)
def test_bad_templates_are_400_and_save_nothing(api, payload, field):
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data["errors"]
    assert not EmailTemplate.all_orgs.exists()


def test_edits_keep_versions_and_revert(api, user):
    template = EmailTemplateFactory(owner=user, subject="First")
    url = f"{URL}/{template.pk}"
    assert api.patch(url, {"subject": "Second", "version": 1}, format="json").status_code == 200
    assert api.patch(url, {"subject": "Third", "version": 2}, format="json").status_code == 200
    versions = api.get(f"{url}/versions").data
    assert [(row["version"], row["subject"]) for row in versions] == [(2, "Second"), (1, "First")]
    reverted = api.post(f"{url}/revert", {"to_version": 1, "version": 3}, format="json")
    assert (reverted.status_code, reverted.data["subject"], reverted.data["version"]) == (200, "First", 4)
    stale = api.post(f"{url}/revert", {"to_version": 1, "version": 3}, format="json")
    assert stale.status_code == 409
    missing = api.post(f"{url}/revert", {"to_version": 99, "version": 4}, format="json")
    assert (missing.status_code, missing.data["code"]) == (400, "unknown_version")
    assert EmailTemplateVersion.all_orgs.filter(template=template).count() == 3


def test_a_broken_edit_is_400_and_keeps_the_template(api, user):
    template = EmailTemplateFactory(owner=user)
    response = api.patch(f"{URL}/{template.pk}", {"body": "{{ nope", "version": 1}, format="json")
    assert response.status_code == 400
    template.refresh_from_db()
    assert (template.version, "nope" in template.body) == (1, False)
    assert not EmailTemplateVersion.all_orgs.exists()


def test_preview_with_a_real_contact_and_a_lead(api, user):
    template = EmailTemplateFactory(owner=user)
    contact = ContactFactory(owner=user, first_name="Maria")
    response = api.post(f"{URL}/{template.pk}/preview", {"contact_id": contact.pk}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["subject"] == "Hello Maria"
    assert "Hi Maria," in response.data["html"]
    assert "See the offer (https://example.com/offer)" in response.data["text"]
    lead = LeadFactory(owner=user, first_name="")
    response = api.post(f"{URL}/{template.pk}/preview", {"lead_id": lead.pk}, format="json")
    assert response.data["subject"] == "Hello there"


def test_preview_of_unsaved_content(api, user):
    template = EmailTemplateFactory(owner=user)
    response = api.post(
        f"{URL}/{template.pk}/preview",
        {"body": "<p>Draft {{ organization.name }}</p><script>x</script>", "subject": "Draft"},
        format="json",
    )
    assert response.status_code == 200
    assert f"Draft {user.organization.name}" in response.data["html"]
    assert "<script" not in response.data["html"]
    broken = api.post(f"{URL}/{template.pk}/preview", {"body": "{{ x.__class__ }}"}, format="json")
    assert broken.status_code == 400


def test_preview_of_another_organizations_contact_is_refused(api, user, other_user):
    template = EmailTemplateFactory(owner=user)
    theirs = ContactFactory(owner=other_user)
    response = api.post(f"{URL}/{template.pk}/preview", {"contact_id": theirs.pk}, format="json")
    assert response.status_code == 400
    assert "contact_id" in response.data["errors"]


def test_another_organization_gets_404(other_api, user):
    template = EmailTemplateFactory(owner=user)
    assert other_api.get(f"{URL}/{template.pk}").status_code == 404
    assert other_api.post(f"{URL}/{template.pk}/preview", {}, format="json").status_code == 404
    assert other_api.get(f"{URL}/{template.pk}/versions").status_code == 404


def test_anonymous_is_401(anon):
    assert anon.get(URL).status_code == 401
