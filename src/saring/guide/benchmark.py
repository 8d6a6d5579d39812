"""`saring bench guide [--json]`: the built public guide under load, Saring's way and nginx's.

What is measured: on a throwaway database (a fresh SQLite file in a temporary data dir, or the
empty database given with --database-url), the demo's guide content (~50 pages, FAQs and
announcements, published with the two-person rule), ~500 published clarifications and the
2024 calendars the migrations load are built into a site with `saring guide build --out DIR`.
Then the same directory is served by
- Saring's default server: exactly `saring serve HOST:PORT --no-worker` (granian, with the
  guide mounted at /panduan/), and
- Debian's nginx with its stock tuning (worker_processes auto, sendfile, tcp_nopush,
  keep-alive on, access_log off), the ceiling,
and `wrk` (Debian's) runs N connections for S seconds on each of three paths: the home page, one
clarification page and the API clarification-list snapshot (`api/v1/clarifications.json`;
without a snapshot, Django's live `/api/v1/clarifications`, labelled so, nginx not measured).
Django's live API list is measured once more for information (`dynamic`, a third of the time).
nginx and wrk are installed with apt-get when missing and the process runs as root.

`run()` does it all in child processes and temporary directories, so the user's own data and
site are never touched; every server it started is stopped before it returns.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from saring.kernel.machine import describe

Say = Callable[[str], None]
TARGETS = {"ratio": 1 / 3, "p99_ms": 100.0}
DEFAULTS = {"seconds": 30, "connections": 200, "clarifications": 500}
ROUTE = "/panduan"  # where `saring serve` mounts the guide; nginx serves it at the same path
SNAPSHOT = "api/v1/clarifications.json"
LIVE_API = "/api/v1/clarifications"
START_TIMEOUT = 180.0  # `saring serve` migrates first: seconds on a slow disk


def _quiet(_message: str) -> None:
    pass


# -- tools: wrk and nginx ------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    """`nginx` lives in /usr/sbin, often not on a user's PATH."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")


def ensure_tools(say: Say = _quiet) -> dict[str, str]:
    """Paths of wrk and nginx, installing Debian's packages when missing (as root only)."""
    wanted = {"wrk": ["wrk"], "nginx": ["nginx-light", "nginx"]}
    found = {name: find_tool(name) for name in wanted}
    missing = [name for name, where in found.items() if where is None]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        for name in missing:
            for package in wanted[name]:
                say(f"Installing {package} (apt-get)…")
                done = subprocess.run(  # noqa: S603
                    ["apt-get", "install", "-y", "-q", package],  # noqa: S607
                    env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                if done.returncode == 0 and find_tool(name):
                    break
        found = {name: find_tool(name) for name in wanted}
    still = [name for name, where in found.items() if where is None]
    if still:
        raise RuntimeError(
            f"{' and '.join(still)} not found: install Debian's packages "
            "(apt-get install wrk nginx-light) or run the benchmark as root"
        )
    return {name: str(where) for name, where in found.items()}


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except OSError:
        return ""
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0].strip() if text else ""


