"""Retrieval of registry datasets: copy from an offline mirror or download, verify sha256, write atomically.

The retrieve rules run `python -m ddn_pipeline.retrieve DATASET RECORD LOG` (a shell command, not a script): the
command's text is all Snakemake tracks of them, so changing how bytes are fetched (this module, the mirror, URLs,
timeouts) never invalidates a verified file. Where to fetch from comes from the environment variable
DDN_RETRIEVAL (JSON: registry, mirror, offline, download), which the workflow sets (export_settings).
"""

import json
import logging
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.files import DataFileError, check_not_empty_or_html, sha256_file, temporary_path

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}


class RetrievalError(PipelineError):
    pass


class ChecksumMismatch(RetrievalError):
    pass


def verify_and_publish(tmp, dest, entry, label, origin):
    """Check tmp against the registry's sha256, then move it into place. Returns (sha256, bytes, verified)."""
    size = tmp.stat().st_size
    actual = sha256_file(tmp)
    if entry.sha256 is None:
        try:
            check_not_empty_or_html(tmp, f"{label}: '{entry.name}' from {origin}")
        except DataFileError as error:
            raise RetrievalError(str(error)) from None
    elif actual != entry.sha256:
        tmp.unlink(missing_ok=True)
        raise ChecksumMismatch(
            f"{label}: checksum mismatch for '{entry.name}' from {origin}: expected sha256 {entry.sha256}, "
            f"got {actual} ({size} bytes{'' if entry.bytes is None else f', expected {entry.bytes}'}). "
            "The copy is damaged or a different release; nothing was written."
        )
    os.replace(tmp, dest)
    return actual, size, entry.sha256 is not None


def copy_verified(source, entry, dest, label, origin):
    tmp = temporary_path(dest)
    try:
        shutil.copyfile(source, tmp)
        return verify_and_publish(tmp, dest, entry, label, origin)
    finally:
        tmp.unlink(missing_ok=True)


def copy_from_mirror(entry, mirror, dest, label):
    source = inside(Path(mirror), entry.mirror_path, label, "the mirror")
    return copy_verified(source, entry, dest, label, f"mirror {source}")


def inside(folder, relative, label, what):
    """folder / relative, if it stays inside folder (no '..', absolute path or symlink leads out)."""
    path = Path(folder) / relative
    if not path.resolve().is_relative_to(Path(folder).resolve()):
        raise RetrievalError(f"{label}: {str(relative)!r} leads outside {what}; expected a path inside it")
    return path


def _from_cache(cache, entry, dest, label):
    """(source, sha256, bytes, verified) from the download cache, or None when it has no good copy."""
    cached = cache / entry.sha256 if cache and entry.sha256 else None
    if cached is None or not cached.is_file():
        return None
    try:
        return (f"cache:{cached}", *copy_verified(cached, entry, dest, label, f"download cache {cached}"))
    except ChecksumMismatch as error:
        log.warning("%s; downloading again", error)
        return None


def keep_in_cache(path, cached):
    """Keep a verified download under its sha256 in the cache, outside the workflow's outputs: a later re-download
    that fails verification, or a deleted resources/raw, then still has it. A good cached copy is never overwritten."""
    if cached.is_file() and sha256_file(cached) == cached.name:
        return
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(cached)
    shutil.copyfile(path, tmp)
    os.replace(tmp, cached)


def _download_once(url, tmp, timeout, label):
    import requests
    from tqdm import tqdm

    with requests.get(
        url, stream=True, timeout=timeout, headers={"User-Agent": "ddn-pipeline"}, allow_redirects=True
    ) as response:
        if response.status_code >= 400:
            raise requests.HTTPError(f"HTTP {response.status_code} {response.reason}", response=response)
        expected = response.headers.get("Content-Length")
        expected = int(expected) if expected and not response.headers.get("Content-Encoding") else None
        written = 0
        with (
            open(tmp, "wb") as out,
            tqdm(total=expected, unit="B", unit_scale=True, desc=label, file=sys.stderr, mininterval=2) as bar,
        ):
            for chunk in response.raw.stream(1 << 20, decode_content=False):
                out.write(chunk)
                written += len(chunk)
                bar.update(len(chunk))
        if expected is not None and written != expected:
            raise requests.exceptions.ChunkedEncodingError(
                f"body shorter than Content-Length: got {written} of {expected} bytes"
            )


