"""Figures in one shared style, saved as PNG and SVG without timestamps, each with a caption file."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ddn_pipeline.groups import LABELS, PUBLISHED_GROUPS

COLOURS = {"ddn": "#b2182b", "other_deprived": "#f4a582", "rest_of_england": "#92c5de", "england": "#4d4d4d"}
STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "ddn-pipeline",  # stable element ids: the same figure gives the same SVG bytes
    "svg.fonttype": "none",
}


def apply_style():
    plt.rcParams.update(STYLE)


def save(fig, stem, caption):
    """Write stem.png, stem.svg and stem.caption.md; no timestamps or software versions in the files."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(stem.with_suffix(".png"), metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(stem.with_suffix(".svg"), metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    stem.with_suffix(".caption.md").write_text(caption.strip() + "\n", encoding="utf-8")
    plt.close(fig)


def format_value(value, share):
    if share:
        return f"{100 * value:.1f}%"
    return f"{value / 1e6:.2f}m" if abs(value) >= 1e5 else f"{value:,.1f}"


def indicator_bars(label, values, unit, published=None, note=""):
    """Bars for DDN, other deprived and England, with the published values marked where there are some.
    unit: the indicator's unit (reference/indicators.yaml); shares are shown as percentages."""
    groups = PUBLISHED_GROUPS
    heights = [values.get(g, np.nan) for g in groups]
    share = unit == "share"
    scale = 100 if share else 1
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    if all(pd.isna(h) for h in heights):
        ax.text(0.5, 0.5, f"Not computed\n{note}", ha="center", va="center", wrap=True, transform=ax.transAxes)
        ax.set_axis_off()
    else:
        bars = ax.bar([LABELS[g] for g in groups], [h * scale for h in heights], color=[COLOURS[g] for g in groups])
        for bar, height in zip(bars, heights):
            ax.annotate(
                format_value(height, share),
                (bar.get_x() + bar.get_width() / 2, bar.get_height() / 2),
                ha="center",
                va="center",
                fontsize=9,
                color="white",
                fontweight="bold",
            )
        for index, group in enumerate(groups):
            if published and published.get(group) is not None:
                ax.scatter(
                    index,
                    published[group] * scale,
                    marker="D",
                    s=50,
                    color="black",
                    zorder=3,
                    label="Published"
                    if index == min(i for i, g in enumerate(groups) if published.get(g) is not None)
                    else None,
                )
        if published and any(v is not None for v in published.values()):
            ax.legend(loc="best", frameon=False)
        ax.set_ylabel("%" if share else "")
        ax.grid(axis="x", visible=False)
    ax.set_title(label, loc="left", wrap=True)
    return fig


def published_vs_reproduced(points):
    """Every numeric published figure as a row: the reproduced value as a percentage of the published one.

    points: label, published, ours, within (inside the figure's tolerance)."""
    points = points.iloc[::-1].reset_index(drop=True)
    relative = 100 * points["ours"] / points["published"]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(points) + 1.5))
    ax.axvline(100, color="grey", lw=1, ls="--")
    colours = np.where(points["within"], "#1a9850", "#d73027")
    ax.scatter(relative, range(len(points)), color=colours, zorder=3)
    for index, row in points.iterrows():
        ax.annotate(
            f"ours {row.ours:,.4g} / published {row.published:,.4g}",
            (relative[index], index),
            fontsize=7,
            xytext=(6, -3),
            textcoords="offset points",
        )
    ax.set_yticks(range(len(points)), points["label"])
    span = max(5.0, float((relative - 100).abs().max()) * 1.3)
    ax.set_xlim(100 - span, 100 + span * 1.8)
    ax.set_xlabel("Reproduced value as % of the published value (100 = identical)")
    ax.grid(axis="y", visible=False)
    ax.scatter([], [], color="#1a9850", label="within the figure's tolerance")
    ax.scatter([], [], color="#d73027", label="outside it")
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    ax.set_title("Published figures against the reproduced ones", loc="left")
    return fig


