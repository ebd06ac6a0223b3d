"""Library descriptions in Welsh: a Welsh partner reads the Welsh description, or the English
with a note; staff save the Welsh version on the document's form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coprod.models import Resource

pytestmark = pytest.mark.django_db


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("role.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")


def test_staff_save_a_welsh_description_and_welsh_partners_read_it(client_for, world):
    staff_client, partner_client = client_for("staff"), client_for("partner")
    response = staff_client.post(reverse("coprod:resource_create"), {
        "title": "Panel member role", "kind": "role_description", "file": _pdf(), "for_partners": "on",
        "description": "What a panel member does.", "description_cy": "Beth mae aelod o banel yn ei wneud."})
    assert response.status_code == 302, response.content.decode()
    resource = Resource.objects.get(title="Panel member role")
    assert resource.description_cy == "Beth mae aelod o banel yn ei wneud."
    Resource.objects.create(title="Welcome pack", kind="welcome_pack", for_partners=True,
                            description="Everything to know on your first day.", file=resource.file.name)

    page = partner_client.get(reverse("coprod:resource_list")).content.decode()
    assert "What a panel member does." in page and "Beth mae aelod" not in page

    world.partner.user.language = "cy"
    world.partner.user.save(update_fields=["language"])
    page = partner_client.get(reverse("coprod:resource_list")).content.decode()
    assert "Beth mae aelod o banel yn ei wneud." in page and "What a panel member does." not in page
    assert '<span lang="en">Everything to know on your first day.</span>' in page
    assert "Nid yw ar gael yn Gymraeg eto" in page
