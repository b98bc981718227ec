# One retrieve rule per registry dataset: copy from the mirror or download, verify sha256, write atomically.
# A dataset this run cannot obtain (offline, not mirrored) gets only its retrieval record, marked unavailable.

for dataset in DATASETS.values():

    rule:
        name:
            f"retrieve_{dataset.id}"
        output:
            files=raw_files(dataset.id),
            record=retrieval_record(dataset.id),
        params:
            dataset=dataset.id,
            registry_entry=dataset.meta,
            mirror=str(MIRROR) if MIRROR else None,
            offline=OFFLINE,
            download=config["download"],
        log:
            f"logs/retrieve/{dataset.id}.log",
        benchmark:
            f"benchmarks/retrieve/{dataset.id}.tsv"
        localrule: True
        conda:
            "../envs/pipeline.yaml"
        script:
            "../scripts/retrieve_dataset.py"


rule collect_sources:
    input:
        [retrieval_record(dataset_id) for dataset_id in DATASETS],
    output:
        "results/provenance/sources.csv",
    log:
        "logs/collect_sources.log",
    benchmark:
        "benchmarks/collect_sources.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/collect_sources.py"
