# Classification: LSOA IMD 2019 scores -> ward 2017 IMD -> the DDN list and the comparison groups.


rule score_imd2019_lsoa11:
    input:
        transformed=clean_table("iod2019_transformed_scores_lsoa11"),
        official_ranks=clean_table("imd2019_ranks_lsoa11"),
        file5_scores=optional_clean_table("iod2019_scores_composite_lsoa11"),
    output:
        scores="results/classification/imd2019_scores_lsoa11.parquet",
        rank_check="results/classification/imd2019_rank_check.csv",
    log:
        "logs/classification/score_imd2019_lsoa11.log",
    benchmark:
        "benchmarks/classification/score_imd2019_lsoa11.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("score_imd2019_lsoa11"),
        weights=config["imd2019"]["domain_weights"],
        max_rank_difference=config["imd2019"]["max_rank_difference"],
        score_source=config["classification"]["lsoa_score_source"],
    script:
        "../scripts/score_imd2019_lsoa11.py"


rule aggregate_imd2019_ward17:
    input:
        scores=rules.score_imd2019_lsoa11.output.scores,
        weights=rules.build_lsoa11_ward17_weights.output[0],
        cni=clean_table("cni2019_ward17"),
    output:
        wards="results/classification/imd2019_ward17.parquet",
        lsoas="results/classification/lsoa11_ward17_population.parquet",
    log:
        "logs/classification/aggregate_imd2019_ward17.log",
    benchmark:
        "benchmarks/classification/aggregate_imd2019_ward17.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("aggregate_imd2019_ward17"),
        population=config["classification"]["population"],
        universe=config["classification"]["imd_rank_universe"],
        weighting=config["classification"]["ward_imd_weighting"],
    script:
        "../scripts/aggregate_imd2019_ward17.py"


rule classify_ddn_ward17:
    input:
        wards=rules.aggregate_imd2019_ward17.output.wards,
        lsoas=rules.aggregate_imd2019_ward17.output.lsoas,
        cni=clean_table("cni2019_ward17"),
        regions=clean_table("lookup_ward17_lad17_region"),
    output:
        groups_csv=report(
            "results/classification/ward17_groups.csv",
            caption="../report/captions/ward17_groups.rst",
            category="tables",
        ),
        groups="results/classification/ward17_groups.parquet",
        reproduction=report(
            "results/classification/ddn_reproduction.csv",
            caption="../report/captions/ddn_reproduction.rst",
            category="tables",
        ),
        summary=report(
            "results/classification/group_summary.csv",
            caption="../report/captions/group_summary.rst",
            category="tables",
        ),
        membership="results/classification/lsoa11_ward17_groups.parquet",
        sensitivity="results/classification/ddn_reproduction_sensitivity.csv",
    log:
        "logs/classification/classify_ddn_ward17.log",
    benchmark:
        "benchmarks/classification/classify_ddn_ward17.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("classify_ddn_ward17"),
        population=config["classification"]["population"],
        share=config["classification"]["most_deprived_share"],
        ddn_list=config["classification"]["ddn_list"],
        other_deprived_share=config["classification"]["other_deprived_share"],
    script:
        "../scripts/classify_ddn_ward17.py"


rule classify_ddn_2025:
    input:
        imd2025=clean_table("imd2025_lsoa21"),
        cni2023=clean_table("cni2023_lsoa21"),
        ts001=clean_table("census21_ts001_usual_residents_oa21"),
        oa_lsoa21=clean_table("lookup_oa21_lsoa21"),
        bridge=rules.build_lsoa21_ward17_bridge.output[0],
        groups=rules.classify_ddn_ward17.output.groups,
    output:
        lsoas="results/classification/lsoa21_doubly_disadvantaged_2025.csv",
        wards=report(
            "results/classification/ward17_ddn_2019_vs_2025.csv",
            caption="../report/captions/ddn_2025.rst",
            category="tables",
        ),
    log:
        "logs/classification/classify_ddn_2025.log",
    benchmark:
        "benchmarks/classification/classify_ddn_2025.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("classify_ddn_2025"),
        share=config["update2025"]["most_deprived_share"],
        other_deprived_share=config["update2025"]["other_deprived_share"],
    script:
        "../scripts/classify_ddn_2025.py"


rule classify_ddn_2025_ward23:
    input:
        lsoas=rules.classify_ddn_2025.output.lsoas,
        lookup=clean_table("lookup_lsoa21_ward23"),
    output:
        "results/classification/ward23_ddn_2025.csv",
    log:
        "logs/classification/classify_ddn_2025_ward23.log",
    benchmark:
        "benchmarks/classification/classify_ddn_2025_ward23.tsv"
    priority: EARLY
    conda:
        "../envs/pipeline.yaml"
    params:
        library=library_code("classify_ddn_2025_ward23"),
        share=config["update2025"]["most_deprived_share"],
        other_deprived_share=config["update2025"]["other_deprived_share"],
    script:
        "../scripts/classify_ddn_2025_ward23.py"
