# Benchmark: every published figure next to ours, with a verdict, and the sensitivity to ambiguous definitions.


rule benchmark_report_comparison:
    input:
        groups=rules.compute_indicators.output.groups,
        not_computed=rules.compute_indicators.output.not_computed,
    output:
        comparison=report(
            "results/benchmark/report_comparison.csv",
            caption="../report/captions/report_comparison.rst",
            category="tables",
        ),
        sensitivity=report(
            "results/benchmark/definition_sensitivity.csv",
            caption="../report/captions/definition_sensitivity.rst",
            category="tables",
        ),
        readable="results/benchmark/report_comparison_readable.csv",
        numbers="results/benchmark/published_numbers.csv",
        numbers_readable="results/benchmark/published_numbers_readable.csv",
        sensitivity_readable="results/benchmark/definition_sensitivity_readable.csv",
    log:
        "logs/benchmark/benchmark_report_comparison.log",
    benchmark:
        "benchmarks/benchmark/benchmark_report_comparison.tsv"
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("benchmark_report_comparison"),
        figures=REFERENCE.figures,
        sources=REFERENCE.sources,
        definitions=REFERENCE.indicators,
        not_computed=REFERENCE.not_computed,
        dataset_titles={d: DATASETS[d].title for entry in REFERENCE.not_computed.values() for d in entry["datasets"]},
    script:
        "../scripts/benchmark_report_comparison.py"