def classification_ranks(wards, cni_threshold, imd_threshold, zoom):
    """Ward IMD rank against CNI rank, the 10% thresholds, published and reproduced DDNs marked; full view and a zoom."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
    both = wards["published_ddn"] & wards["reproduced_ddn"]
    layers = [
        (~wards["published_ddn"] & ~wards["reproduced_ddn"], {"s": 3, "color": "#bdbdbd", "label": "Other wards"}),
        (both, {"s": 10, "color": COLOURS["ddn"], "label": "DDN, published and reproduced"}),
        (
            wards["published_ddn"] & ~wards["reproduced_ddn"],
            {"s": 40, "marker": "s", "facecolors": "none", "edgecolors": "black", "label": "Published only"},
        ),
        (
            wards["reproduced_ddn"] & ~wards["published_ddn"],
            {"s": 50, "marker": "^", "color": "#2166ac", "label": "Reproduced only"},
        ),
    ]
    for ax, limit in zip(axes, (None, zoom)):
        for mask, style in layers:
            ax.scatter(wards.loc[mask, "cni_rank"], wards.loc[mask, "imd_rank"], **style)
        ax.axvline(cni_threshold, color="black", lw=0.8, ls="--")
        ax.axhline(imd_threshold, color="black", lw=0.8, ls="--")
        ax.set(xlabel="CNI 2019 rank (1 = most need)", ylabel="Ward IMD 2019 rank (1 = most deprived)")
        if limit:
            ax.set(xlim=(0, limit), ylim=(0, limit), title=f"Zoom: ranks up to {limit:,}")
        else:
            ax.set(title="All wards")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, loc="outside lower center", ncol=4)
    return fig


def ddn_counts(by_region, by_authority, top):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
    regions = by_region.sort_values("wards")
    axes[0].barh(regions["region_name"], regions["wards"], color=COLOURS["ddn"])
    axes[0].set(title="DDNs by region", xlabel="Wards")
    authorities = by_authority.head(top).iloc[::-1]
    axes[1].barh(authorities["lad_name"], authorities["wards"], color=COLOURS["ddn"])
    axes[1].set(title=f"Local authorities with the most DDNs (top {top})", xlabel="Wards")
    for ax in axes:
        ax.grid(axis="y", visible=False)
    return fig


def ddn_map(wards, authorities, insets):
    """England with DDN and other deprived wards over local authority outlines, plus one panel per inset region."""
    from matplotlib.patches import Patch

    fig = plt.figure(figsize=(12, 9))
    grid = fig.add_gridspec(len(insets), 2, width_ratios=[1.6, 1])
    panels = [(fig.add_subplot(grid[:, 0]), None)] + [
        (fig.add_subplot(grid[i, 1]), name) for i, name in enumerate(insets)
    ]
    for ax, region in panels:
        shown = wards if region is None else wards[wards["region_name"] == region]
        shown.plot(ax=ax, color="#f0f0f0", linewidth=0)
        for group in ("other_deprived", "ddn"):
            part = shown[shown["group"] == group]
            if not part.empty:
                part.plot(ax=ax, color=COLOURS[group], linewidth=0)
        minx, miny, maxx, maxy = shown.total_bounds
        margin = 0.03 * max(maxx - minx, maxy - miny)
        minx, miny, maxx, maxy = minx - margin, miny - margin, maxx + margin, maxy + margin
        authorities.boundary.plot(ax=ax, color="#525252", linewidth=0.25 if region is None else 0.5)
        ax.set(xlim=(minx, maxx), ylim=(miny, maxy))
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        ax.set_title("England" if region is None else region, loc="left")
    panels[0][0].legend(
        handles=[
            Patch(color=COLOURS["ddn"], label="DDN (published list)"),
            Patch(color=COLOURS["other_deprived"], label="Other deprived (ward IMD top 10%)"),
        ],
        frameon=False,
        loc="upper left",
    )
    return fig