def _is_retryable(error):
    """Transient failures: server errors, throttling, timeouts, dropped or cut-short connections."""
    import requests
    import urllib3

    if isinstance(error, requests.HTTPError):
        return error.response is not None and error.response.status_code in RETRYABLE_STATUS
    return isinstance(
        error,
        (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
            urllib3.exceptions.ProtocolError,
            urllib3.exceptions.ReadTimeoutError,
            ConnectionError,
        ),
    )


def download(entry, dest, label, timeout_seconds, retries, backoff_seconds, sleep=time.sleep):
    """Try each URL in turn, retrying transient failures with exponential backoff. Returns (url, sha256, bytes, verified)."""
    import requests
    import urllib3

    failures = []
    tmp = temporary_path(dest)
    try:
        for url in entry.urls:
            for attempt in range(retries + 1):
                try:
                    log.info("%s: downloading %s (attempt %d of %d)", label, url, attempt + 1, retries + 1)
                    _download_once(url, tmp, timeout_seconds, label)
                    return (url, *verify_and_publish(tmp, dest, entry, label, url))
                except ChecksumMismatch as error:
                    failures.append(f"{url}: {error}")
                    break
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
                    tmp.unlink(missing_ok=True)
                    if not _is_retryable(error) or attempt == retries:
                        failures.append(f"{url}: {type(error).__name__}: {error}")
                        break
                    wait = backoff_seconds * 2**attempt
                    log.warning("%s: %s failed (%s); retrying in %.1f s", label, url, error, wait)
                    sleep(wait)
    finally:
        tmp.unlink(missing_ok=True)
    raise RetrievalError(
        f"{label}: could not download '{entry.name}'. Tried:\n  - "
        + "\n  - ".join(failures)
        + "\nWithout network access, point the pipeline at an offline copy: "
        "snakemake --cores 4 --config mirror=PATH (or set DDN_MIRROR=PATH)."
    )


def already_retrieved(dataset, dest_dir):
    """Did an earlier run leave every file of the dataset in dest_dir, verified against the registry's sha256?
    Such files are the same input wherever their bytes came from: this run needs no mirror and no network for them.
    Reads the retrieval record and file sizes only, so the DAG is built without hashing."""
    dest_dir = Path(dest_dir)
    try:
        record = json.loads((dest_dir / "retrieval.json").read_text(encoding="utf-8"))
        recorded = {f["name"]: f for f in record["files"]}
        if record["status"] != "available":
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    for entry in dataset.files:
        found = recorded.get(entry.name)
        path = dest_dir / dataset.files_folder / entry.name
        if (
            entry.sha256 is None
            or found is None
            or found.get("sha256") != entry.sha256
            or not path.is_file()
            or path.stat().st_size != found.get("bytes")
        ):
            return False
    return True


