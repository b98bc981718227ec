"""Each published figure next to ours with a verdict, and the definition sensitivity (rule benchmark_report_comparison)."""

import logging

import pandas as pd

from ddn_pipeline.benchmark import GROUPS, judge
from ddn_pipeline.logs import run

log = logging.getLogger("benchmark_report_comparison")


def group_values(groups, ddn_list, indicator):
    rows = groups[(groups["ddn_list"] == ddn_list) & (groups["indicator"] == indicator)]
    return dict(zip(rows["group"], rows["value"]))


def definition_text(definitions, indicator):
    d = definitions.get(indicator)
    if d is None:
        return ""
    return f"{' + '.join(d['numerator'])} / {' + '.join(d['denominator']) or '(count)'}; {d['source']}"


def comparison_row(figure_id, figure, values, definitions, sources, not_computed):
    verdict, difference, note = judge(figure, values)
    published = {
        f"published_{g}": next((v["published"] for v in figure.get("values", []) if v["expr"] == g), None)
        for g in ("ddn", "other_deprived", "england")
    }
    if verdict == "not_computed" and figure["indicator"] in not_computed:
        note = not_computed[figure["indicator"]]
    return {
        "id": figure_id,
        "statistic": figure["statistic"],
        "indicator": figure["indicator"],
        "definition": definition_text(definitions, figure["indicator"]),
        **{g: values.get(g) for g in GROUPS},
        **published,
        "published_claims": "; ".join(
            [*(f"{v['expr']} = {v['published']:g}" for v in figure.get("values", [])), *figure.get("claims", [])]
        ),
        "difference": difference,
        "verdict": verdict,
        "note": note,
        "source_url": sources[figure["source"]],
    }


def main(smk):
    groups = pd.read_csv(smk.input.groups)
    missing = pd.read_csv(smk.input.not_computed)
    not_computed = dict(zip(missing["indicator"], missing["reason"]))
    definitions, figures = smk.params.definitions, smk.params.figures
    rows = [
        comparison_row(
            i, f, group_values(groups, "published", f["indicator"]), definitions, smk.params.sources, not_computed
        )
        for i, f in figures.items()
    ]
    comparison = pd.DataFrame(rows)
    comparison.to_csv(smk.output.comparison, index=False)

    sensitivity = []
    for figure_id, figure in figures.items():
        candidates = [
            figure["indicator"],
            *(i for i, d in definitions.items() if d.get("sensitivity_of") == figure["indicator"]),
        ]
        for indicator in candidates:
            for ddn_list in ("published", "reproduced"):
                values = group_values(groups, ddn_list, indicator)
                verdict, _, _ = judge(figure, values)
                rest_reading = {**values, "england": values.get("rest_of_england")} if values else values
                verdict_rest, _, _ = judge(figure, rest_reading)
                sensitivity.append(
                    {
                        "id": figure_id,
                        "statistic": figure["statistic"],
                        "candidate_indicator": indicator,
                        "candidate_definition": definition_text(definitions, indicator),
                        "ddn_list": ddn_list,
                        "is_default": indicator == figure["indicator"] and ddn_list == "published",
                        **{g: values.get(g) for g in GROUPS},
                        "verdict": verdict,
                        "verdict_england_as_rest_of_england": verdict_rest,
                    }
                )
    pd.DataFrame(sensitivity).to_csv(smk.output.sensitivity, index=False)
    log.info("verdicts: %s", comparison["verdict"].value_counts().to_dict())
    for row in comparison.itertuples():
        log.info("%-32s %-16s ddn=%s  %s", row.id, row.verdict, row.ddn, row.note)


run(main, snakemake)  # noqa: F821
