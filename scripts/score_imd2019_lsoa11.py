"""LSOA IMD 2019 score rebuilt from File 9 and checked against File 1's ranks (rule score_imd2019_lsoa11)."""

import logging

import pandas as pd

from ddn_pipeline.classify import ClassificationError, imd_score, rank_check, rank_most_deprived_first
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("score_imd2019_lsoa11")


def main(smk):
    transformed = pd.read_parquet(smk.input.transformed)
    official = pd.read_parquet(smk.input.official_ranks, columns=["lsoa11_code", "imd_rank", "imd_decile"])
    scores = transformed[["lsoa11_code", "lsoa11_name", "lad19_code", "lad19_name"]].copy()
    scores["imd_score_file9"] = imd_score(transformed, smk.params.weights)
    scores["imd_rank_file9"] = rank_most_deprived_first(scores["imd_score_file9"])
    official = official.rename(columns={"imd_rank": "imd_rank_official", "imd_decile": "imd_decile_official"})
    scores = scores.merge(official, on="lsoa11_code", how="left", validate="one_to_one")
    unmatched = scores["imd_rank_official"].isna().sum()
    if unmatched:
        raise ClassificationError(
            f"{smk.input.official_ranks}: {unmatched} LSOAs of File 9 have no official rank; expected all 32,844"
        )
    scores["rank_difference"] = scores["imd_rank_file9"] - scores["imd_rank_official"]
    check = rank_check(scores["imd_rank_file9"], scores["imd_rank_official"])
    if smk.input.file5_scores:
        file5 = pd.read_parquet(smk.input.file5_scores, columns=["lsoa11_code", "imd_score"]).rename(
            columns={"imd_score": "imd_score_file5"}
        )
        scores = scores.merge(file5, on="lsoa11_code", how="left", validate="one_to_one")
        check["largest_score_difference_file9_vs_file5"] = float(
            (scores["imd_score_file9"] - scores["imd_score_file5"]).abs().max()
        )
    elif smk.params.score_source == "file5_published":
        raise ClassificationError(
            "lsoa_score_source is file5_published but the File 5 scores (iod2019_scores_composite_lsoa11) are not available"
        )
    source = {"file9_rebuilt": "imd_score_file9", "file5_published": "imd_score_file5"}[smk.params.score_source]
    scores["imd_score"] = scores[source]
    scores["imd_rank"] = rank_most_deprived_first(scores["imd_score"])
    check.update(
        {"score_source": smk.params.score_source, "max_rank_difference_allowed": smk.params.max_rank_difference}
    )
    write_csv(pd.DataFrame({"metric": list(check), "value": list(check.values())}), smk.output.rank_check)
    log.info("rebuilt IMD 2019 ranks vs File 1: %s", check)
    if check["largest_rank_difference"] > smk.params.max_rank_difference:
        raise ClassificationError(
            f"rebuilt IMD ranks differ from File 1 by up to {check['largest_rank_difference']} places; "
            f"expected at most {smk.params.max_rank_difference} (config imd2019.max_rank_difference): check the domain weights"
        )
    write_parquet(scores, smk.output.scores)
    log.info("wrote %d LSOA scores (source %s)", len(scores), smk.params.score_source)


run(main, globals().get("snakemake"))
