"""``factcheck serve`` as a user runs it: a real server in a subprocess, raw HTTP requests.

Requests are sent byte for byte over a socket so that no client normalises ``..`` away.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from generator.serve import is_loopback, locate
from tests.conftest import MINIMAL, Project
from tests.serving import Server, raw_get

SECRET = "TOP-SECRET-OUTSIDE-THE-PREVIEW"


def make_site(root: Path) -> Project:
    project = Project(root, root / "content", root / "templates", root / "site")
    for rel, text in MINIMAL.items():
        project.write(rel, text)
    return project


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """One server for the read-only tests, with secrets beside and above its preview folder
    and symlinks planted inside it."""
    root = tmp_path_factory.mktemp("served")
    make_site(root)
    (root / "secret.txt").write_text(SECRET)
    with Server(root) as server:
        (server.tmp / "secret.txt").write_text(SECRET)
        preview = server.preview_root()
        (preview / "link.txt").symlink_to(server.tmp / "secret.txt")
        (preview / "linked-dir").symlink_to(server.tmp, target_is_directory=True)
        (preview / "sneaky").mkdir()
        (preview / "sneaky" / "index.html").symlink_to(server.tmp / "secret.txt")
        yield server


def test_pages_are_served_with_the_reload_script(served):
    status, headers, body = raw_get(served.port, "/claims/uav-pilots/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert b"Russian personnel in Crimea pilot Iranian UAVs" in body
    assert b"/livereload.js?port=" in body
    status, headers, body = raw_get(served.port, "/static/style.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert b"livereload" not in body


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/../../secret.txt", "/claims/../../secret.txt",
    "/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/secret.txt", "/.%2e/secret.txt",
    "/..%2fsecret.txt", "/%2e%2e%2f%2e%2e%2fsecret.txt", "/claims/%2e%2e/%2e%2e/secret.txt",
    "/..%5csecret.txt", "/..\\secret.txt", "/claims\\..\\..\\secret.txt",
    "//../secret.txt", "/%252e%252e/secret.txt", "/%2e%2e%00/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/link.txt", "/linked-dir/secret.txt", "/sneaky/", "/../../../../../../etc/passwd",
])
def test_nothing_outside_the_preview_folder_can_be_read(served, target):
    status, _, body = raw_get(served.port, target)
    assert status == 404
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_unknown_path_serves_the_site_404_page(served):
    status, _, body = raw_get(served.port, "/claims/no-such-claim/")
    assert status == 404
    assert b"Page not found" in body and b"Test Checks" in body
    assert b"/livereload.js" in body  # so it reloads by itself once the page exists


def test_folder_without_trailing_slash_redirects(served):
    status, headers, _ = raw_get(served.port, "/claims/uav-pilots")
    assert status == 302 and headers["location"] == "/claims/uav-pilots/"
    status, headers, _ = raw_get(served.port, "//claims")  # not "//claims/": another host
    assert status == 302 and headers["location"] == "/claims/"


def test_binds_loopback_by_default(served):
    assert served.host == "127.0.0.1"
    assert "warning" not in served.output
    # 127.0.0.2 is loopback too: only a server bound to every address answers there.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", served.port), timeout=5).close()


def test_foreign_host_names_are_refused_on_loopback(served):
    """DNS rebinding: a web page resolving its own name to 127.0.0.1 must not read drafts."""
    status, _, body = raw_get(served.port, "/", header_host="attacker.example")
    assert status == 403 and b"Test Checks" not in body
    assert raw_get(served.port, "/", header_host=f"localhost:{served.port}")[0] == 200


def test_another_host_must_be_asked_for_and_is_announced(tmp_path):
    make_site(tmp_path)
    with Server(tmp_path, "--host", "0.0.0.0") as server:
        assert "warning: serving on 0.0.0.0" in server.output
        status, _, _ = raw_get(server.port, "/", host="127.0.0.2",
                               header_host=f"192.0.2.1:{server.port}")
        assert status == 200


def test_subpath_base_url_is_served_under_its_prefix(tmp_path):
    make_site(tmp_path)
    with Server(tmp_path, "--base-url", "https://example.org/factcheck/") as server:
        assert server.base == "/factcheck/"
        status, _, body = raw_get(server.port, "/factcheck/claims/uav-pilots/")
        assert status == 200 and b'href="/factcheck/claims/"' in body
        assert raw_get(server.port, "/claims/uav-pilots/")[0] == 404
        status, headers, _ = raw_get(server.port, "/")
        assert status == 302 and headers["location"] == "/factcheck/"


def test_broken_save_shows_error_page_then_fix_restores_and_deletion_removes(tmp_path):
    project = make_site(tmp_path)
    project.write("claims/lonely.md", MINIMAL["claims/second-claim.md"].replace(
        "related: [uav-pilots]", "tags: [lonely]"))
    path = project.content / "claims/uav-pilots.md"
    good = path.read_text()
    with Server(tmp_path) as server:
        path.write_text(good.replace("rating: unsubstantiated", "rating: dubious"))
        server.wait_for(r"^build failed")
        assert "content/claims/uav-pilots.md:" in server.output  # the terminal says it too
        for target in ("/claims/uav-pilots/", "/", "/claims/no-such-claim/"):
            status, _, body = raw_get(server.port, target)
            assert status == 500, target
            assert b"content/claims/uav-pilots.md:" in body and b"unknown-rating" in body
            assert b"/livereload.js" in body
        assert raw_get(server.port, "/static/style.css")[0] == 200

        path.write_text(good.replace("said so", "said so again"))
        server.wait_for(r"^rebuilt in")
        status, _, body = raw_get(server.port, "/claims/uav-pilots/")
        assert status == 200 and b"said so again" in body

        assert raw_get(server.port, "/claims/lonely/")[0] == 200
        (project.content / "claims/lonely.md").unlink()
        server.wait_for(r"^rebuilt in", occurrence=2)
        assert raw_get(server.port, "/claims/lonely/")[0] == 404


def test_sigterm_stops_and_removes_the_preview_folder(tmp_path):
    make_site(tmp_path)
    server = Server(tmp_path)
    preview = server.preview_root()
    assert (preview / "index.html").is_file()
    assert server.stop() == 0
    assert not preview.exists()


def test_locate_refuses_links_and_hidden_files(tmp_path):
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text("ok")
    (root / ".hidden").write_text("no")
    (root / "b").symlink_to(root / "a", target_is_directory=True)
    assert locate(root, "/a/") == root / "a" / "index.html"
    assert locate(root, "/a") == "/a/"
    assert locate(root, "/b/") is None
    assert locate(root, "/b/index.html") is None
    assert locate(root, "/.hidden") is None
    assert locate(root, "/a/%2e%2e/.hidden") is None


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False),
])
def test_which_hosts_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_tab_that_missed_a_reload_while_loading_is_reloaded_when_it_connects(tmp_path):
    """The page was served, a build finished before its socket connected: reload it now.
    A page served after the build is not reloaded (the answer to a later hello comes first).
    """
    import asyncio
    import json

    from tornado.websocket import websocket_connect

    project = make_site(tmp_path)
    path = project.content / "claims/uav-pilots.md"

    async def first_answer_after_info(port: int, url: str) -> dict:
        socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        try:
            socket.write_message(json.dumps({"command": "hello", "protocols": [
                "http://livereload.com/protocols/official-7"]}))
            assert json.loads(await socket.read_message())["command"] == "hello"
            socket.write_message(json.dumps({"command": "info", "plugins": {}, "url": url}))
            socket.write_message(json.dumps({"command": "hello", "protocols": []}))
            return json.loads(await socket.read_message())
        finally:
            socket.close()

    with Server(tmp_path) as server:
        url = f"http://127.0.0.1:{server.port}/claims/uav-pilots/"
        assert raw_get(server.port, "/claims/uav-pilots/")[0] == 200
        path.write_text(path.read_text().replace("said so", "said it later"))
        server.wait_for("^rebuilt in")
        stale = asyncio.run(first_answer_after_info(server.port, url))
        assert stale["command"] == "reload"

        assert b"said it later" in raw_get(server.port, "/claims/uav-pilots/")[2]
        fresh = asyncio.run(first_answer_after_info(server.port, url))
        assert fresh["command"] == "hello"


def test_a_port_in_use_is_a_clear_error_not_a_traceback(served, tmp_path):
    import subprocess

    from tests.conftest import PYTHON, ROOT, TEMPLATES

    make_site(tmp_path)
    done = subprocess.run(
        [PYTHON, "-m", "generator", "serve", "--port", str(served.port),
         "--templates", str(TEMPLATES)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
        text=True, timeout=60)
    assert done.returncode == 2
    assert f"error: cannot listen on 127.0.0.1:{served.port}" in done.stderr
    assert "Traceback" not in done.stderr
