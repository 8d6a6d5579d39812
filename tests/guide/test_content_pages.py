"""The officers' guide pages: the list and nav link, drafting an announcement through the form
(errors shown again), editing into a new version, preview as the public sees it, submitting,
the approval queue and the two-person rule on the page, returning, withdrawing, and the
read-only Django admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saring.accounts.models import Organisation
from saring.accounts.scope import scope_for
from saring.guide.models import Entry, Revision
from saring.guide.services import content
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db
JABAR, GARUT, BOGOR = "32", "32.05", "32.01"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def analyst():
    return member("analyst", JABAR, GARUT)


@pytest.fixture
def admin():
    return member("admin", JABAR)


def form(**fields):
    data = {
        "kind": "announcement",
        "title_id": "PSU di TPS 05 Tarogong Kidul",
        "body_id": "<p>Pemungutan suara ulang hari Sabtu pukul 07.00.</p><script>x()</script>",
        "notice": "revote",
        "region": GARUT,
        "election": "",
        "valid_from": "2024-12-01T07:00",
        "valid_until": "2024-12-01T13:00",
        "position": "10",
    }
    data.update(fields)
    return data


def drafted(user, **fields):
    values = {
        "kind": "announcement",
        "slug": "",
        "title_id": "Masa tenang di Garut",
        "body_id": "<p>Dilarang berkampanye.</p>",
        "notice": "quiet_period",
        "regency": GARUT,
    }
    values.update(fields)
    return content.draft(scope_for(user), **values)


def test_the_nav_link_and_the_list(client, analyst):
    mine = drafted(analyst)
    bogor = drafted(member("analyst", JABAR, BOGOR), regency=BOGOR)
    html = login(client, analyst).get("/").content.decode()
    assert 'data-nav="guide"' in html
    html = client.get(reverse("web:guide")).content.decode()
    assert f'data-entry="{mine.entry_id}"' in html and f'data-entry="{bogor.entry_id}"' not in html
    assert 'data-new="announcement"' in html
    html = client.get(reverse("web:guide"), {"kind": "page"}).content.decode()
    assert f'data-entry="{mine.entry_id}"' not in html
    client.logout()
    liaison = member("analyst", kind=Organisation.Kind.PLATFORM)
    assert 'data-nav="guide"' not in login(client, liaison).get("/").content.decode()


def test_drafting_an_announcement_through_the_form(client, analyst):
    login(client, analyst)
    page = client.get(reverse("web:guide_new"), {"kind": "announcement"}).content.decode()
    for name in ("title_id", "body_id", "title_en", "body_en", "notice", "region", "valid_until"):
        assert f'for="f-{name}"' in page and f'id="f-{name}"' in page  # every input labelled
    response = client.post(reverse("web:guide_new") + "?kind=announcement", form(submit="1"))
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:guide_entry", args=[entry.pk]
    )
    revision = entry.revisions.get()
    assert (entry.regency_id, entry.notice, entry.position) == (GARUT, "revote", 10)
    assert revision.state == "submitted" and "script" not in revision.body_id
    assert revision.valid_until > revision.valid_from
    html = client.get(response["Location"]).content.decode()
    assert f'data-revision="{revision.pk}"' in html and 'data-state="submitted"' in html
    assert f'data-approve="{revision.pk}"' not in html  # analysts do not approve


def test_a_bad_form_is_shown_again_with_the_field_named(client, analyst):
    login(client, analyst)
    response = client.post(
        reverse("web:guide_new") + "?kind=announcement",
        form(valid_until="2024-11-30T00:00", title_id="Judul yang tetap ada"),
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'data-field="valid_until"' in html
    assert 'value="Judul yang tetap ada"' in html and not Entry.objects.exists()
    response = client.post(reverse("web:guide_new") + "?kind=announcement", form(notice=""))
    assert 'data-field="notice"' in response.content.decode()
    response = client.post(reverse("web:guide_new") + "?kind=announcement", form(region=BOGOR))
    assert response.status_code == 400 and not Entry.objects.exists()


def test_viewers_cannot_draft(client):
    login(client, member("viewer", JABAR, GARUT))
    assert client.get(reverse("web:guide_new"), {"kind": "page"}).status_code == 403
    assert client.get(reverse("web:guide")).status_code == 200


def test_the_author_cannot_approve_on_the_page_and_another_admin_can(client, admin):
    own = drafted(admin, regency=BOGOR)
    content.submit(scope_for(admin), own)
    login(client, admin)
    html = client.get(reverse("web:guide_approvals")).content.decode()
    assert f'data-not-yours="{own.pk}"' in html and f'data-approve="{own.pk}"' not in html
    response = client.post(reverse("web:guide_approve", args=[own.pk]), {"from": "queue"})
    assert response.status_code == 302
    assert Revision.objects.get(pk=own.pk).state == "submitted"
    messages = client.get(reverse("web:guide_approvals")).content.decode()
    assert 'class="error"' in messages
    client.logout()
    other = member("admin", JABAR)
    login(client, other)
    html = client.get(reverse("web:guide_approvals")).content.decode()
    assert f'data-approve="{own.pk}"' in html
    client.post(reverse("web:guide_approve", args=[own.pk]), {"note": "OK", "from": "queue"})
    entry = Entry.objects.get(pk=own.entry_id)
    assert (entry.status, entry.live_id) == ("published", own.pk)


def test_an_analyst_gets_no_approval_queue(client, analyst):
    login(client, analyst)
    assert client.get(reverse("web:guide_approvals")).status_code == 403
    revision = content.submit(scope_for(analyst), drafted(analyst))
    client.post(reverse("web:guide_approve", args=[revision.pk]))
    assert Revision.objects.get(pk=revision.pk).state == "submitted"


def test_return_edit_into_a_new_version_and_withdraw(client, analyst, admin):
    revision = content.submit(scope_for(analyst), drafted(analyst))
    login(client, admin)
    client.post(reverse("web:guide_return", args=[revision.pk]), {"note": "Tambahkan jam"})
    assert Revision.objects.get(pk=revision.pk).state == "rejected"
    client.logout()
    login(client, analyst)
    edit = client.get(reverse("web:guide_edit", args=[revision.entry_id])).content.decode()
    assert "Masa tenang di Garut" in edit and 'id="f-slug"' not in edit
    client.post(
        reverse("web:guide_edit", args=[revision.entry_id]),
        form(title_id="Masa tenang di Garut (diperbarui)", notice="quiet_period"),
    )
    second = Revision.objects.get(entry_id=revision.entry_id, number=2)
    assert second.state == "draft" and second.title_id.endswith("(diperbarui)")
    # Saving again edits the same draft rather than making a third version.
    client.post(
        reverse("web:guide_edit", args=[revision.entry_id]),
        form(title_id="Masa tenang di Garut v2", notice="quiet_period"),
    )
    assert Revision.objects.filter(entry_id=revision.entry_id).count() == 2
    client.post(reverse("web:guide_submit", args=[second.pk]))
    client.logout()
    login(client, admin)
    client.post(reverse("web:guide_approve", args=[second.pk]))
    html = client.get(reverse("web:guide_entry", args=[revision.entry_id])).content.decode()
    assert f'data-live="{second.pk}"' in html and 'data-action="guide.approved"' in html
    assert f'data-withdraw="{revision.entry_id}"' in html
    client.post(reverse("web:guide_withdraw", args=[revision.entry_id]), {"why": "Selesai"})
    assert Entry.objects.get(pk=revision.entry_id).status == "withdrawn"


def test_preview_shows_the_sanitised_text_validity_and_region(client, analyst):
    revision = drafted(
        analyst,
        title_en="Quiet period in Garut",
        body_en="<p>No campaigning.</p>",
        valid_from="2024-11-24T00:00",
        valid_until="2024-11-27T00:00",
    )
    html = login(client, analyst).get(reverse("web:guide_preview", args=[revision.pk]))
    text = html.content.decode()
    assert html["X-Robots-Tag"] == "noindex"
    assert 'id="preview-title">Masa tenang di Garut<' in text
    assert "<p>Dilarang berkampanye.</p>" in text and 'id="preview-validity"' in text
    assert "Kabupaten Garut" in text  # the region's name is data
    english = client.get(reverse("web:guide_preview", args=[revision.pk]), {"lang": "en"})
    assert "<p>No campaigning.</p>" in english.content.decode()
    client.logout()
    login(client, member("analyst", JABAR, BOGOR))
    assert client.get(reverse("web:guide_preview", args=[revision.pk])).status_code == 404


def test_a_submitted_version_cannot_be_edited_until_taken_back(client, analyst):
    revision = content.submit(scope_for(analyst), drafted(analyst))
    login(client, analyst)
    response = client.get(reverse("web:guide_edit", args=[revision.entry_id]))
    assert response.status_code == 302
    client.post(reverse("web:guide_unsubmit", args=[revision.pk]))
    assert Revision.objects.get(pk=revision.pk).state == "draft"
    assert client.get(reverse("web:guide_edit", args=[revision.entry_id])).status_code == 200


def test_the_django_admin_is_read_only(client, analyst):
    revision = drafted(analyst)
    superuser = member("admin")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    login(client, superuser)
    changelist = client.get(reverse("admin:guide_entry_changelist"))
    assert changelist.status_code == 200 and "masa-tenang-di-garut" in changelist.content.decode()
    assert client.get(reverse("admin:guide_entry_add")).status_code == 403
    page = client.get(reverse("admin:guide_revision_change", args=[revision.pk]))
    assert page.status_code == 200 and 'name="title_id"' not in page.content.decode()
    client.post(reverse("admin:guide_revision_delete", args=[revision.pk]), {"post": "yes"})
    assert Revision.objects.filter(pk=revision.pk).exists()
