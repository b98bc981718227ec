# One retrieve rule per registry dataset: copy from the mirror or download, verify sha256, write atomically.
# A dataset this run cannot obtain (offline, not mirrored) gets only its retrieval record, marked unavailable.
# Params are the file names and checksums only: the bytes a retrieval must produce. The mirror, URLs, download
# settings and the retrieval code only say how to get them (a thin script whose text is stable; settings reach it
# through the environment, see ddn_pipeline.retrieve), so changing them re-runs nothing, and files an earlier run
# verified count as obtained (common.smk: obtainable).

for dataset in DATASETS.values():

    rule:
        name:
            f"retrieve_{dataset.id}"
        output:
            files=raw_outputs(dataset.id),
            record=retrieval_record(dataset.id),
        log:
            f"logs/retrieve/{dataset.id}.log",
        benchmark:
            f"benchmarks/retrieve/{dataset.id}.tsv"
        localrule: True
        conda:
            "../envs/pipeline.yaml"
        params:
            dataset=dataset.id,
            files={f.name: f.sha256 for f in dataset.files},
        script:
            "../scripts/retrieve.py"


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
    params:
        library=library_code("collect_sources"),
    script:
        "../scripts/collect_sources.py"
