"""Serving the built public guide: `saring serve`'s granian command line, granian's static
mount across an atomic swap, Django's fallback view at /panduan/, and `saring bench guide`'s
parts (wrk's output, nginx's config, one tiny run when wrk and nginx are installed)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from saring.guide import benchmark
from saring.guide.site.swap import exchange
from saring.monitoring.management.commands import serve
from saring.web.views.guide_public import resolve

LINUX = sys.platform.startswith("linux")


def _site(root: Path, marker: str = "lama") -> Path:
    """A small built site: home, one clarification page, a snapshot, an asset."""
    (root / "cek-fakta" / "41").mkdir(parents=True)
    (root / "api" / "v1").mkdir(parents=True)
    (root / "kosong").mkdir()  # a directory without index.html
    (root / "kosong" / "catatan.txt").write_text("isi", encoding="utf-8")
    (root / "index.html").write_text(
        f'<!doctype html><html lang="id"><body data-site="{marker}">Beranda</body></html>',
        encoding="utf-8",
    )
    (root / "cek-fakta" / "41" / "index.html").write_text(
        '<html><script type="application/ld+json">{"@type": "ClaimReview"}</script></html>',
        encoding="utf-8",
    )
    (root / "api" / "v1" / "clarifications.json").write_text('{"items": []}', encoding="utf-8")
    (root / "guide.css").write_text("body{margin:0}", encoding="utf-8")
    (root / ".build-lock").write_text("x", encoding="utf-8")
    return root


# -- `saring serve`: the command line ---------------------------------------------------------


def test_granian_command_line_mounts_the_guide_and_runs_django(tmp_path):
    argv = serve.granian_argv("0.0.0.0", 8123, tmp_path / "guide", workers=3, python="/py")
    assert argv[:3] == ["/py", "-m", "granian"]
    assert argv[-1] == "saring.wsgi:application"  # the app comes last, after every option

    def value(option: str) -> str:
        return argv[argv.index(option) + 1]

    assert value("--interface") == "wsgi"
    assert (value("--host"), value("--port"), value("--workers")) == ("0.0.0.0", "8123", "3")
    assert value("--static-path-route") == "/panduan"
    assert value("--static-path-mount") == str(tmp_path / "guide")
    assert value("--static-path-dir-to-file") == "index.html"
    assert value("--static-path-expires") == "60"
    assert value("--http") == "1" and "--no-ws" in argv
    assert int(value("--blocking-threads")) >= 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("8001", ("127.0.0.1", 8001)),
        ("[::1]:8002", ("::1", 8002)),
    ],
)
def test_addrport_is_split_like_runserver(given, expected):
    assert serve.split_addrport(given) == expected


@pytest.mark.parametrize("bad", ["localhost", "host:0", "host:70000", "host:http"])
def test_a_bad_addrport_is_refused_naming_it(bad):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a port"):
        serve.split_addrport(bad)


def test_default_web_workers_follow_the_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert serve.default_web_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert serve.default_web_workers() == serve.MAX_DEFAULT_WEB_WORKERS
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert serve.default_web_workers() == 1


# -- granian's static mount: what `saring serve` really answers -------------------------------


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def _granian(site: Path, tmp_path: Path):
    port = benchmark.free_port()
    argv = serve.granian_argv("127.0.0.1", port, site, workers=1)
    env = benchmark.child_env(tmp_path / "data", None, site)
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, "granian stopped at start"
            with contextlib.suppress(OSError):
                if _get(f"http://127.0.0.1:{port}/panduan/")[0] == 200:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.skipif(not LINUX, reason="renameat2(RENAME_EXCHANGE) is Linux only")
def test_granian_serves_the_new_site_after_an_atomic_swap(tmp_path):
    live = _site(tmp_path / "guide-site", "lama")
    with _granian(live, tmp_path) as base:
        status, body = _get(f"{base}/panduan/")
        assert status == 200 and b'data-site="lama"' in body
        assert _get(f"{base}/panduan/cek-fakta/41/")[0] == 200
        assert _get(f"{base}/panduan/tidak-ada.html")[0] == 404
        # The path resolved at start now names the new directory: same path, new files.
        new = _site(tmp_path / "guide-site.new-1", "baru")
        assert exchange(new, live)
        status, body = _get(f"{base}/panduan/")
        assert status == 200 and b'data-site="baru"' in body


# -- Django's fallback view --------------------------------------------------------------------


def test_resolve_keeps_inside_the_directory(tmp_path):
    site = _site(tmp_path / "site")
    (tmp_path / "rahasia.txt").write_text("rahasia", encoding="utf-8")
    os.symlink(tmp_path / "rahasia.txt", site / "tautan.txt")
    assert resolve(site, "") == site.resolve()
    assert resolve(site, "cek-fakta/41/index.html") == (site / "cek-fakta/41/index.html").resolve()
    for unsafe in (
        "../rahasia.txt",
        "cek-fakta/../../rahasia.txt",
        "./index.html",
        ".build-lock",
        "tautan.txt",  # a symlink out of the directory
        "a\\..\\rahasia.txt",
        "index.html\x00.css",
        "tidak-ada.html",
    ):
        assert resolve(site, unsafe) is None, unsafe


@pytest.fixture
def guide_dir(tmp_path, settings) -> Path:
    site = _site(tmp_path / "site")
    (tmp_path / "rahasia.txt").write_text("rahasia-di-luar", encoding="utf-8")
    settings.SARING_GUIDE_DIR = site
    return site


@pytest.mark.django_db
def test_fallback_serves_index_html_for_directories_without_login(client, guide_dir):
    home = client.get("/panduan/")  # an anonymous visitor: no login redirect
    assert home.status_code == 200
    body = b"".join(home.streaming_content)
    assert b'data-site="lama"' in body
    assert home["Content-Type"].startswith("text/html")
    assert home["Cache-Control"] == "public, max-age=60"
    assert "wasm-unsafe-eval" in home["Content-Security-Policy"]  # Pagefind's search
    page = client.get("/panduan/cek-fakta/41/")
    assert page.status_code == 200 and b"ClaimReview" in b"".join(page.streaming_content)
    snapshot = client.get("/panduan/api/v1/clarifications.json")
    assert snapshot["Content-Type"] == "application/json"
    assert json.loads(b"".join(snapshot.streaming_content)) == {"items": []}
    assert client.get("/panduan/guide.css")["Content-Type"].startswith("text/css")


@pytest.mark.django_db
def test_fallback_redirects_directories_to_their_slash(client, guide_dir):
    bare = client.get("/panduan")
    assert (bare.status_code, bare["Location"]) == (301, "/panduan/")
    nested = client.get("/panduan/cek-fakta/41?x=1")
    assert (nested.status_code, nested["Location"]) == (301, "/panduan/cek-fakta/41/?x=1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/panduan/%2e%2e/rahasia.txt",
        "/panduan/cek-fakta/%2e%2e/%2e%2e/rahasia.txt",
        "/panduan/..%2frahasia.txt",
        "/panduan/.build-lock",
        "/panduan/tidak-ada/",
        "/panduan/tidak-ada.html",
        "/panduan/kosong/",  # a directory without index.html: no listing
    ],
)
def test_fallback_refuses_unsafe_and_missing_paths(client, guide_dir, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"rahasia-di-luar" not in response.content
    assert b"catatan.txt" not in response.content  # no directory listing


@pytest.mark.django_db
def test_fallback_answers_not_modified_and_only_reads(client, guide_dir):
    first = client.get("/panduan/")
    again = client.get("/panduan/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.post("/panduan/").status_code == 405


@pytest.mark.django_db
def test_fallback_404s_when_nothing_was_built(client, settings, tmp_path):
    settings.SARING_GUIDE_DIR = tmp_path / "never-built"
    assert client.get("/panduan/").status_code == 404


# -- `saring bench guide` ----------------------------------------------------------------------

WRK_OUTPUT = """Running 30s test @ http://127.0.0.1:8000/panduan/
  2 threads and 200 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.21ms    3.10ms  95.00ms   80.00%
    Req/Sec    12.10k     1.20k   15.00k    70.00%
  Latency Distribution
     50%    7.90ms
     75%    9.50ms
     90%   11.20ms
     99%    1.05s
  722345 requests in 30.00s, 14.20GB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  24078.17
