"""Evidence packets: signing, what goes in (and what stays out), tampering named file by file,
the `saring cases verify` exit codes and the public key endpoint."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import time
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from saring.accounts.scope import SYSTEM, ScopeError
from saring.audit.models import AuditEvent
from saring.cases import packets, signing
from saring.cases.models import CaseItem, LegalBasis
from saring.cases.services.attachments import add_screenshot
from saring.factcheck.models import Claim, Clarification, PostMatch
from saring.monitoring.models import EngagementObservation, Post
from tests.cases.conftest import make_case, scope

PERSONAL = ("Siti Pelapor", "pelapor@example.org", "+6281234567890")
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SARING_PACKET_KEY = str(tmp_path / "key.pem")


def screenshot(n: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (n * 40 % 255, 80, 120)).save(out, "JPEG")
    return out.getvalue()


def with_post(case, n: int, *, observations: int = 3, match: str | None = None):
    """A captured post for an extra item of `case`, with its engagement history."""
    post = Post.objects.create(
        platform="tiktok",
        platform_id=f"99{case.pk:04d}{n:04d}",
        url=f"https://www.tiktok.com/@penyebar/video/99{case.pk:04d}{n:04d}",
        author_handle="penyebar",
        author_name="Akun Penyebar",
        text=f"Pos {n}: TPS 12 dipindah, jangan datang!",
        created_at=T0,
        observed_at=T0 + timedelta(hours=observations),
        views=1000 * observations,
    )
    for h in range(observations):
        EngagementObservation.objects.create(
            post=post, observed_at=T0 + timedelta(hours=h + 1), views=1000 * (h + 1), likes=h
        )
    CaseItem.objects.create(
        case=case,
        url=post.url,
        canonical_url=f"https://www.tiktok.com/video/{post.platform_id}",
        platform="tiktok",
        content_id=post.platform_id,
        key=f"tiktok:{post.platform_id}",
        post=post,
        origin_case=case,
    )
    if match:
        claim = Claim.objects.create(text="TPS 12 dipindah")
        clarification = Clarification.objects.create(
            claim=claim,
            headline="TPS 12 tidak dipindah",
            verdict="HOAKS",
            url="https://kpu.go.id/klarifikasi/tps-12",
            status="published",
        )
        PostMatch.objects.create(post=post, clarification=clarification, score=0.93, decision=match)
    return post


def read_zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def other_key_pem() -> bytes:
    return (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


# ------------------------------------------------------------------------------ signing


def test_key_is_generated_once_with_mode_0600(settings, tmp_path):
    path = tmp_path / "key.pem"
    assert not path.exists()
    pem, kid = signing.public_key_pem(), signing.key_id()
    assert path.stat().st_mode & 0o777 == 0o600
    assert pem.startswith("-----BEGIN PUBLIC KEY-----") and len(kid) == 16
    raw = signing.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert kid == hashlib.sha256(raw).hexdigest()[:16]
    signing._keys.clear()  # a new process reads the same key back
    assert signing.public_key_pem() == pem


def test_default_key_path_is_in_the_data_dir(settings, tmp_path):
    settings.SARING_PACKET_KEY = ""
    settings.DATA_DIR = tmp_path / "data"
    assert signing.key_path() == tmp_path / "data" / "packet-signing-key.pem"
    signing.sign(b"x")
    assert signing.key_path().exists()


def test_sign_and_verify_round_trip():
    pem = signing.public_key_pem().encode()
    signature = signing.sign(b"manifest bytes")
    assert len(signature) == 64
    assert signing.verify_signature(pem, b"manifest bytes", signature)
    assert not signing.verify_signature(pem, b"manifest bytes!", signature)
    assert not signing.verify_signature(other_key_pem(), b"manifest bytes", signature)
    assert not signing.verify_signature(b"not a key", b"manifest bytes", signature)


# ------------------------------------------------------------------------------ building


@pytest.fixture
def packet(db):
    case = make_case()
    basis = LegalBasis.objects.create(
        code="uu-ite-28-3",
        kind="statute",
        citation="UU 1/2024 Pasal 28 ayat (3)",
        summary_id="Menyebarkan berita bohong yang menimbulkan kerusuhan.",
        summary_en="Spreading false news that causes unrest.",
    )
    case.bases.add(basis)
    with_post(case, 1, match="confirmed")
    with_post(case, 2, match="suggested")
    add_screenshot(case, "../layar 1.jpg", screenshot(1), report=case.reports.get(), scope=SYSTEM)
    return case, packets.build_packet(case, scope=SYSTEM)


def test_packet_holds_every_part_and_a_signed_manifest(packet):
    case, built = packet
    files = read_zip(built.path)
    assert built.path.parent.name == "packets" and built.path.name == built.file_name
    assert set(files) == {
        "evidence.json",
        "evidence.pdf",
        "screenshots/1-layar-1.jpg",
        "manifest.json",
        "manifest.sig",
    }
    assert files["evidence.pdf"].startswith(b"%PDF-")
    manifest = json.loads(files["manifest.json"])
    assert manifest == built.manifest
    assert manifest["format"] == "saring-evidence-packet/1"
    assert manifest["case"] == case.reference and manifest["key_id"] == signing.key_id()
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json", "manifest.sig"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest()
        assert entry["bytes"] == len(files[path])
    signature = base64.b64decode(files["manifest.sig"])
    assert signing.verify_signature(
        signing.public_key_pem().encode(), files["manifest.json"], signature
    )
    assert built.sha256 == hashlib.sha256(built.path.read_bytes()).hexdigest()
    event = AuditEvent.objects.get(action="packet.built")
    assert event.details["sha256"] == built.sha256 and event.subject_id == str(case.pk)
    assert packets.verify_packet(built.path).ok


def test_evidence_json_content(packet):
    case, built = packet
    evidence = json.loads(read_zip(built.path)["evidence.json"])
    assert evidence["case"]["reference"] == case.reference
    assert evidence["case"]["region"]["regency"]["code"] == "32.73"
    assert evidence["legal_bases"][0]["citation"] == "UU 1/2024 Pasal 28 ayat (3)"
    assert evidence["legal_bases"][0]["summary_en"].startswith("Spreading")
    items = evidence["items"]
    assert len(items) == 3 and items[0]["post"] is None  # the conftest item: not captured
    post = items[1]["post"]
    assert post["author_handle"] == "penyebar" and post["text"].startswith("Pos 1")
    assert [o["views"] for o in post["engagement_history"]] == [1000, 2000, 3000]
    assert post["posted_at"] == "2026-11-20T08:00:00Z"
    assert post["clarifications"][0]["match"] == "linked"
    assert post["clarifications"][0]["headline"] == "TPS 12 tidak dipindah"
    assert items[2]["post"]["clarifications"][0]["match"] == "suggestion"
    shot = evidence["screenshots"][0]
    stored = case.attachments.get()
    assert shot["original_sha256"] == stored.original_sha256
    assert shot["sha256"] == stored.sha256
    assert evidence["reports"][0]["tracking_code"] == case.reports.get().tracking_code
    actions = [event["action"] for event in evidence["chain_of_custody"]]
    assert "case.attachment_added" in actions
    seqs = [event["seq"] for event in evidence["chain_of_custody"]]
    assert seqs == sorted(seqs)


def test_a_screenshot_gone_from_storage_is_named_not_fatal(db):
    case = make_case()
    kept = add_screenshot(case, "ada.jpg", screenshot(1), scope=SYSTEM)
    gone = add_screenshot(case, "hilang.jpg", screenshot(2), scope=SYSTEM)
    gone.file.storage.delete(gone.file.name)
    built = packets.build_packet(case, scope=SYSTEM)
    files = read_zip(built.path)
    shots = json.loads(files["evidence.json"])["screenshots"]
    assert [s["file_missing"] for s in shots] == [False, True]
    assert shots[1]["original_sha256"] == gone.original_sha256 and shots[1]["path"] is None
    assert f"screenshots/1-{kept.name}" in files
    assert not any("hilang" in name for name in files)
    assert packets.verify_packet(built.path).ok


def test_only_handlers_build_packets(db, bawaslu_bogor):
    case = make_case()
    with pytest.raises(ScopeError):
        packets.build_packet(case, scope=scope(bawaslu_bogor))
    assert not AuditEvent.objects.filter(action="packet.built").exists()


# ------------------------------------------------------------------------- personal data


@pytest.fixture
def pdf_html(monkeypatch):
    """The HTML each build hands to WeasyPrint."""
    seen: list[str] = []
    original = packets.render_html

    def spy(*args, **kwargs):
        seen.append(original(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(packets, "render_html", spy)
    return seen


def pdf_text(pdf: bytes, tmp_path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    path = tmp_path / "e.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_personal_data_is_left_out_by_default(db, pdf_html, tmp_path):
    case = make_case()
    built = packets.build_packet(case, scope=SYSTEM)
    files = read_zip(built.path)
    text = files["evidence.json"].decode()
    html = pdf_html[-1]
    pdf = pdf_text(files["evidence.pdf"], tmp_path)
    assert "Video ini menyebarkan" in text and "Video ini menyebarkan" in html
    for value in PERSONAL:
        assert value not in text
        assert value not in html
        assert pdf is None or value not in pdf
    assert json.loads(text)["personal_data_included"] is False
    assert not AuditEvent.objects.filter(action="reporter.exported").exists()


def test_personal_data_included_on_request_and_audited(db, pdf_html, bawaslu_bandung):
    case = make_case()
    built = packets.build_packet(case, scope=scope(bawaslu_bandung), include_personal=True)
    evidence = json.loads(read_zip(built.path)["evidence.json"])
    assert evidence["reports"][0]["reporter"] == {
        "name": PERSONAL[0],
        "email": PERSONAL[1],
        "phone": PERSONAL[2],
    }
    for value in PERSONAL:
        assert value in pdf_html[-1]
    event = AuditEvent.objects.get(action="reporter.exported")
    assert event.actor_id == bawaslu_bandung.pk and event.subject_id == str(case.pk)
    assert event.details["packet"] == built.file_name
    # The export is in the packet's own chain of custody.
    assert "reporter.exported" in [e["action"] for e in evidence["chain_of_custody"]]


def test_html_and_script_in_a_description_are_escaped_in_the_pdf(db, pdf_html):
    case = make_case()
    case.reports.update(description='<script>alert("x")</script><img src="http://evil.test/a">')
    case.title = "<b>judul</b>"
    case.save()
    built = packets.build_packet(case, scope=SYSTEM)
    html = pdf_html[-1]
    assert "<script>" not in html and "&lt;script&gt;alert" in html
    assert 'src="http://evil.test' not in html and "&lt;img src=" in html
    assert "&lt;b&gt;judul&lt;/b&gt;" in html
    assert packets.verify_packet(built.path).ok


def test_the_pdf_fetcher_serves_only_the_packet():
    fetch = packets._fetcher({"packet:preview/1.jpg": b"jpeg"})
    with pytest.raises(ValueError):
        fetch("http://127.0.0.1:9/x.png")
    with pytest.raises(ValueError):
        fetch("file:///etc/passwd")


# ------------------------------------------------------------------------------- tampering


def test_changed_byte_in_evidence_json(packet, tmp_path):
    _case, built = packet
    files = read_zip(built.path)
    files["evidence.json"] = files["evidence.json"].replace(b'"state"', b'"stat3"', 1)
    write_zip(tmp_path / "t.zip", files)
    result = packets.verify_packet(tmp_path / "t.zip")
    assert not result.ok and result.problems == ["evidence.json: SHA-256 differs"]


def test_replaced_manifest(packet, tmp_path):
    _case, built = packet
    files = read_zip(built.path)
    manifest = json.loads(files["manifest.json"])
    manifest["files"][0]["sha256"] = "0" * 64
    files["manifest.json"] = json.dumps(manifest).encode()
    write_zip(tmp_path / "t.zip", files)
    problems = packets.verify_packet(tmp_path / "t.zip").problems
    assert "manifest.sig does not match manifest.json" in problems
    assert "evidence.json: SHA-256 differs" in problems


def test_added_file(packet, tmp_path):
    _case, built = packet
    files = read_zip(built.path) | {"screenshots/9-extra.png": b"\x89PNG"}
    write_zip(tmp_path / "t.zip", files)
    problems = packets.verify_packet(tmp_path / "t.zip").problems
    assert problems == ["extra file screenshots/9-extra.png not in the manifest"]


def test_removed_file(packet, tmp_path):
    _case, built = packet
    files = read_zip(built.path)
    del files["screenshots/1-layar-1.jpg"]
    write_zip(tmp_path / "t.zip", files)
    assert packets.verify_packet(tmp_path / "t.zip").problems == [
        "missing file screenshots/1-layar-1.jpg"
    ]
    del files["manifest.sig"]
    write_zip(tmp_path / "u.zip", files)
    assert "missing file manifest.sig" in packets.verify_packet(tmp_path / "u.zip").problems


def test_packet_signed_by_another_key(packet, settings, tmp_path):
    _case, built = packet
    ours = signing.public_key_pem().encode()
    settings.SARING_PACKET_KEY = str(tmp_path / "other.pem")
    forged = packets.build_packet(_case, scope=SYSTEM)  # a well-formed packet, another key
    assert packets.verify_packet(forged.path).ok  # intact for its own key
    problems = packets.verify_packet(forged.path, public_key_pem=ours).problems
    assert "manifest.sig does not match manifest.json" in problems
    assert packets.verify_packet(built.path, public_key_pem=ours).ok


def test_not_a_zip(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"%PDF-1.4")
    assert packets.verify_packet(tmp_path / "x.zip").problems == ["x.zip is not a ZIP file"]


# --------------------------------------------------------------------- command and endpoint


def test_verify_command_exit_codes(packet, tmp_path):
    _case, built = packet
    out = io.StringIO()
    call_command("cases", "verify", str(built.path), stdout=out)
    assert out.getvalue().strip() == "intact"

    files = read_zip(built.path)
    files["evidence.pdf"] += b"%"
    write_zip(tmp_path / "t.zip", files)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("cases", "verify", str(tmp_path / "t.zip"), stdout=out)
    assert caught.value.returncode == 1
    assert "evidence.pdf: SHA-256 differs" in out.getvalue()

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("cases", "verify", str(tmp_path / "t.zip"), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "intact": False,
        "problems": ["evidence.pdf: SHA-256 differs"],
    }


def test_verify_command_with_a_key_file(packet, tmp_path):
    _case, built = packet
    ours = tmp_path / "ours.pem"
    ours.write_text(signing.public_key_pem())
    theirs = tmp_path / "theirs.pem"
    theirs.write_bytes(other_key_pem())
    out = io.StringIO()
    call_command("cases", "verify", str(built.path), "--key", str(ours), stdout=out)
    assert "intact" in out.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("cases", "verify", str(built.path), "--key", str(theirs), stdout=out)
    assert "manifest.sig does not match manifest.json" in out.getvalue()


def test_public_key_endpoint_needs_no_login(db):
    response = Client().get("/api/v1/packet-key")
    assert response.status_code == 200
    body = response.json()
    assert body["algorithm"] == "Ed25519"
    assert body["key_id"] == signing.key_id()
    assert body["public_key_pem"] == signing.public_key_pem()
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/packet-key" in schema["paths"]


def test_python_recipe_of_the_docs_verifies_a_packet(packet):
    """The 15 lines of docs/packets.md, against the endpoint's key."""
    _case, built = packet
    pem = Client().get("/api/v1/packet-key").json()["public_key_pem"].encode()
    with zipfile.ZipFile(built.path) as z:
        manifest = z.read("manifest.json")
        serialization.load_pem_public_key(pem).verify(
            base64.b64decode(z.read("manifest.sig")), manifest
        )
        for f in json.loads(manifest)["files"]:
            assert hashlib.sha256(z.read(f["path"])).hexdigest() == f["sha256"]