def retrieve_dataset(dataset, dest_dir, mirror, offline, download_settings, now=None):
    """Obtain every file of a dataset into dest_dir. Returns the provenance record (a dict).

    An optional dataset that cannot be had (offline and not mirrored) gets status 'unavailable' and a reason;
    a required one raises RetrievalError.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    label = f"dataset '{dataset.id}'"
    timestamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    record = {
        "id": dataset.id,
        "title": dataset.title,
        "required": dataset.required,
        "retrieved_at": timestamp,
        "files": [],
    }
    if dataset.mirrored_in(mirror):
        for entry in dataset.files:
            dest = inside(dest_dir, Path(dataset.files_folder, entry.name), label, "its raw folder")
            dest.parent.mkdir(parents=True, exist_ok=True)
            sha, size, verified = copy_from_mirror(entry, mirror, dest, label)
            record["files"].append(_file_record(entry, dest, sha, size, verified, f"mirror:{entry.mirror_path}"))
        log.info("%s: copied %d file(s) from the mirror", label, len(dataset.files))
        return {**record, **verification_status(record["files"])}
    if offline:
        where = "not in the mirror" if mirror else "no mirror is configured"
        reason = f"offline and {where}; download from {dataset.files[0].urls[0]}"
        if dataset.required:
            raise RetrievalError(f"{label} is required for the DDN classification but cannot be had: {reason}")
        log.info("%s unavailable: %s", label, reason)  # collect_sources reports them all in one line
        return {**record, "status": "unavailable", "reason": reason}
    settings = dict(download_settings)
    cache = Path(settings.pop("cache_dir")) if settings.get("cache_dir") else None
    for entry in dataset.files:
        dest = inside(dest_dir, Path(dataset.files_folder, entry.name), label, "its raw folder")
        dest.parent.mkdir(parents=True, exist_ok=True)
        from_cache = _from_cache(cache, entry, dest, label)
        if from_cache:
            source, sha, size, verified = from_cache
        else:
            source, sha, size, verified = download(entry, dest, label, **settings)
            if cache is not None:
                keep_in_cache(dest, cache / sha)
        record["files"].append(_file_record(entry, dest, sha, size, verified, source))
    return {**record, **verification_status(record["files"])}


def verification_status(files):
    """'available' only when every file was checked against the registry's sha256; otherwise 'unverified'."""
    if all(f["verified"] for f in files):
        return {"status": "available", "reason": ""}
    return {"status": "unverified", "reason": "the registry has no sha256 for this file: recorded, not verified"}


def _file_record(entry, dest, sha, size, verified, source):
    return {"name": entry.name, "path": str(dest), "sha256": sha, "bytes": size, "verified": verified, "source": source}


SOURCES_COLUMNS = [
    "id",
    "status",
    "file",
    "path",
    "sha256",
    "bytes",
    "verified",
    "url_used",
    "retrieved_at",
    "required",
    "reason",
]


def sources_table(records):
    """One row per file (one row for a dataset with no files), for results/provenance/sources.csv."""
    import pandas as pd

    rows = []
    for record in records:
        base = {
            "id": record["id"],
            "status": record["status"],
            "retrieved_at": record["retrieved_at"],
            "required": record["required"],
            "reason": record["reason"],
        }
        for f in record["files"] or [None]:
            rows.append(
                {
                    **base,
                    "file": f and f["name"],
                    "path": f and f["path"],
                    "sha256": f and f["sha256"],
                    "bytes": f and f["bytes"],
                    "verified": f and f["verified"],
                    "url_used": f and f["source"],
                }
            )
    return pd.DataFrame(rows, columns=SOURCES_COLUMNS)


SETTINGS_ENV = "DDN_RETRIEVAL"


def export_settings(registry, mirror, offline, download_settings):
    """Hand the resolved retrieval settings to the retrieve jobs this process starts."""
    settings = {
        "registry": str(registry),
        "mirror": mirror and str(mirror),
        "offline": offline,
        "download": download_settings,
    }
    os.environ[SETTINGS_ENV] = json.dumps(settings)


def retrieve_job(smk):
    """The retrieve rule's job: retrieve the dataset smk.params.dataset and write its record, smk.output.record."""
    from ddn_pipeline.files import write_json_atomic
    from ddn_pipeline.registry import load_registry

    if SETTINGS_ENV not in os.environ:
        raise RetrievalError(
            f"{SETTINGS_ENV} is not set: run the retrieve rules through snakemake, or set it to JSON with keys "
            "registry, mirror, offline and download"
        )
    settings = json.loads(os.environ[SETTINGS_ENV])
    dataset = load_registry(settings["registry"])[smk.params.dataset]
    record_path = smk.output.record
    record = retrieve_dataset(
        dataset, Path(record_path).parent, settings["mirror"], settings["offline"], settings["download"]
    )
    write_json_atomic(record, record_path)
    log.info("%s: status %s, %d file(s)", dataset.id, record["status"], len(record["files"]))
