"""The DDN list reproduced and audited against the published one, and the comparison groups (rule classify_ddn_ward17)."""

import logging

import pandas as pd

from ddn_pipeline.classify import (
    ClassificationError,
    assign_groups,
    decile_from_rank,
    doubly_disadvantaged,
    group_summary,
    reproduction_audit,
    reproduction_sensitivity,
    ward_table,
)
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("classify_ddn_ward17")

COLUMNS = [
    "ward17_code",
    "ward17_name",
    "lad_code",
    "lad_name",
    "region_name",
    "cni_rank",
    "imd_score",
    "imd_rank",
    "imd_decile",
    "population",
    "published_ddn",
    "reproduced_ddn",
    "group",
]


def main(smk):
    imd = pd.read_parquet(smk.input.wards)
    lsoas = pd.read_parquet(smk.input.lsoas)
    cni = pd.read_parquet(smk.input.cni)
    regions = pd.read_parquet(
        smk.input.regions, columns=["ward17_code", "ward17_name", "lad17_code", "lad17_name", "region_name"]
    )
    wards, population_columns = ward_table(imd, cni, regions, smk.params.population)

    imd_count = int(imd["imd_ranked_wards"].iloc[0])
    cni_count = int(cni["cni_rank"].notna().sum())
    wards["cni_decile"] = decile_from_rank(wards["cni_rank"], cni_count)
    wards["reproduced_ddn"] = doubly_disadvantaged(
        wards["imd_rank"], wards["cni_rank"], smk.params.share, imd_count, cni_count
    )
    for ddn_list in ("published", "reproduced"):
        wards[f"group_{ddn_list}_list"] = assign_groups(wards, ddn_list, smk.params.other_deprived_share, imd_count)
    wards["group"] = wards[f"group_{smk.params.ddn_list}_list"]

    for column in population_columns:
        if abs(wards[column].sum() - lsoas[column].sum()) > 0.5:
            raise ClassificationError(
                f"ward {column} sums to {wards[column].sum():,.0f}, LSOAs to {lsoas[column].sum():,.0f}; expected equal"
            )

    ordered = COLUMNS + [
        "group_published_list",
        "group_reproduced_list",
        "cni_decile",
        "lsoa_count",
        *population_columns,
    ]
    write_csv(wards[ordered], smk.output.groups_csv)
    write_parquet(wards[ordered], smk.output.groups)

    audit = reproduction_audit(wards, smk.params.share, imd_count, cni_count)
    write_csv(audit, smk.output.reproduction)
    write_csv(group_summary(wards, population_columns), smk.output.summary)

    membership = lsoas.merge(
        wards[
            ["ward17_code", "published_ddn", "reproduced_ddn", "group", "group_published_list", "group_reproduced_list"]
        ],
        on="ward17_code",
        how="left",
        validate="many_to_one",
    )
    write_parquet(membership, smk.output.membership)

    sources = [c.removeprefix("population_") for c in population_columns]
    universes = ("cni_wards", "all_wards")
    variants = [(p, "population", u) for p in sources for u in universes] + [(sources[0], "none", u) for u in universes]
    write_csv(reproduction_sensitivity(lsoas, cni, smk.params.share, variants), smk.output.sensitivity)

    counts = audit["agreement"].value_counts()
    log.info(
        "DDN reproduction: %d reproduced, %d published, %d on both, %d only reproduced, %d only published; "
        "population of the %d published DDNs: %s",
        wards["reproduced_ddn"].sum(),
        wards["published_ddn"].sum(),
        counts.get("both", 0),
        counts.get("reproduced_only", 0),
        counts.get("published_only", 0),
        wards["published_ddn"].sum(),
        ", ".join(
            f"{c.removeprefix('population_')} {wards.loc[wards['published_ddn'], c].sum():,.0f}"
            for c in population_columns
        ),
    )
    log.info("groups (%s list): %s", smk.params.ddn_list, wards["group"].value_counts().to_dict())


run(main, globals().get("snakemake"))
