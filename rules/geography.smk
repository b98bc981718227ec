# Geography: how LSOAs 2011 and 2021 reach wards 2017, with their weights, and the ward 2017 shapes. Everything
# later (classification, indicators, the 2025 update, maps) meets wards through these tables.


rule build_lsoa11_ward17_weights:
    input:
        **available_population_tables(),
        lookup=clean_table("lookup_lsoa11_ward17"),
    output:
        "results/geography/lsoa11_ward17_weights.parquet",
    log:
        "logs/geography/build_lsoa11_ward17_weights.log",
    benchmark:
        "benchmarks/geography/build_lsoa11_ward17_weights.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("build_lsoa11_ward17_weights"),
        population_sources=list(available_population_tables()),
    script:
        "../scripts/build_lsoa11_ward17_weights.py"


rule build_lsoa21_ward17_bridge:
    input:
        lsoa11_lsoa21=clean_table("lookup_lsoa11_lsoa21"),
        lsoa11_ward17=clean_table("lookup_lsoa11_ward17"),
        apportion_population=clean_table(POPULATION_SOURCES[config["indicators"]["apportion_population"]]),
    output:
        "results/geography/lsoa21_ward17_bridge.parquet",
    log:
        "logs/geography/build_lsoa21_ward17_bridge.log",
    benchmark:
        "benchmarks/geography/build_lsoa21_ward17_bridge.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("build_lsoa21_ward17_bridge"),
    script:
        "../scripts/build_lsoa21_ward17_bridge.py"


rule build_ward17_boundaries:
    input:
        lsoas=clean_table("boundaries_lsoa11"),
        lookup=clean_table("lookup_lsoa11_ward17"),
    output:
        "results/geography/ward17_boundaries.parquet",
    log:
        "logs/geography/build_ward17_boundaries.log",
    benchmark:
        "benchmarks/geography/build_ward17_boundaries.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("build_ward17_boundaries"),
    script:
        "../scripts/build_ward17_boundaries.py"