# -- wrk -----------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(text: str) -> dict[str, Any]:
    """requests/s, latency percentiles (ms), requests, errors and non-2xx/3xx from wrk's
    `--latency` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not rps:
        raise ValueError(f"wrk printed no Requests/sec: {text[-300:]!r}")
    result: dict[str, Any] = {"rps": round(float(rps.group(1)), 1)}
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}(?:\.0+)?%\s+(\S+)", text, re.MULTILINE)
        result[f"p{pct}_ms"] = round(_ms(found.group(1)), 2) if found else None
    total = re.search(r"(\d+) requests in", text)
    result["requests"] = int(total.group(1)) if total else 0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    result["non_2xx_3xx"] = int(bad.group(1)) if bad else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    result["socket_errors"] = sum(int(n) for n in sockets.groups()) if sockets else 0
    return result


def run_wrk(wrk: str, url: str, *, seconds: int, connections: int) -> dict[str, Any]:
    threads = max(1, min(2, os.cpu_count() or 1, connections))
    done = subprocess.run(  # noqa: S603
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr.strip()[:300]}")
    return parse_wrk(done.stdout)


# -- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_config(site: Path, port: int, prefix: Path) -> str:
    """Debian's stock tuning (its /etc/nginx/nginx.conf: worker_processes auto, sendfile,
    tcp_nopush, default keep-alive) with the access log off, serving `site` at ROUTE/."""
    mime = Path("/etc/nginx/mime.types")
    types = f"include {mime};" if mime.exists() else "types { text/html html; }"
    temp = " ".join(
        f"{name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes auto;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
daemon off;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    {types}
    default_type application/octet-stream;
    access_log off;
    {temp}
    server {{
        listen 127.0.0.1:{port};
        location {ROUTE}/ {{
            alias {site}/;
            index index.html;
            expires 60s;
        }}
    }}
}}
"""


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} after {timeout:.0f} s")


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = 30) -> None:
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def nginx_serving(nginx: str, site: Path, work: Path) -> Iterator[str]:
    """nginx on a free loopback port serving `site`; yields its base URL, stops it after."""
    prefix = work / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(site, port, prefix), encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603
        [nginx, "-c", str(conf), "-p", str(prefix)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}{ROUTE}/", process, timeout=20)
        yield base
    finally:
        _stop(process, signal.SIGQUIT)  # graceful: the workers finish, then exit


def server_command(process: subprocess.Popen) -> str:
    """The web server's command line as `saring serve` started it (its granian child)."""
    try:
        import psutil

        for child in psutil.Process(process.pid).children():
            line = child.cmdline()
            if "granian" in line:
                return " ".join(["granian", *line[line.index("granian") + 1 :]])
    except Exception:
        return ""
    return ""


@contextlib.contextmanager
def saring_serving(argv: list[str], env: dict[str, str], port: int) -> Iterator[tuple[str, str]]:
    """`argv` (`saring serve` by default) on `port`; yields (base URL, server command line)."""
    process = subprocess.Popen(  # noqa: S603
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}{ROUTE}/", process)
        yield base, server_command(process)
    finally:
        _stop(process)


# -- the throwaway site ----------------------------------------------------------------------------


