# One clean rule per registry dataset with a `table` block: raw files in, a checked tidy table (parquet;
# GeoParquet for boundaries) and its column dictionary out. The table block is a param, so editing one table's
# spec re-runs that table only; the dataset's descriptive fields are not, so editing them re-runs nothing.

for name in TABLES:
    if TABLES[name].reader == "sf_rda":
        continue

    rule:
        name:
            f"clean_{name}"
        input:
            files=raw_files(name),
            metadata=raw_files("census21_variables") if TABLES[name].reader == "census" else [],
        output:
            table=clean_table(name),
            dictionary=clean_dictionary(name),
        params:
            library=library_code("clean_table"),
            name=name,
            table=DATASETS[name].meta["table"],
        log:
            f"logs/clean/{name}.log",
        benchmark:
            f"benchmarks/clean/{name}.tsv"
        conda:
            "../envs/pipeline.yaml"
        script:
            "../scripts/clean_table.py"


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
        params:
            library=library_code("clean_boundaries"),
            name=name,
            table=DATASETS[name].meta["table"],
        log:
            f"logs/clean/{name}.log",
        benchmark:
            f"benchmarks/clean/{name}.tsv"
        conda:
            "../envs/pipeline.yaml"
        script:
            "../scripts/clean_boundaries.py"


rule collect_data_dictionary:
    input:
        [clean_dictionary(name) for name in default_tables()],
    output:
        dictionary="results/clean/data_dictionary.csv",
        package="results/clean/datapackage.json",
    params:
        library=library_code("collect_data_dictionary"),
        resources={name: package_resource(name) for name in default_tables()},
    log:
        "logs/collect_data_dictionary.log",
    benchmark:
        "benchmarks/collect_data_dictionary.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/collect_data_dictionary.py"
