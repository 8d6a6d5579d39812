"""The Models page: admins train from the labels and/or an uploaded CSV; bad files are refused
before a version exists, in the reader's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saring.harms.models import HarmModel
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def _client(client, role: str):
    user = member(role, username=f"{role}.models")
    client.login(username=user.username, password=PASSWORD)
    return client


def _csv(name: str, text: str | bytes, encoding: str = "utf-8") -> SimpleUploadedFile:
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_admin_trains_from_an_uploaded_latin1_csv(client, django_capture_on_commit_callbacks):
    rows = ["Tweet,HS,Abusive,Sumber"]
    for i in range(12):
        rows += [f"dasar bego kafir {i},1,1,x", f"ayo ke tps besok {i} caf\xe9,0,0,y"]
    upload = _csv("latih ibrohim.csv", "\n".join(rows), "latin-1")
    admin = _client(client, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("web:model_train"), {"file": upload, "note": "uji"}, follow=True
        )
    model = HarmModel.objects.get()
    assert (model.status, model.labels, model.note) == ("ready", ["abusive", "hate_speech"], "uji")
    assert model.source_file == "latih_ibrohim.csv"
    said = " ".join(_messages(response))
    assert "latih ibrohim.csv: 24 baris, label abusive, hate_speech." in said
    page = admin.get(reverse("web:models")).content.decode()  # trained once the request committed
    assert "latih_ibrohim.csv + label dari analis" in page and "Macro-F1" in page
    assert "Bahasa kasar" in page and "Ujaran kebencian" in page  # labels by their names


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("isi,HS\nhalo,0\n", "ekspor.csv: tidak ada kolom teks (Tweet, text, comment_text)"),
        ("text,Sumber\nhalo,x\n", "ekspor.csv: tidak ada kolom yang menamai kategori"),
        ("text,HS\nhalo,0\n".encode("utf-16"), "ekspor.csv bukan berkas teks CSV (spreadsheet"),
    ],
)
def test_a_bad_csv_is_refused_by_name_and_makes_no_version(client, content, said):
    response = _client(client, "admin").post(
        reverse("web:model_train"), {"file": _csv("ekspor.csv", content)}, follow=True
    )
    assert said in " ".join(_messages(response))
    assert not HarmModel.objects.exists()


def test_only_admins_train_and_a_failure_reads_in_the_page_language(client):
    assert _client(client, "analyst").post(reverse("web:model_train")).status_code == 403
    client.logout()
    HarmModel.objects.create(
        version=1,
        status="failed",
        error="label 'hoax' has only one class (every row is positive)",
        metrics={"error": {"code": "one_class", "params": {"label": "hoax", "only": "positive"}}},
    )
    viewer = _client(client, "viewer")
    page = viewer.get(reverse("web:models")).content.decode()
    assert "Label hoax hanya punya satu kelas: semua teks positif." in page
    assert "Mulai pelatihan" not in page  # the form is for admins
    page = viewer.get(reverse("web:models"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Label hoax has only one class: every text is positive." in page