def child_env(data_dir: Path, database_url: str | None, site: Path) -> dict[str, str]:
    """A fresh data dir, tasks queued in the database (no worker runs them), no SMTP, lexical
    matching (publishing 500 clarifications without embedding each), the site in `site`."""
    drop = {"DATABASE_URL", "SARING_SMTP_HOST", "SARING_PACKET_KEY", "SARING_SMS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "SARING_DATA_DIR": str(data_dir),
            "SARING_GUIDE_DIR": str(site),
            "SARING_TASKS": "database",
            "SARING_ENV": "development",
            "SARING_EMBEDDER": "none",
            "SARING_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SARING_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "saring.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


VERDICTS = ("SALAH", "HOAKS", "MENYESATKAN", "PENIPUAN", "KLARIFIKASI", "BENAR")
TOPICS = (
    "TPS {n} di Kabupaten Garut dipindahkan ke balai desa",
    "Pemilih tanpa KTP elektronik tidak boleh mencoblos (kabar {n})",
    "Surat suara sudah dicoblos sebelum hari pemungutan di TPS {n}",
    "Jadwal pemungutan suara diundur satu minggu (pesan berantai {n})",
    "Formulir C6 wajib dibawa agar bisa memilih (unggahan {n})",
    "KPU membuka pendaftaran petugas KPPS lewat tautan tidak resmi ({n})",
)


def load_content(clarifications: int, say: Say = _quiet) -> dict[str, int]:
    """The demo's guide content and `clarifications` published clarifications (in the child
    process, on its throwaway database)."""
    import secrets

    from saring.accounts.scope import scope_for
    from saring.factcheck.services import save_clarification
    from saring.guide.demo import build_demo_guide
    from saring.guide.models import Entry

    say("Loading the demo guide content…")
    build_demo_guide(None, password=secrets.token_urlsafe(18), build=False)
    from django.contrib.auth import get_user_model

    admin = scope_for(get_user_model().objects.get(username="admin"))
    say(f"Publishing {clarifications:,} clarifications…")
    for n in range(clarifications):
        topic = TOPICS[n % len(TOPICS)].format(n=n + 1)
        save_clarification(
            admin,
            claim_text=topic,
            headline=f"Tidak benar: {topic}",
            verdict=VERDICTS[n % len(VERDICTS)],
            explanation=(
                "KPU menegaskan kabar ini tidak sesuai ketentuan. Pemilih datang ke TPS yang "
                "tertera pada surat pemberitahuan dengan membawa KTP elektronik; jadwal dan "
                f"lokasi resmi ada di situs KPU. (Klarifikasi nomor {n + 1}.)"
            ),
            url=f"https://kpu.example.go.id/klarifikasi/{n + 1}",
            publisher="KPU RI",
            publish=True,
        )
    return {"entries": Entry.objects.count(), "clarifications": clarifications}


_CHILD = (
    "import json,sys,django;django.setup();"
    "from saring.guide.benchmark import load_content;"
    "say=lambda m:print(m,file=sys.stderr,flush=True);"
    "print(json.dumps(load_content(int(sys.argv[1]),say)))"
)


def _saring(*args: str, env: dict[str, str], quiet: bool) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "saring", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        check=True,
    )


def prepare_site(
    work: Path, env: dict[str, str], clarifications: int, say: Say, *, quiet: bool
) -> dict[str, Any]:
    """Migrate, load the content, `saring guide build --out SITE`; the build's own summary."""
    say("Preparing a throwaway database (migrations load regions and the 2024 calendars)…")
    _saring("migrate", "-v", "0", env=env, quiet=quiet)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _CHILD, str(clarifications)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        check=True,
    )
    content = json.loads(done.stdout.decode().strip().splitlines()[-1])
    say("Building the site (saring guide build)…")
    built = _saring(
        "guide", "build", "--out", env["SARING_GUIDE_DIR"], "--json", env=env, quiet=quiet
    )
    lines = built.stdout.decode().strip().splitlines()
    summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return {**content, "build": summary}


def clarification_path(site: Path) -> str | None:
    """The URL path (under ROUTE) of one clarification page of the built site."""
    base = site / "cek-fakta"
    ids = (
        sorted(
            (
                int(p.name)
                for p in base.iterdir()
                if p.name.isdigit() and (p / "index.html").is_file()
            ),
            reverse=True,
        )
        if base.is_dir()
        else []
    )
    # /cek-fakta/2/ may be a list page; clarification ids are the large numbers there, so
    # take one whose page carries ClaimReview JSON-LD.
    for n in ids:
        if "ClaimReview" in (base / str(n) / "index.html").read_text("utf-8", "replace"):
            return f"/cek-fakta/{n}/"
    return None


def paths_to_measure(site: Path) -> dict[str, dict[str, Any]]:
    """name → {path (under ROUTE, or absolute for Django), static}."""
    paths: dict[str, dict[str, Any]] = {"home": {"path": "/", "static": True}}
    one = clarification_path(site)
    if one:
        paths["clarification"] = {"path": one, "static": True}
    if (site / SNAPSHOT).is_file():
        paths["api_clarifications"] = {"path": f"/{SNAPSHOT}", "static": True}
    else:
        paths["api_clarifications"] = {
            "path": LIVE_API,
            "static": False,
            "label": "live Django API (no snapshot in the build)",
        }
    return paths


# -- the run ---------------------------------------------------------------------------------------


