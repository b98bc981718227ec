import hashlib
import http.server
import json
import threading
from pathlib import Path

import pandas as pd
import pytest

from ddn_pipeline.files import DataFileError, check_not_empty_or_html, sha256_file, write_json_atomic
from ddn_pipeline.registry import Dataset, FileEntry
from ddn_pipeline.retrieve import ChecksumMismatch, RetrievalError, download, retrieve_dataset, sources_table

BODY = b"lsoa11_code,value\nE01000001,1\n"
SHA = hashlib.sha256(BODY).hexdigest()
NO_WAIT = {"timeout_seconds": 5, "retries": 2, "backoff_seconds": 0}


def dataset(tmp_path, sha=SHA, required=False, urls=("http://127.0.0.1:9/a.csv",), name="a.csv"):
    entry = FileEntry(name=name, sha256=sha, bytes=len(BODY), urls=tuple(urls), mirror_path=f"raw/{name}")
    return Dataset("a_lsoa11", "A table", required, (entry,), {})


@pytest.fixture
def mirror(tmp_path):
    root = tmp_path / "mirror"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "a.csv").write_bytes(BODY)
    return root


def test_sha256_file(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(BODY)
    assert sha256_file(path) == SHA


def test_copy_from_mirror_verifies_and_records(tmp_path, mirror):
    record = retrieve_dataset(dataset(tmp_path), tmp_path / "out", mirror, True, NO_WAIT)
    assert record["status"] == "available"
    assert (tmp_path / "out" / "a.csv").read_bytes() == BODY
    (only,) = record["files"]
    assert (only["sha256"], only["bytes"], only["verified"], only["source"]) == (
        SHA,
        len(BODY),
        True,
        "mirror:raw/a.csv",
    )
    assert not list((tmp_path / "out").glob(".*part*"))


def test_checksum_mismatch_names_dataset_and_writes_nothing(tmp_path, mirror):
    (mirror / "raw" / "a.csv").write_bytes(BODY.replace(b"1\n", b"2\n"))
    with pytest.raises(
        ChecksumMismatch, match=r"dataset 'a_lsoa11': checksum mismatch for 'a.csv' .*expected sha256 " + SHA
    ):
        retrieve_dataset(dataset(tmp_path), tmp_path / "out", mirror, True, NO_WAIT)
    assert list((tmp_path / "out").iterdir()) == []


def test_mismatch_keeps_an_existing_good_file(tmp_path, mirror):
    out = tmp_path / "out"
    retrieve_dataset(dataset(tmp_path), out, mirror, True, NO_WAIT)
    (mirror / "raw" / "a.csv").write_bytes(b"changed upstream\n")
    with pytest.raises(ChecksumMismatch):
        retrieve_dataset(dataset(tmp_path), out, mirror, True, NO_WAIT)
    assert (out / "a.csv").read_bytes() == BODY


def test_offline_and_not_mirrored_is_unavailable_with_reason(tmp_path):
    record = retrieve_dataset(dataset(tmp_path), tmp_path / "out", None, True, NO_WAIT)
    assert record["status"] == "unavailable"
    assert "offline and no mirror is configured" in record["reason"]
    assert record["files"] == []


def test_offline_required_dataset_is_an_error(tmp_path):
    with pytest.raises(RetrievalError, match=r"dataset 'a_lsoa11' is required .* cannot be had: offline"):
        retrieve_dataset(dataset(tmp_path, required=True), tmp_path / "out", None, True, NO_WAIT)


def test_empty_and_html_files_are_rejected(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataFileError, match="is empty"):
        check_not_empty_or_html(empty, "x")
    page = tmp_path / "page.csv"
    page.write_bytes(b"\n  <!DOCTYPE html><html><body>Not found</body></html>")
    with pytest.raises(DataFileError, match="is an HTML page"):
        check_not_empty_or_html(page, "x")


def test_write_json_atomic(tmp_path):
    write_json_atomic({"b": 1, "a": 2}, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text()) == {"a": 2, "b": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_sources_table_has_a_row_per_file_and_per_unavailable_dataset(tmp_path, mirror):
    available = retrieve_dataset(dataset(tmp_path), tmp_path / "out", mirror, True, NO_WAIT)
    unavailable = retrieve_dataset(dataset(tmp_path), tmp_path / "out2", None, True, NO_WAIT)
    table = sources_table([available, unavailable])
    assert table["status"].tolist() == ["available", "unavailable"]
    assert table.loc[0, "sha256"] == SHA and pd.isna(table.loc[1, "path"])


# ------------------------------------------------------------- downloads from a local server


class Server:
    """A local HTTP server on 127.0.0.1 whose responses the test scripts: a list of (status, body, headers)."""

    def __init__(self):
        self.script = []
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                status, body, headers = outer.script.pop(0) if outer.script else (404, b"", {})
                self.send_response(status)
                headers = {"Content-Length": str(len(body)), **headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def fetch(tmp_path, url, sha=SHA):
    entry = dataset(tmp_path, sha=sha, urls=(url,)).files[0]
    dest = tmp_path / "a.csv"
    return download(entry, dest, "dataset 'a_lsoa11'", **NO_WAIT), dest


def test_download_ok(tmp_path, server):
    server.script = [(200, BODY, {})]
    (_url, sha, size, verified), dest = fetch(tmp_path, server.url + "/a.csv")
    assert (sha, size, verified) == (SHA, len(BODY), True) and dest.read_bytes() == BODY


def test_server_error_is_retried_then_succeeds(tmp_path, server):
    server.script = [(500, b"oops", {}), (200, BODY, {})]
    (_, sha, _, _), _ = fetch(tmp_path, server.url + "/a.csv")
    assert sha == SHA and len(server.requests) == 2


def test_not_found_is_not_retried_and_names_url_and_mirror(tmp_path, server):
    server.script = [(404, b"", {})]
    with pytest.raises(RetrievalError, match=r"(?s)/a.csv: HTTPError: HTTP 404.*config mirror=PATH") as error:
        fetch(tmp_path, server.url + "/a.csv")
    assert len(server.requests) == 1
    assert not (tmp_path / "a.csv").exists()
    assert "DDN_MIRROR" in str(error.value)


def test_short_body_is_retried_and_bounded(tmp_path, server):
    short = (200, BODY[:10], {"Content-Length": str(len(BODY))})
    server.script = [short, short, short]
    with pytest.raises(RetrievalError, match="a.csv"):
        fetch(tmp_path, server.url + "/a.csv")
    assert len(server.requests) == 3  # first attempt plus two retries
    assert not (tmp_path / "a.csv").exists()


def test_wrong_bytes_from_server_is_a_checksum_mismatch(tmp_path, server):
    server.script = [(200, b"something else\n", {})]
    with pytest.raises(RetrievalError, match="checksum mismatch"):
        fetch(tmp_path, server.url + "/a.csv")
    assert not (tmp_path / "a.csv").exists()


def test_unknown_checksum_rejects_html_page(tmp_path, server):
    server.script = [(200, b"<html><body>moved</body></html>", {})]
    with pytest.raises(RetrievalError, match="HTML page"):
        fetch(tmp_path, server.url + "/a.csv", sha=None)


def test_connection_refused_names_the_url(tmp_path):
    with pytest.raises(RetrievalError, match=r"http://127.0.0.1:9/a.csv: ConnectionError"):
        fetch(tmp_path, "http://127.0.0.1:9/a.csv")
    assert not Path(tmp_path / "a.csv").exists()


def test_timeout_is_retried_and_named(tmp_path):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections, never answers
    try:
        entry = dataset(tmp_path, urls=(f"http://127.0.0.1:{listener.getsockname()[1]}/a.csv",)).files[0]
        with pytest.raises(RetrievalError, match=r"(?s)/a.csv: (ConnectionError|ReadTimeout).*timed out"):
            download(entry, tmp_path / "a.csv", "dataset 'a_lsoa11'", timeout_seconds=0.3, retries=1, backoff_seconds=0)
    finally:
        listener.close()
    assert not (tmp_path / "a.csv").exists()


def test_redirect_is_followed(tmp_path, server):
    server.script = [(302, b"", {"Location": "/moved.csv"}), (200, BODY, {})]
    (_, sha, _, _), _dest = fetch(tmp_path, server.url + "/a.csv")
    assert sha == SHA and server.requests == ["/a.csv", "/moved.csv"]


def test_download_cache_keeps_the_verified_copy(tmp_path, server):
    cache = tmp_path / "cache"
    settings = {**NO_WAIT, "cache_dir": str(cache)}
    ds = dataset(tmp_path, urls=(server.url + "/a.csv",))
    server.script = [(200, BODY, {})]
    first = retrieve_dataset(ds, tmp_path / "out", None, False, settings)
    assert (cache / SHA).read_bytes() == BODY and first["files"][0]["source"].endswith("/a.csv")
    (tmp_path / "out" / "a.csv").unlink()  # as snakemake does before re-running the rule
    server.script = [(200, b"a silently updated upstream file\n", {})]
    second = retrieve_dataset(ds, tmp_path / "out", None, False, settings)
    assert second["files"][0]["source"] == f"cache:{cache / SHA}" and len(server.requests) == 1
    assert (tmp_path / "out" / "a.csv").read_bytes() == BODY


def test_damaged_cache_entry_is_downloaded_again(tmp_path, server):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / SHA).write_bytes(b"damaged")
    server.script = [(200, BODY, {})]
    record = retrieve_dataset(
        dataset(tmp_path, urls=(server.url + "/a.csv",)),
        tmp_path / "out",
        None,
        False,
        {**NO_WAIT, "cache_dir": str(cache)},
    )
    assert record["status"] == "available" and (tmp_path / "out" / "a.csv").read_bytes() == BODY
    assert (cache / SHA).read_bytes() == BODY  # the damaged copy was replaced by the verified one


def test_a_mirror_file_without_a_sha256_is_unverified_never_available(tmp_path, mirror):
    record = retrieve_dataset(dataset(tmp_path, sha=None), tmp_path / "out", mirror, True, NO_WAIT)
    assert record["status"] == "unverified"
    assert "no sha256" in record["reason"]


def test_a_mirror_path_that_leads_outside_the_mirror_is_refused(tmp_path, mirror):
    """A symlink in the mirror (or a path the registry check missed) that leads out: nothing is read or written."""
    secret = tmp_path / "secret.txt"
    secret.write_text("not data", encoding="utf-8")
    (mirror / "raw" / "a.csv").unlink()
    (mirror / "raw" / "a.csv").symlink_to(secret)
    with pytest.raises(RetrievalError, match=r"'raw/a\.csv' leads outside the mirror"):
        retrieve_dataset(dataset(tmp_path, sha=None), tmp_path / "out", mirror, True, NO_WAIT)
    assert not (tmp_path / "out" / "a.csv").exists()


def test_a_file_name_that_leads_outside_the_raw_folder_is_refused(tmp_path, mirror):
    (mirror / "a.csv").write_bytes(BODY)  # the mirror holds raw/../a.csv: only the destination leads out
    with pytest.raises(RetrievalError, match=r"'\.\./a\.csv' leads outside its raw folder"):
        retrieve_dataset(dataset(tmp_path, name="../a.csv"), tmp_path / "out", mirror, True, NO_WAIT)
    assert not (tmp_path / "a.csv").exists()
