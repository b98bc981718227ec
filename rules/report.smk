# The report: one self-contained HTML page that opens on the findings, and the audit trail behind its numbers.


rule trace_headline_numbers:
    input:
        dictionary=rules.collect_data_dictionary.output.dictionary,
    output:
        "results/provenance/headline_chain.csv",
    log:
        "logs/report/trace_headline_numbers.log",
    benchmark:
        "benchmarks/report/trace_headline_numbers.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("trace_headline_numbers"),
        figures=REFERENCE.figures,
        indicators=REFERENCE.indicators,
        raw_files={name: raw_files(name) for name in default_tables()},
        stage_files={
            "bridge": str(rules.build_lsoa21_ward17_bridge.output[0]),
            "weights": str(rules.build_lsoa11_ward17_weights.output[0]),
            "census_measures": str(rules.aggregate_census21_ward17.output.measures),
            "lsoa_measures": str(rules.aggregate_lsoa11_ward17.output.measures),
            "membership": str(rules.classify_ddn_ward17.output.groups),
            "ward_measures": str(rules.compute_indicators.output.measures),
            "group_indicators": str(rules.compute_indicators.output.groups),
            "comparison": str(rules.benchmark_report_comparison.output.comparison),
        },
    script:
        "../scripts/trace_headline_numbers.py"


rule collect_report_numbers:
    input:
        summary=rules.classify_ddn_ward17.output.summary,
        reproduction=rules.classify_ddn_ward17.output.reproduction,
        numbers=rules.benchmark_report_comparison.output.numbers,
        sweep=expand(rules.collect_sweep.output.conclusions, scope=SWEEP["scope"])[0],
        update_2025=rules.classify_ddn_2025.output.wards if update_2025_obtainable() else [],
        lsoas_2025=rules.classify_ddn_2025.output.lsoas if update_2025_obtainable() else [],
        ward23=rules.classify_ddn_2025_ward23.output[0] if ward23_obtainable() else [],
    output:
        "results/report_numbers.csv",
    log:
        "logs/report/collect_report_numbers.log",
    benchmark:
        "benchmarks/report/collect_report_numbers.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("collect_report_numbers"),
    script:
        "../scripts/collect_report_numbers.py"


rule build_report:
    input:
        report_numbers=rules.collect_report_numbers.output[0],
        published_numbers=rules.benchmark_report_comparison.output.numbers_readable,
        readable=rules.benchmark_report_comparison.output.readable,
        comparison=rules.benchmark_report_comparison.output.comparison,
        sensitivity_readable=rules.benchmark_report_comparison.output.sensitivity_readable,
        summary=rules.classify_ddn_ward17.output.summary,
        reproduction=rules.classify_ddn_ward17.output.reproduction,
        groups=rules.compute_indicators.output.groups,
        dictionary=rules.compute_indicators.output.dictionary,
        not_computed=rules.compute_indicators.output.not_computed,
        sources=rules.collect_sources.output[0],
        chain=rules.trace_headline_numbers.output[0],
        published_vs_reproduced=rules.plot_published_vs_reproduced.output[0],
        ranks=rules.plot_classification_ranks.output[0],
        counts=rules.plot_ddn_counts.output[0],
        map=rules.plot_ddn_map.output[0] if map_obtainable() else [],
        indicator_charts=rules.plot_indicators.output[0],
        update_2025=rules.classify_ddn_2025.output.wards if update_2025_obtainable() else [],
        ward23=rules.classify_ddn_2025_ward23.output[0] if ward23_obtainable() else [],
        figures_2025=(
            [p for p in rules.plot_edition_2025.output if p.endswith(".png")] if update_2025_obtainable() else []
        ),
        sweep_claims=expand(rules.collect_sweep.output.claim_summary_readable, scope=SWEEP["scope"]),
        sweep_conclusions=expand(rules.collect_sweep.output.conclusions_readable, scope=SWEEP["scope"]),
        sweep_signs=expand(rules.collect_sweep.output.conclusions, scope=SWEEP["scope"]),
        sweep_figures=[p for p in expand(rules.plot_sweep.output, scope=SWEEP["scope"]) if p.endswith(".png")],
        industry_mix=(
            rules.describe_industry_mix.output.readable if has_table("census11_workplace_industry_msoa11") else []
        ),
        areas_readable=rules.profile_areas.output.readable if areas_built() else [],
        areas_summary=rules.profile_areas.output.areas if areas_built() else [],
        areas_figure=rules.plot_areas.output[0] if areas_built() else [],
        industry_mix_figure=(
            rules.describe_industry_mix.output.figure[0] if has_table("census11_workplace_industry_msoa11") else []
        ),
    output:
        "results/report.html",
    log:
        "logs/report/build_report.log",
    benchmark:
        "benchmarks/report/build_report.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("build_report"),
        charts=list(indicator_charts()),
        indicators=REFERENCE.indicators,
        datasets={
            d.id: {k: str(d.meta.get(k, "")) for k in ("title", "publisher", "landing_page", "licence")}
            for d in DATASETS.values()
        },
        report_url=REFERENCE.sources["cpp"],
        version=PROJECT_VERSION,
    script:
        "../scripts/build_report.py"


# The ward explorer: an offline page to find a ward, see its groups on each list and its profile.
rule build_explorer:
    input:
        groups=rules.classify_ddn_ward17.output.groups,
        indicators=rules.compute_indicators.output.wards,
        group_indicators=rules.compute_indicators.output.groups,
        area_indicators=rules.pool_councils_and_regions.output[0],
        your_areas=rules.profile_areas.output.members if areas_built() else [],
        your_area_values=rules.profile_areas.output.indicators if areas_built() else [],
        your_area_list=rules.profile_areas.output.areas if areas_built() else [],
        shapes=rules.build_ward17_boundaries.output[0],
        authorities=clean_table("boundaries_lad19"),
        update_2025=rules.classify_ddn_2025.output.wards if update_2025_obtainable() else [],
    output:
        "results/explorer/index.html",
    log:
        "logs/report/build_explorer.log",
    benchmark:
        "benchmarks/report/build_explorer.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("build_explorer"),
        indicators=REFERENCE.indicators,
    script:
        "../scripts/build_explorer.py"