# ------------------------------------------------------------------------------- speed


def test_a_case_with_50_posts_and_5_screenshots_builds_quickly(db, capsys):
    case = make_case()
    for n in range(50):
        with_post(case, n, observations=6, match="confirmed" if n % 10 == 0 else None)
    report = case.reports.get()
    for n in range(5):
        out = io.BytesIO()
        Image.new("RGB", (1080, 2340), (n * 40, 120, 90)).save(out, "PNG")
        add_screenshot(case, f"layar-{n}.png", out.getvalue(), report=report, scope=SYSTEM)
    started = time.perf_counter()
    built = packets.build_packet(case, scope=SYSTEM)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\npacket with 50 posts and 5 screenshots: {seconds:.2f} s")
    assert seconds < 5
    assert len(json.loads(read_zip(built.path)["evidence.json"])["items"]) == 51
    assert packets.verify_packet(built.path).ok


@pytest.mark.django_db
def test_a_custody_detail_named_items_does_not_break_the_pdf():
    """open_finding writes {"items": N}: the template must not read it as dict.items."""
    from saring.audit.actions import Action
    from saring.audit.services import record
    from saring.cases.packets import build_packet, verify_packet

    case = make_case()
    record(SYSTEM, Action.CASE_OPENED, case, details={"items": 3, "values": "x"})
    packet = build_packet(case, scope=SYSTEM)
    assert verify_packet(packet.path).ok
