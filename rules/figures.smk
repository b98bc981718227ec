# Figures: indicator bars, published against reproduced, the classification chart, DDN counts and the map.


rule plot_ddn_map:
    input:
        wards=rules.build_ward17_boundaries.output[0],
        authorities=clean_table("boundaries_lad19"),
        groups=rules.classify_ddn_ward17.output.groups,
    output:
        figure_outputs("ddn_map", "map", "ddn_map.rst"),
    log:
        "logs/figures/plot_ddn_map.log",
    benchmark:
        "benchmarks/figures/plot_ddn_map.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_ddn_map"),
        insets=config["figures"]["map_insets"],
    script:
        "../scripts/plot_ddn_map.py"


rule plot_classification_ranks:
    input:
        groups=rules.classify_ddn_ward17.output.groups,
    output:
        figure_outputs("classification_ranks", "classification", "classification_ranks.rst"),
    log:
        "logs/figures/plot_classification_ranks.log",
    benchmark:
        "benchmarks/figures/plot_classification_ranks.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_classification_ranks"),
        share=config["classification"]["most_deprived_share"],
        zoom=config["figures"]["rank_zoom"],
    script:
        "../scripts/plot_classification_ranks.py"


rule plot_ddn_counts:
    input:
        summary=rules.classify_ddn_ward17.output.summary,
    output:
        figure_outputs("ddn_by_region_and_authority", "classification", "ddn_counts.rst"),
    log:
        "logs/figures/plot_ddn_counts.log",
    benchmark:
        "benchmarks/figures/plot_ddn_counts.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_ddn_counts"),
        top=config["figures"]["top_local_authorities"],
    script:
        "../scripts/plot_ddn_counts.py"


rule plot_published_vs_reproduced:
    input:
        comparison=rules.benchmark_report_comparison.output.comparison,
    output:
        figure_outputs("published_vs_reproduced", "benchmark", "published_vs_reproduced.rst"),
    log:
        "logs/figures/plot_published_vs_reproduced.log",
    benchmark:
        "benchmarks/figures/plot_published_vs_reproduced.tsv"
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_published_vs_reproduced"),
        figures=REFERENCE.figures,
        indicators=REFERENCE.indicators,
        close_within=config["figures"]["close_within"],
    script:
        "../scripts/plot_published_vs_reproduced.py"


rule plot_indicators:
    input:
        groups=rules.compute_indicators.output.groups,
        dictionary=rules.compute_indicators.output.dictionary,
        not_computed=rules.compute_indicators.output.not_computed,
        coverage=rules.compute_indicators.output.coverage,
    output:
        # one folder (a PNG, an SVG and a caption per chart), so that no job or log line lists a hundred files
        report(
            directory("results/figures/indicators"),
            patterns=["{chart}.png"],
            caption="../report/captions/indicator.rst",
            category="indicators",
        ),
    log:
        "logs/figures/plot_indicators.log",
    benchmark:
        "benchmarks/figures/plot_indicators.tsv"
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_indicators"),
        charts=indicator_charts(),
        indicators=REFERENCE.indicators,
        figures=REFERENCE.figures,
    script:
        "../scripts/plot_indicators.py"


rule plot_edition_2025:
    input:
        wards=rules.classify_ddn_2025.output.wards,
        groups=rules.compute_indicators.output.groups,
        shapes=rules.build_ward17_boundaries.output[0] if map_obtainable() else [],
        authorities=clean_table("boundaries_lad19") if map_obtainable() else [],
    output:
        figure_outputs("edition_2025/transitions_map", "2025 edition", "edition_2025.rst") if map_obtainable() else [],
        figure_outputs("edition_2025/ddn_counts", "2025 edition", "edition_2025.rst"),
        figure_outputs("edition_2025/ranks", "2025 edition", "edition_2025.rst"),
        figure_outputs("edition_2025/key_indicators", "2025 edition", "edition_2025.rst"),
    log:
        "logs/figures/plot_edition_2025.log",
    benchmark:
        "benchmarks/figures/plot_edition_2025.tsv"
    priority: EARLY
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_edition_2025"),
        insets=config["figures"]["map_insets"],
        top=config["figures"]["top_local_authorities"],
        zoom=config["figures"]["rank_zoom"],
        share=config["update2025"]["most_deprived_share"],
        indicators=REFERENCE.indicators,
    script:
        "../scripts/plot_edition_2025.py"
