# One clean rule per registry dataset with a `table` block: raw files in, a checked tidy table (parquet;
# GeoParquet for boundaries) and its column dictionary out. The table block is a param, so editing one table's
# spec re-runs that table only; the dataset's descriptive fields are not, so editing them re-runs nothing.

for name in TABLES:
    if TABLES[name].reader in ("sf_rda", "census"):
        continue

    rule:
        name:
            f"clean_{name}"
        input:
            files=raw_files(name),
        output:
            table=clean_table(name),
            dictionary=clean_dictionary(name),
        log:
            f"logs/clean/{name}.log",
        benchmark:
            f"benchmarks/clean/{name}.tsv"
        conda:
            "../envs/pipeline.yaml"
        params:
            library=library_code("clean_table"),
            name=name,
            table=DATASETS[name].meta["table"],
            checksums=raw_checksums(name),
        script:
            "../scripts/clean_table.py"


# The Census 2021 Output Area tables, in one job: each is small, so a job of its own would be mostly start-up, and
# they all feed the same aggregation. Every table keeps its own spec as a param, output and dictionary.
CENSUS_TABLES_BUILT = [name for name in CENSUS_OA_TABLES if has_table(name)]


rule clean_census21_oa_tables:
    input:
        files=[raw_files(name) for name in CENSUS_TABLES_BUILT],
        metadata=raw_files("census21_variables"),
    output:
        tables=[clean_table(name) for name in CENSUS_TABLES_BUILT],
        dictionaries=[clean_dictionary(name) for name in CENSUS_TABLES_BUILT],
    log:
        "logs/clean/census21_oa_tables.log",
    benchmark:
        "benchmarks/clean/census21_oa_tables.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("clean_census_tables"),
        tables={name: DATASETS[name].meta["table"] for name in CENSUS_TABLES_BUILT},
        files={name: raw_files(name) for name in CENSUS_TABLES_BUILT},
        checksums=raw_checksums(*CENSUS_TABLES_BUILT, "census21_variables"),
    script:
        "../scripts/clean_census_tables.py"


# Boundaries: R sf objects to GeoParquet (a script of their own: the script directive is read when a job runs,
# so it cannot vary inside one loop).
for name in BOUNDARY_TABLES:

    rule:
        name:
            f"clean_{name}"
        input:
            files=raw_files(name),
        output:
            table=clean_table(name),
            dictionary=clean_dictionary(name),
        log:
            f"logs/clean/{name}.log",
        benchmark:
            f"benchmarks/clean/{name}.tsv"
        conda:
            "../envs/pipeline.yaml"
        params:
            library=library_code("clean_boundaries"),
            name=name,
            table=DATASETS[name].meta["table"],
            checksums=raw_checksums(name),
        script:
            "../scripts/clean_boundaries.py"


rule collect_data_dictionary:
    input:
        [clean_dictionary(name) for name in default_tables()],
    output:
        dictionary="results/clean/data_dictionary.csv",
        package="results/clean/datapackage.json",
    log:
        "logs/collect_data_dictionary.log",
    benchmark:
        "benchmarks/collect_data_dictionary.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("collect_data_dictionary"),
        resources={name: package_resource(name) for name in default_tables()},
    script:
        "../scripts/collect_data_dictionary.py"
