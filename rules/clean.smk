# One clean rule per table (src/ddn_pipeline/tables.py): raw files in, a checked tidy parquet and its
# column dictionary out.

for table in TABLES:

    rule:
        name:
            f"clean_{table.name}"
        input:
            files=raw_files(table.dataset),
            metadata=raw_files("census21_table_metadata") if table.reader == "census" else [],
        output:
            table=f"results/clean/{table.name}.parquet",
            dictionary=f"results/clean/dictionary/{table.name}.csv",
        params:
            library=library_code("clean_table"),
            table=table.name,
        log:
            f"logs/clean/{table.name}.log",
        benchmark:
            f"benchmarks/clean/{table.name}.tsv"
        conda:
            "../envs/pipeline.yaml"
        script:
            "../scripts/clean_table.py"


# Boundaries (sf objects in R data files): England's shapes with checked codes and counts, as GeoParquet.
for geography, dataset_id in BOUNDARY_DATASETS.items():

    rule:
        name:
            f"clean_boundaries_{geography}"
        input:
            raw_files(dataset_id),
        output:
            f"results/clean/boundaries_{geography}.parquet",
        params:
            library=library_code("clean_boundaries"),
            code_column=BOUNDARY_CODE_COLUMNS[geography],
            geography=geography,
            expected=BOUNDARY_ENGLAND_COUNTS[geography],
        log:
            f"logs/clean/boundaries_{geography}.log",
        benchmark:
            f"benchmarks/clean/boundaries_{geography}.tsv"
        conda:
            "../envs/pipeline.yaml"
        script:
            "../scripts/clean_boundaries.py"


rule collect_data_dictionary:
    input:
        [f"results/clean/dictionary/{Path(path).stem}.csv" for path in clean_outputs()],
    output:
        "results/clean/data_dictionary.csv",
    params:
        library=library_code("collect_data_dictionary"),
    log:
        "logs/collect_data_dictionary.log",
    benchmark:
        "benchmarks/collect_data_dictionary.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/collect_data_dictionary.py"
