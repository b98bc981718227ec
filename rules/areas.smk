# Your own areas (config areas): each area of the file profiled like the DDNs, at its own geography.
# The file's form is checked as the workflow is read, before any job; its codes against the lookups by check_areas,
# which needs only four small lookups and runs first among the ready jobs.

if config["areas"]:
    try:
        read_areas(config["areas"])
    except PipelineError as error:
        sys.exit(f"ERROR: {error}")


rule check_areas:
    input:
        areas=config["areas"] or [],
        lookup=clean_table("lookup_lsoa11_lsoa21"),
        ward17=clean_table("lookup_ward17_lad17_region"),
        ward23=clean_table("lookup_lsoa21_ward23"),
    output:
        "results/areas/area_codes.csv",
    log:
        "logs/areas/check_areas.log",
    benchmark:
        "benchmarks/areas/check_areas.tsv"
    priority: FIRST
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("check_areas"),
    script:
        "../scripts/check_areas.py"


rule profile_areas:
    input:
        codes=rules.check_areas.output[0],
        ward_measures=rules.compute_indicators.output.measures,
        lsoa11=rules.aggregate_lsoa11_ward17.output.lsoas,
        lsoa21=rules.aggregate_census21_ward17.output.lsoa21,
        lookup=clean_table("lookup_lsoa11_lsoa21"),
        lsoa11_ward17=clean_table("lookup_lsoa11_ward17"),
        lsoa21_names=clean_table("cni2023_lsoa21"),
        bridge=rules.build_lsoa21_ward17_bridge.output[0],
        wards=rules.classify_ddn_ward17.output.groups,
        groups=rules.compute_indicators.output.groups,
        lsoas_2025=rules.classify_ddn_2025.output.lsoas if update_2025_obtainable() else [],
    output:
        indicators="results/areas/area_indicators.csv",
        readable="results/areas/area_indicators_readable.csv",
        members="results/areas/area_members.csv",
        areas="results/areas/areas.csv",
    log:
        "logs/areas/profile_areas.log",
    benchmark:
        "benchmarks/areas/profile_areas.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("profile_areas"),
        definitions=REFERENCE.indicators,
    script:
        "../scripts/profile_areas.py"


rule plot_areas:
    input:
        indicators=rules.profile_areas.output.indicators,
        dictionary=rules.compute_indicators.output.dictionary,
    output:
        figure_outputs("areas/key_indicators", "areas", "areas.rst"),
    log:
        "logs/areas/plot_areas.log",
    benchmark:
        "benchmarks/areas/plot_areas.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("plot_areas"),
        indicators=REFERENCE.indicators,
    script:
        "../scripts/plot_areas.py"
