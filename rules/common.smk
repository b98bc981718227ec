import functools
import hashlib
import tomllib

from ddn_pipeline.areas import read_areas
from ddn_pipeline.config import resolve_mirror, resolve_offline, typed_command_line_values, validate_config
from ddn_pipeline.dependencies import imported_modules
from ddn_pipeline.errors import PipelineError
from ddn_pipeline.reference import load_reference
from ddn_pipeline.registry import POPULATION_SOURCES, load_registry
from ddn_pipeline.retrieve import already_retrieved, export_settings
from ddn_pipeline.sweep_plan import sweep_indicators, variants

# Scheduling (no output depends on it): when more jobs are ready than there are cores, Snakemake starts those of
# higher `priority:` first. The long jobs at the end of the DAG, and the short chains that lead to them, go first:
# left to chance, one of them started last and ran alone on one core while the other idled.
FIRST = 10  # the sweep's chain and plot_indicators (the longest job), and the benchmark's chain to its notebook
EARLY = 5  # plot_edition_2025, and the chain that ends in the classification notebook


def load_settings():
    """Settings, registry and reference data, validated: (mirror, offline, registry path, datasets, reference)."""
    config.update(typed_command_line_values(config))
    validate_config(config, source="config (config.yaml with --config overrides)")
    mirror = resolve_mirror(config)
    registry = Path(workflow.basedir) / config["registry"]
    datasets = load_registry(registry)
    reference = load_reference(
        Path(workflow.basedir) / config["reference"]["indicators"],
        Path(workflow.basedir) / config["reference"]["published_figures"],
        set(datasets),
    )
    return mirror, resolve_offline(config, mirror), registry, datasets, reference


try:
    MIRROR, OFFLINE, REGISTRY, DATASETS, REFERENCE = load_settings()
except PipelineError as error:
    sys.exit(f"ERROR: {error}")  # the message names the file and key; a traceback would only hide it
# Where bytes come from (mirror, URLs, timeouts) never decides an output, so the retrieve rules do not take these as
# params (a change of params re-runs a job); their command reads them from the environment instead.
export_settings(REGISTRY, MIRROR, OFFLINE, config["download"])
# the version the report's footer names (pyproject.toml, one place for it)
PROJECT_VERSION = tomllib.loads((Path(workflow.basedir) / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"
]

# The clean tables, one per registry dataset that has a `table` block, named by the dataset's id.
TABLES = {dataset_id: dataset.table for dataset_id, dataset in DATASETS.items() if "table" in dataset.meta}


def raw_dir(dataset_id):
    return Path("resources", "raw", dataset_id)


def retrieval_record(dataset_id):
    return raw_dir(dataset_id) / "retrieval.json"


def obtainable(dataset):
    """Will this run have the dataset's files? Decided without the network: already retrieved and verified by an
    earlier run, mirrored, or allowed to download."""
    return _obtainable(dataset.id)


@functools.cache
def _obtainable(dataset_id):
    # asked several times per dataset while the rules are read; the answer cannot change meanwhile
    dataset = DATASETS[dataset_id]
    return already_retrieved(dataset, raw_dir(dataset_id)) or dataset.mirrored_in(MIRROR) or not OFFLINE


def source_digests(paths):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:16] for path in paths}


@functools.cache  # the clean and retrieve loops ask for the same script's modules many times
def library_code(script):
    """The library modules a rule's script imports, each with the sha256 of its source. As a param it makes exactly
    the rules that use a module out of date when the module is edited, wherever the repository or work folder lies."""
    library = Path(workflow.basedir) / "src" / "ddn_pipeline"
    return source_digests(imported_modules(Path(workflow.basedir) / "scripts" / f"{script}.py", library))


def raw_files(dataset_id):
    """The dataset's raw files as inputs: the files, or the one folder of a dataset of many files."""
    dataset = DATASETS[dataset_id]
    if not (obtainable(dataset) or dataset.required):
        return []
    if dataset.files_folder:
        return [str(raw_dir(dataset_id) / dataset.files_folder)]
    return [str(raw_dir(dataset_id) / f.name) for f in dataset.files]


def raw_checksums(*dataset_ids):
    """Each raw file of the datasets with the registry's sha256 (None where it has none): a clean rule checks the files
    against them before reading (ddn_pipeline.cleaning.raw_paths)."""
    return {
        str(raw_dir(d) / DATASETS[d].files_folder / f.name): f.sha256 for d in dataset_ids for f in DATASETS[d].files
    }


def raw_outputs(dataset_id):
    """The same as outputs of the retrieve rule (a folder of many files is a directory output)."""
    paths = raw_files(dataset_id)
    return [directory(p) for p in paths] if DATASETS[dataset_id].files_folder else paths


