# Indicators: sources bridged to ward 2017, base measures summed per ward, ratios pooled per group.


rule aggregate_census21_ward17:
    input:
        **available_clean_tables([*CENSUS_OA_TABLES, "census21_economic_activity_pct_oa21"]),
        oa_lsoa21=clean_table("lookup_oa21_lsoa21"),
        bridge=rules.build_lsoa21_ward17_bridge.output[0],
    output:
        measures="results/indicators/census21_measures_ward17.parquet",
        lsoa21="results/indicators/census21_measures_lsoa21.parquet",
        coverage="results/indicators/coverage_census21.csv",
    log:
        "logs/indicators/aggregate_census21_ward17.log",
    benchmark:
        "benchmarks/indicators/aggregate_census21_ward17.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("aggregate_census21_ward17"),
        coverage_floor=config["indicators"]["coverage_floor"],
        census_tables=CENSUS_OA_TABLES,
    script:
        "../scripts/aggregate_census21_ward17.py"


rule aggregate_lsoa11_ward17:
    input:
        **available_clean_tables(
            [
                "iuc2018_lsoa11",
                "iod2019_scores_composite_lsoa11",
                "life_expectancy_2009_13_msoa11",
                "life_expectancy_2016_20_msoa11",
                "lookup_oa11_lsoa11_msoa11",
                "census21_workplace_population_msoa21",
                "lookup_msoa11_msoa21",
                "population_mid2020_lsoa11",
            ]
        ),
        membership=rules.classify_ddn_ward17.output.membership,
        iod_population=clean_table("iod2019_population_mid2015_lsoa11"),
    output:
        measures="results/indicators/lsoa11_measures_ward17.parquet",
        lsoas="results/indicators/lsoa11_measures.parquet",
        coverage="results/indicators/coverage_lsoa11.csv",
    log:
        "logs/indicators/aggregate_lsoa11_ward17.log",
    benchmark:
        "benchmarks/indicators/aggregate_lsoa11_ward17.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("aggregate_lsoa11_ward17"),
        population=config["classification"]["population"],
        coverage_floor=config["indicators"]["coverage_floor"],
    script:
        "../scripts/aggregate_lsoa11_ward17.py"


rule compute_indicators:
    input:
        census=rules.aggregate_census21_ward17.output.measures,
        lsoa=rules.aggregate_lsoa11_ward17.output.measures,
        coverage=[rules.aggregate_census21_ward17.output.coverage, rules.aggregate_lsoa11_ward17.output.coverage],
        groups=rules.classify_ddn_ward17.output.groups,
        groups_2025=rules.classify_ddn_2025.output.wards if update_2025_obtainable() else [],
        records=[retrieval_record(d) for entry in REFERENCE.not_computed.values() for d in entry["datasets"]],
    output:
        measures="results/indicators/ward17_measures.parquet",
        wards="results/indicators/ward17_indicators.csv",
        groups="results/indicators/group_indicators.csv",
        dictionary="results/indicators/indicator_dictionary.csv",
        not_computed="results/indicators/not_computed.csv",
        coverage="results/indicators/bridge_coverage.csv",
    log:
        "logs/indicators/compute_indicators.log",
    benchmark:
        "benchmarks/indicators/compute_indicators.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("compute_indicators"),
        definitions=REFERENCE.indicators,
        not_computed=REFERENCE.not_computed,
    script:
        "../scripts/compute_indicators.py"


rule pool_councils_and_regions:
    input:
        measures=rules.compute_indicators.output.measures,
    output:
        "results/indicators/council_region_indicators.csv",
    log:
        "logs/indicators/pool_councils_and_regions.log",
    benchmark:
        "benchmarks/indicators/pool_councils_and_regions.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("pool_councils_and_regions"),
        definitions=REFERENCE.indicators,
    script:
        "../scripts/pool_councils_and_regions.py"


rule describe_industry_mix:
    input:
        workplace=clean_table("census11_workplace_industry_msoa11"),
        dictionary=clean_dictionary("census11_workplace_industry_msoa11"),
        lookup=clean_table("lookup_oa11_lsoa11_msoa11"),
        membership=rules.classify_ddn_ward17.output.membership,
    output:
        mix="results/indicators/industry_mix_jobs.csv",
        readable="results/indicators/industry_mix_jobs_readable.csv",
        figure=figure_outputs("industry_mix_jobs", "indicators", "industry_mix.rst"),
    log:
        "logs/indicators/describe_industry_mix.log",
    benchmark:
        "benchmarks/indicators/describe_industry_mix.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("describe_industry_mix"),
        population=config["classification"]["population"],
    script:
        "../scripts/describe_industry_mix.py"
