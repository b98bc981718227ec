"""The dataset registry (datasets.yaml): each dataset's files and, where the pipeline cleans it, its table.

One id per thing: a dataset's clean table carries the dataset's id (results/clean/<id>.parquet).
"""

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.schema import SchemaError, load_yaml, validate

# Population sources of the classification and the indicators (config names) and their clean tables.
POPULATION_SOURCES = {
    "iod2019_mid2015": "iod2019_population_mid2015_lsoa11",
    "ons_mid2019": "population_mid2019_lsoa11",
    "ons_mid2020": "population_mid2020_lsoa11",
}


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
class Column:
    name: str
    source: str
    description: str
    kind: str = "number"  # code | text | number | flag

    @property
    def numeric(self):
        return self.kind == "number"


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    reader: str  # csv | xlsx | parquet | rda | sf_rda | census | tiles | le_2009_13 | le_2016_20
    geography: str | None
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # columns whose combination must be unique; default: the first column
    codes: dict = field(default_factory=dict)  # other code columns -> geography
    expected_rows: int | None = None
    england_only: bool = True
    non_negative: bool = True
    allow_missing: bool = False  # True only where the publisher suppresses values (life expectancy)
    options: dict = field(default_factory=dict)

    @property
    def key_columns(self):
        """The unique key; by default the first column (for Census tables, generated later: <geography>_code)."""
        return self.unique or ((self.columns[0].name,) if self.columns else (f"{self.geography}_code",))


def code(name, source, geography_label):
    return Column(name, source, f"{geography_label} code", "code")


def num(name, source, description):
    return Column(name, source, description, "number")


SINGLE_YEARS_OF_AGE = [*map(str, range(90)), "90+"]

DICTIONARY_COLUMNS = ["table", "column", "kind", "description", "source_column"]


def data_dictionary(table):
    """One row per column of a clean table: its meaning and the source header it comes from."""
    import pandas as pd

    rows = [(table.name, c.name, c.kind, c.description, c.source) for c in table.columns]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def table_spec(name, entry):
    """The Table of a registry entry's `table` block. Columns are listed there, except the ones that really are
    generated: single years of age (from a description template) and Census columns (from the Census metadata)."""
    columns = tuple(Column(c["name"], c["source"], c["description"], c["kind"]) for c in entry["columns"])
    if "single_years_of_age" in entry:
        columns += tuple(
            num(f"age_{age.replace('+', '_plus')}", age, entry["single_years_of_age"].format(age=age))
            for age in SINGLE_YEARS_OF_AGE
        )
    return Table(
        name=name,
        description=entry["description"],
        reader=entry["reader"],
        geography=entry["geography"],
        columns=columns,
        unique=tuple(entry.get("unique", ())),
        codes=dict(entry.get("codes", {})),
        expected_rows=entry.get("expected_rows"),
        england_only=entry.get("england_only", True),
        non_negative=entry.get("non_negative", True),
        allow_missing=entry.get("allow_missing", False),
        options=dict(entry.get("options", {})),
    )


BUNDLE_MIN_FILES = 8


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    required: bool
    files: tuple[FileEntry, ...]
    meta: dict

    @property
    def files_folder(self):
        """Where the files sit in the dataset's raw folder: a dataset of many files (tiles) keeps them in files/, one
        folder that the workflow tracks as a whole, so that no job or log line lists hundreds of paths."""
        return "files" if len(self.files) > BUNDLE_MIN_FILES else ""

    @property
    def table(self):
        """The dataset's clean table, or None when the pipeline does not clean it."""
        return table_spec(self.id, self.meta["table"]) if "table" in self.meta else None

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


def check_inside(dataset_id, field, value, folder, single_name=False):
    """A registry path must stay inside its folder (the mirror, the dataset's raw folder): relative, without '..';
    a file name is one name."""
    parts = PurePosixPath(value).parts
    if (
        not value
        or value.startswith(("/", "\\"))
        or "\\" in value
        or ".." in parts
        or (single_name and (len(parts) != 1 or value in (".", "..")))
    ):
        expected = "a file name, with no folder" if single_name else f"a relative path inside {folder}, without '..'"
        raise RegistryError(f"registry entry '{dataset_id}': {field} {value!r} is not {expected}")


def parse_registry(document, source="registry"):
    try:
        validate(document, "datasets.schema.yaml", source)
    except SchemaError as error:
        raise RegistryError(str(error)) from None
    datasets = {}
    for dataset_id, entry in document["datasets"].items():
        if entry.get("mirror_path") is not None:
            check_inside(dataset_id, "mirror_path", entry["mirror_path"], "the mirror")
        if "filename" in entry:
            check_inside(dataset_id, "filename", entry["filename"], "its raw folder", single_name=True)
        for raw in entry.get("files", []):
            check_inside(dataset_id, "files name", raw["name"], "its raw folder")
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


FRICTIONLESS_TYPES = {"code": "string", "text": "string", "number": "number", "flag": "boolean", "geometry": "any"}


def data_package(resources, dictionary):
    """A Frictionless data package descriptor of the clean tables. resources: table id -> the descriptive fields of its
    registry entry (title, publisher, landing_page, licence, and the table's description and key columns);
    dictionary: the data dictionary (table, column, kind, description, source_column)."""
    package = {
        "profile": "data-package",
        "name": "ddn-pipeline-clean-tables",
        "title": "ddn-pipeline: clean tables of the doubly disadvantaged neighbourhoods pipeline",
        "resources": [],
    }
    for name, entry in resources.items():
        columns = dictionary[dictionary["table"] == name]
        fields = [
            {
                "name": row.column,
                "type": FRICTIONLESS_TYPES[row.kind],
                "description": row.description,
                "source_column": row.source_column,
            }
            for row in columns.itertuples()
        ]
        package["resources"].append(
            {
                "name": name,
                "path": f"{name}.parquet",
                "format": "parquet",
                "title": entry["description"],
                "description": entry["title"],
                "sources": [{"title": entry["publisher"], "path": entry["landing_page"]}],
                "licenses": [{"title": entry["licence"]}],
                "schema": {"fields": fields, "primaryKey": entry["key_columns"]},
            }
        )
    return package
