from ddn_pipeline.classify import POPULATION_SOURCES
from ddn_pipeline.config import resolve_mirror, resolve_offline, validate_config
from ddn_pipeline.registry import load_registry
from ddn_pipeline.tables import TABLES, TABLES_BY_NAME

validate_config(config, source="config (config.yaml with --config overrides)")
MIRROR = resolve_mirror(config)
OFFLINE = resolve_offline(config, MIRROR)
DATASETS = load_registry(Path(workflow.basedir) / config["registry"])

unknown_datasets = sorted({t.dataset for t in TABLES} - set(DATASETS))
if unknown_datasets:
    raise ValueError(f"clean tables name datasets missing from {config['registry']}: {unknown_datasets}")


def raw_dir(dataset_id):
    return Path("resources", "raw", dataset_id)


def retrieval_record(dataset_id):
    return raw_dir(dataset_id) / "retrieval.json"


def obtainable(dataset):
    """Will this run have the dataset's files? Decided without the network: mirrored, or allowed to download."""
    return dataset.mirrored_in(MIRROR) or not OFFLINE


def raw_files(dataset_id):
    dataset = DATASETS[dataset_id]
    if not (obtainable(dataset) or dataset.required):
        return []
    return [str(raw_dir(dataset_id) / f.name) for f in dataset.files]


def clean_outputs():
    """Clean tables whose datasets this run can obtain (a required dataset always: its absence is an error)."""
    return [
        f"results/clean/{table.name}.parquet"
        for table in TABLES
        if obtainable(DATASETS[table.dataset]) or DATASETS[table.dataset].required
    ]
