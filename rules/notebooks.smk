# Audit notebooks: executed with papermill (parameters injected here), saved as .ipynb and HTML.


rule execute_notebook_classification:
    input:
        rank_check=rules.score_imd2019_lsoa11.output.rank_check,
        groups=rules.classify_ddn_ward17.output.groups_csv,
        reproduction=rules.classify_ddn_ward17.output.reproduction,
        sensitivity=rules.classify_ddn_ward17.output.sensitivity,
        summary=rules.classify_ddn_ward17.output.summary,
        figure=rules.plot_classification_ranks.output[0],
        update_2025=rules.classify_ddn_2025.output.wards if update_2025_obtainable() else [],
        ward23=rules.classify_ddn_2025_ward23.output[0] if ward23_obtainable() else [],
    output:
        notebook="results/notebooks/classification.ipynb",
        html=report(
            "results/notebooks/classification.html",
            caption="../report/captions/notebook.rst",
            category="audit notebooks",
        ),
    log:
        "logs/notebooks/classification.log",
    benchmark:
        "benchmarks/notebooks/classification.tsv"
    priority: EARLY
    conda:
        "../envs/pipeline.yaml"
    params:
        notebook="classification.ipynb",
        sources=notebook_sources("classification.ipynb"),
        library=library_code("execute_notebook"),
        parameters=["rank_check", "groups", "reproduction", "sensitivity", "summary", "figure"]
        + (["update_2025"] if update_2025_obtainable() else [])
        + (["ward23"] if ward23_obtainable() else []),
    script:
        "../scripts/execute_notebook.py"


rule execute_notebook_benchmark:
    input:
        comparison=rules.benchmark_report_comparison.output.comparison,
        readable=rules.benchmark_report_comparison.output.readable,
        sensitivity=rules.benchmark_report_comparison.output.sensitivity,
        dictionary=rules.compute_indicators.output.dictionary,
        not_computed=rules.compute_indicators.output.not_computed,
        coverage=rules.compute_indicators.output.coverage,
        figure=rules.plot_published_vs_reproduced.output[0],
    output:
        notebook="results/notebooks/benchmark.ipynb",
        html=report(
            "results/notebooks/benchmark.html", caption="../report/captions/notebook.rst", category="audit notebooks"
        ),
    log:
        "logs/notebooks/benchmark.log",
    benchmark:
        "benchmarks/notebooks/benchmark.tsv"
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        notebook="benchmark.ipynb",
        sources=notebook_sources("benchmark.ipynb"),
        library=library_code("execute_notebook"),
        parameters=["comparison", "readable", "sensitivity", "dictionary", "not_computed", "coverage", "figure"],
    script:
        "../scripts/execute_notebook.py"