Transfer/sec:    484.60MB
"""


def test_wrk_output_is_parsed():
    parsed = benchmark.parse_wrk(WRK_OUTPUT)
    assert parsed["rps"] == 24078.2
    assert (parsed["p50_ms"], parsed["p90_ms"], parsed["p99_ms"]) == (7.9, 11.2, 1050.0)
    assert parsed["requests"] == 722345
    assert (parsed["socket_errors"], parsed["non_2xx_3xx"]) == (5, 7)
    with pytest.raises(ValueError, match="Requests/sec"):
        benchmark.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def test_nginx_config_serves_the_site_at_the_same_path(tmp_path):
    conf = benchmark.nginx_config(tmp_path / "site", 8765, tmp_path / "ng")
    assert "worker_processes auto;" in conf and "sendfile on;" in conf
    assert "tcp_nopush on;" in conf and "access_log off;" in conf
    assert "listen 127.0.0.1:8765;" in conf
    assert f"location /panduan/ {{\n            alias {tmp_path / 'site'}/;" in conf
    assert "daemon off;" in conf


def test_the_paths_measured_come_from_the_built_site(tmp_path):
    site = _site(tmp_path / "site")
    paths = benchmark.paths_to_measure(site)
    assert paths["home"]["path"] == "/"
    assert paths["clarification"]["path"] == "/cek-fakta/41/"
    assert paths["api_clarifications"] == {"path": "/api/v1/clarifications.json", "static": True}
    (site / "api" / "v1" / "clarifications.json").unlink()
    live = benchmark.paths_to_measure(site)["api_clarifications"]
    assert live["path"] == "/api/v1/clarifications" and not live["static"] and live["label"]


NEEDS_TOOLS = pytest.mark.skipif(
    not (benchmark.find_tool("wrk") and benchmark.find_tool("nginx")),
    reason="wrk and nginx are not installed (apt-get install wrk nginx-light)",
)


@NEEDS_TOOLS
def test_a_tiny_benchmark_run_measures_both_servers(tmp_path):
    # Not under tmp_path (mode 0700): nginx's workers run as another user when root starts it.
    public = Path(tempfile.mkdtemp(prefix="saring-test-serving-"))
    public.chmod(0o755)
    site = _site(public / "site")
    try:
        _tiny_run(site)
    finally:
        shutil.rmtree(public, ignore_errors=True)


def _tiny_run(site: Path) -> None:
    def granian(port: int) -> list[str]:
        return serve.granian_argv("127.0.0.1", port, site, workers=1)

    result = benchmark.run(
        {"seconds": 1, "connections": 10, "site": str(site), "serve_argv": granian},
        progress=None,
    )
    assert set(result["paths"]) == {"home", "clarification", "api_clarifications"}
    for name, p in result["paths"].items():
        assert p["saring_rps"] > 0 and p["nginx_rps"] > 0, name
        assert p["ratio"] == round(p["saring_rps"] / p["nginx_rps"], 3)
        assert p["errors"] == 0 and p["nginx_errors"] == 0, name
        assert p["p99_ms"] is not None
    assert result["machine"]["server"].startswith("granian ")
    assert "--static-path-route /panduan" in result["machine"]["server"]
    assert result["machine"]["nginx"] and result["machine"]["cores"] >= 1
    assert set(result["targets"]) == {"ratio", "p99_ms"}
    assert "api_clarifications_live" in result["dynamic"]
    lines = benchmark.summary_lines(result)
    assert any(line.startswith("home") for line in lines) and "Targets:" in lines