def clean_table(name):
    return f"results/clean/{name}.parquet"


def clean_dictionary(name):
    return f"results/clean/dictionary/{name}.csv"


def has_table(name):
    """Will this run build the clean table? Yes when its dataset is obtainable; a required one always (its absence is an error)."""
    dataset = DATASETS[name]
    return obtainable(dataset) or dataset.required


def default_tables():
    """Clean tables built by default: the ones the pipeline reads (registry by_default), when this run can have them."""
    return [name for name in TABLES if has_table(name) and DATASETS[name].meta["table"].get("by_default", True)]


def package_resource(name):
    """The registry fields a clean table's data package entry shows (not used_for, which no output shows)."""
    meta = DATASETS[name].meta
    return {
        **{key: meta[key] for key in ("title", "publisher", "landing_page", "licence")},
        "description": meta["table"]["description"],
        "key_columns": list(TABLES[name].key_columns),
    }


def available_clean_tables(names):
    return {name: clean_table(name) for name in names if has_table(name)}


def optional_clean_table(name):
    return clean_table(name) if has_table(name) else []


def available_population_tables():
    """Population tables by source: IoD2019 mid-2015 always (required), ONS mid-2019/2020 when obtainable."""
    return {source: clean_table(table) for source, table in POPULATION_SOURCES.items() if has_table(table)}


CENSUS_OA_TABLES = [name for name, table in TABLES.items() if table.reader == "census"]

BOUNDARY_TABLES = [name for name, table in TABLES.items() if table.reader == "sf_rda"]


def figure_outputs(stem, category, caption):
    """PNG (in the report, with its caption), SVG and caption file of one figure under results/figures/."""
    png = report(f"results/figures/{stem}.png", caption=f"../report/captions/{caption}", category=category)
    return [png, f"results/figures/{stem}.svg", f"results/figures/{stem}.caption.md"]


def indicator_charts():
    """{chart: [indicators]}: one chart per indicator, except panels (reference/indicators.yaml), one chart each."""
    charts = {}
    for indicator, definition in REFERENCE.indicators.items():
        charts.setdefault(definition.get("panel", indicator), []).append(indicator)
    return charts


def update_2025_obtainable():
    """Is the 2025 edition asked for, and can this run have its indices?"""
    return 2025 in config["editions"] and all(has_table(name) for name in ("imd2025_lsoa21", "cni2023_lsoa21"))


def ward23_obtainable():
    return update_2025_obtainable() and has_table("lookup_lsoa21_ward23")


def map_obtainable():
    return all(obtainable(DATASETS[name]) for name in BOUNDARY_TABLES)


def notebook_sources(name):
    """An audit notebook of the repository and its HTML template, by name and sha256 (a param, not a path: moving
    the repository or the work folder changes nothing; editing either re-runs the notebook)."""
    folder = Path(workflow.basedir) / "notebooks"
    return source_digests([folder / name, folder / "offline.html.j2"])


# The robustness sweep's variants (rules/sweep.smk).
SWEEP = config["sweep"]
SWEEP_INDICATORS = sweep_indicators(REFERENCE.indicators, REFERENCE.figures)


def sweep_editions():
    return [2019, 2025] if update_2025_obtainable() else [2019]


def sweep_variants(scope):
    """(edition, threshold, weighting, population) of every variant of a scope."""
    if scope == "full":
        return variants(sweep_editions(), SWEEP["thresholds"], SWEEP["weightings"], SWEEP["populations"])
    classification = config["classification"]
    return variants(
        sweep_editions(), SWEEP["thresholds"], [classification["ward_imd_weighting"]], [classification["population"]]
    )


def sweep_variant_files(scope, name):
    return [
        f"results/sweep/variants/{edition}/{population}/{weighting}/{threshold}pct/{name}"
        for edition, threshold, weighting, population in sweep_variants(scope)
    ]


def sweep_variant_inputs(wildcards):
    """The ward measures every variant re-pools, and what its edition classifies from."""
    if wildcards.edition == "2019":
        classification = {"lsoas": rules.aggregate_imd2019_ward17.output.lsoas, "cni": clean_table("cni2019_ward17")}
    else:
        classification = {
            "lsoas": rules.classify_ddn_2025.output.lsoas,
            "bridge": rules.build_lsoa21_ward17_bridge.output[0],
            "wards2019": rules.classify_ddn_ward17.output.groups,
        }
    return {**classification, "measures": rules.compute_indicators.output.measures}


def areas_built():
    """Are your own areas (config areas) profiled in this run?"""
    return bool(config["areas"])