def machine(tools: dict[str, str]) -> dict[str, Any]:
    try:
        granian = metadata.version("granian")
    except metadata.PackageNotFoundError:
        granian = ""
    return {
        **describe(),
        "granian": granian,
        "nginx": _version([tools["nginx"], "-v"]).replace("nginx version: ", ""),
        "wrk": _version([tools["wrk"], "-v"]).split(" [")[0],
    }


def default_serve_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "saring", "serve", f"127.0.0.1:{port}", "--no-worker"]


def run(
    options: dict[str, Any],
    database_url: str | None = None,
    progress: Say | None = print,
) -> dict[str, Any]:
    """The whole benchmark. `options`: seconds and connections (as `saring bench guide`
    passes them); tests may add `site` (an already built directory: no database, no build),
    `serve_argv` (a function port → argv replacing `saring serve`) and
    `guide_clarifications` (not `clarifications`: that option is `bench match`'s)."""
    say = progress or _quiet
    seconds = max(1, int(options.get("seconds") or DEFAULTS["seconds"]))
    connections = max(1, int(options.get("connections") or DEFAULTS["connections"]))
    tools = ensure_tools(say)
    serve_argv = options.get("serve_argv") or default_serve_argv
    # World-readable: nginx's workers run as another user when started by root.
    work = Path(tempfile.mkdtemp(prefix="saring-bench-guide-"))
    try:
        work.chmod(0o755)
        env = child_env(work / "data", database_url, work / "site")
        content: dict[str, Any] = {}
        if options.get("site"):
            site = Path(options["site"]).resolve()
            env["SARING_GUIDE_DIR"] = str(site)
        else:
            site = work / "site"
            content = prepare_site(
                work,
                env,
                int(options.get("guide_clarifications") or DEFAULTS["clarifications"]),
                say,
                quiet=progress is None,
            )
        paths = paths_to_measure(site)
        results: dict[str, dict[str, Any]] = {}
        port = free_port()
        say(f"Starting Saring's server (saring serve) on port {port}…")
        with saring_serving(serve_argv(port), env, port) as (base, command):
            _warm(tools["wrk"], f"{base}{ROUTE}/", connections)
            for name, spec in paths.items():
                url = base + (ROUTE + spec["path"] if spec["static"] else spec["path"])
                say(f"  Saring  {name:20} {connections} connections × {seconds} s…")
                results[name] = {"path": url.removeprefix(base), **_label(spec)}
                results[name]["saring"] = run_wrk(
                    tools["wrk"], url, seconds=seconds, connections=connections
                )
            dynamic_seconds = max(1, min(10, seconds // 3))
            _warm(tools["wrk"], base + LIVE_API, connections)  # each process's first request
            say(f"  Saring  live API {LIVE_API} (dynamic) × {dynamic_seconds} s…")
            dynamic = {
                "path": LIVE_API,
                "label": "dynamic: Django answers every request",
                **run_wrk(
                    tools["wrk"],
                    base + LIVE_API,
                    seconds=dynamic_seconds,
                    connections=connections,
                ),
            }
        say("Starting nginx on the same directory…")
        with nginx_serving(tools["nginx"], site, work) as base:
            _warm(tools["wrk"], f"{base}{ROUTE}/", connections)
            for name, spec in paths.items():
                if not spec["static"]:
                    results[name]["nginx"] = None
                    continue
                say(f"  nginx   {name:20} {connections} connections × {seconds} s…")
                results[name]["nginx"] = run_wrk(
                    tools["wrk"],
                    base + ROUTE + spec["path"],
                    seconds=seconds,
                    connections=connections,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _result(results, dynamic, tools, command, seconds, connections, content)


def _label(spec: dict[str, Any]) -> dict[str, str]:
    return {"label": spec["label"]} if spec.get("label") else {}


def _warm(wrk: str, url: str, connections: int) -> None:
    """One second of load first: page cache, granian's and nginx's workers all awake."""
    with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
        run_wrk(wrk, url, seconds=1, connections=connections)


def _result(
    measured: dict[str, dict[str, Any]],
    dynamic: dict[str, Any],
    tools: dict[str, str],
    command: str,
    seconds: int,
    connections: int,
    content: dict[str, Any],
) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for name, m in measured.items():
        saring, nginx = m["saring"], m.get("nginx")
        ratio = round(saring["rps"] / nginx["rps"], 3) if nginx and nginx["rps"] else None
        paths[name] = {
            "path": m["path"],
            **({"label": m["label"]} if m.get("label") else {}),
            "saring_rps": saring["rps"],
            "nginx_rps": nginx["rps"] if nginx else None,
            "ratio": ratio,
            "p99_ms": saring["p99_ms"],
            "nginx_p99_ms": nginx["p99_ms"] if nginx else None,
            "errors": saring["non_2xx_3xx"] + saring["socket_errors"],
            "nginx_errors": (nginx["non_2xx_3xx"] + nginx["socket_errors"]) if nginx else None,
        }
    ratios = [p["ratio"] for p in paths.values() if p["ratio"] is not None]
    p99s = [p["p99_ms"] for p in paths.values() if p["p99_ms"] is not None]
    worst_ratio = min(ratios) if ratios else None
    worst_p99 = max(p99s) if p99s else None
    info = machine(tools)
    info["server"] = command or "saring serve"
    return {
        "paths": paths,
        "dynamic": {
            "api_clarifications_live": {
                "path": dynamic["path"],
                "label": dynamic["label"],
                "saring_rps": dynamic["rps"],
                "p99_ms": dynamic["p99_ms"],
                "errors": dynamic["non_2xx_3xx"] + dynamic["socket_errors"],
            }
        },
        "seconds": seconds,
        "connections": connections,
        "content": content,
        "machine": info,
        "targets": {
            "ratio": {
                "target": f">= {TARGETS['ratio']:.3f}",
                "value": worst_ratio,
                "met": worst_ratio is not None and worst_ratio >= TARGETS["ratio"],
            },
            "p99_ms": {
                "target": f"< {TARGETS['p99_ms']:g}",
                "value": worst_p99,
                "met": worst_p99 is not None and worst_p99 < TARGETS["p99_ms"],
            },
        },
    }


def _n(value: float | None, spec: str = ",.0f") -> str:
    return "-" if value is None else format(value, spec)


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The human-readable report of `saring bench guide`."""
    m = result["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}; "
        f"nginx {m['nginx']}; {m['wrk']}",
        f"Saring's server: {m['server']}",
        f"Load: wrk, {result['connections']} connections × {result['seconds']} s per path",
        f"{'path':20}{'saring_rps':>12}{'nginx_rps':>12}{'ratio':>8}{'p99_ms':>9}"
        f"{'nginx p99':>11}  url",
    ]
    for name, p in result["paths"].items():
        lines.append(
            f"{name:20}{_n(p['saring_rps']):>12}{_n(p['nginx_rps']):>12}"
            f"{_n(p['ratio'], '.2f'):>8}{_n(p['p99_ms'], '.1f'):>9}"
            f"{_n(p['nginx_p99_ms'], '.1f'):>11}  {p['path']}"
            + (f" ({p['label']})" if p.get("label") else "")
            + (f" [{p['errors']:,} errors]" if p["errors"] else "")
        )
    for name, d in result["dynamic"].items():
        lines.append(
            f"{name:20}{_n(d['saring_rps']):>12}{'':>12}{'':>8}{_n(d['p99_ms'], '.1f'):>9}"
            f"{'':>11}  {d['path']} ({d['label']})"
        )
    lines.append("Targets:")
    for name, t in result["targets"].items():
        verdict = "met" if t["met"] else "NOT met"
        lines.append(f"  {name:10} {_n(t['value'], '.3f'):>10} {t['target']:>10}  {verdict}")
    return lines
