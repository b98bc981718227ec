# The robustness sweep: every variant (edition, threshold, ward IMD weighting, population source) is one job that
# re-classifies the wards and re-pools the ward measures; a collect job gathers them per scope. Scopes: threshold
# (every threshold at the classification's weighting and population source, built by default) and full (every
# combination: snakemake --cores 4 sweep_full, or --config sweep='{scope: full}' for the default target).
# The sweep's chain (variants, collect, its figure) goes first among the jobs ready to run: it ends with a long
# figure job that the report waits for, which would otherwise start last and run alone on one core.


rule sweep_variant:
    input:
        unpack(sweep_variant_inputs),
    output:
        gaps="results/sweep/variants/{edition}/{population}/{weighting}/{threshold}pct/gaps.csv",
        claims="results/sweep/variants/{edition}/{population}/{weighting}/{threshold}pct/claims.csv",
        wards="results/sweep/variants/{edition}/{population}/{weighting}/{threshold}pct/wards.parquet",
    log:
        "logs/sweep/variants/{edition}/{population}/{weighting}/{threshold}pct.log",
    benchmark:
        "benchmarks/sweep/variants/{edition}/{population}/{weighting}/{threshold}pct.tsv"
    wildcard_constraints:
        edition="2019|2025",
        population="[a-z0-9_]+",
        weighting="population|none",
        threshold="[0-9]+(\\.[0-9]+)?",
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("sweep_variant"),
        universe=config["classification"]["imd_rank_universe"],
        definitions={name: REFERENCE.indicators[name] for name in SWEEP_INDICATORS},
        figures={k: f for k, f in REFERENCE.figures.items() if f["indicator"] in SWEEP_INDICATORS},
    script:
        "../scripts/sweep_variant.py"


rule collect_sweep:
    input:
        gaps=lambda wildcards: sweep_variant_files(wildcards.scope, "gaps.csv"),
        claims=lambda wildcards: sweep_variant_files(wildcards.scope, "claims.csv"),
        wards=lambda wildcards: sweep_variant_files(wildcards.scope, "wards.parquet"),
        names=rules.classify_ddn_ward17.output.groups,
    output:
        gaps="results/sweep/{scope}/gaps.csv",
        readable="results/sweep/{scope}/gaps_readable.csv",
        conclusions="results/sweep/{scope}/conclusions.csv",
        conclusions_readable="results/sweep/{scope}/conclusions_readable.csv",
        claims="results/sweep/{scope}/claims.csv",
        claim_summary="results/sweep/{scope}/claims_summary.csv",
        claim_summary_readable="results/sweep/{scope}/claims_summary_readable.csv",
        stability="results/sweep/{scope}/ward_stability.csv",
    log:
        "logs/sweep/collect_sweep_{scope}.log",
    benchmark:
        "benchmarks/sweep/collect_sweep_{scope}.tsv"
    wildcard_constraints:
        scope="threshold|full",
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("collect_sweep"),
        default={
            "threshold": config["classification"]["most_deprived_share"],
            "weighting": config["classification"]["ward_imd_weighting"],
            "population_source": config["classification"]["population"],
        },
        indicators={name: REFERENCE.indicators[name] for name in SWEEP_INDICATORS},
    script:
        "../scripts/collect_sweep.py"


rule plot_sweep:
    input:
        gaps=rules.collect_sweep.output.gaps,
        stability=rules.collect_sweep.output.stability,
    output:
        figure_outputs("sweep/{scope}/gaps_by_threshold", "robustness sweep", "sweep.rst"),
        figure_outputs("sweep/{scope}/ward_stability", "robustness sweep", "sweep.rst"),
    log:
        "logs/sweep/plot_sweep_{scope}.log",
    benchmark:
        "benchmarks/sweep/plot_sweep_{scope}.tsv"
    wildcard_constraints:
        scope="threshold|full",
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_sweep"),
        default_threshold=config["classification"]["most_deprived_share"],
        indicators={name: REFERENCE.indicators[name] for name in SWEEP_INDICATORS},
    script:
        "../scripts/plot_sweep.py"


rule sweep_full:
    """The full robustness sweep: every threshold, weighting and population source: snakemake --cores 4 sweep_full."""
    input:
        expand(rules.collect_sweep.output, scope="full"),
        expand(rules.plot_sweep.output, scope="full"),
