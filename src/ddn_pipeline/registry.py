"""The dataset registry (datasets.yaml): loading, validation and file entries."""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.schema import SchemaError, load_yaml, validate


class RegistryError(PipelineError):
    pass


@dataclass(frozen=True)
class FileEntry:
    name: str
    sha256: str | None
    bytes: int | None
    urls: tuple[str, ...]
    mirror_path: str | None


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    required: bool
    files: tuple[FileEntry, ...]
    meta: dict

    def mirrored_in(self, mirror):
        """True when every file of the dataset is present in the mirror folder."""
        return mirror is not None and all(
            f.mirror_path and (Path(mirror) / f.mirror_path).is_file() for f in self.files
        )


def _single_file_name(dataset_id, entry):
    if entry.get("filename"):
        return entry["filename"]
    if entry.get("mirror_path"):
        return PurePosixPath(entry["mirror_path"]).name
    name = PurePosixPath(urlparse(entry["urls"][0]).path).name
    if "." not in name:
        raise RegistryError(
            f"registry entry '{dataset_id}': cannot name its file from {entry['urls'][0]}; add 'filename'"
        )
    return name


def _expand(template, name):
    return template.replace("{name}", name) if template is not None else None


def parse_registry(document, source="registry"):
    try:
        validate(document, "datasets.schema.yaml", source)
    except SchemaError as error:
        raise RegistryError(str(error)) from None
    datasets = {}
    for dataset_id, entry in document["datasets"].items():
        if "files" in entry:
            for template in [*entry["urls"], entry["mirror_path"] or "{name}"]:
                if "{name}" not in template:
                    raise RegistryError(
                        f"registry entry '{dataset_id}': '{template}' lacks '{{name}}' but the dataset has several files"
                    )
            raw_files = entry["files"]
        else:
            raw_files = [
                {"name": _single_file_name(dataset_id, entry), "sha256": entry["sha256"], "bytes": entry.get("bytes")}
            ]
        names = [f["name"] for f in raw_files]
        if len(set(names)) != len(names):
            raise RegistryError(f"registry entry '{dataset_id}': duplicated file names")
        files = tuple(
            FileEntry(
                name=f["name"],
                sha256=f["sha256"],
                bytes=f.get("bytes"),
                urls=tuple(_expand(u, f["name"]) for u in entry["urls"]),
                mirror_path=_expand(entry["mirror_path"], f["name"]),
            )
            for f in raw_files
        )
        datasets[dataset_id] = Dataset(dataset_id, entry["title"], entry["required"], files, entry)
    return datasets


def load_registry(path):
    try:
        document = load_yaml(path)
    except SchemaError as error:
        raise RegistryError(str(error)) from None
    return parse_registry(document, source=str(path))
