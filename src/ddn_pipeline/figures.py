"""Figures in one shared style, saved as PNG and SVG without timestamps, each with a caption file."""

import io
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ddn_pipeline.files import write_bytes_atomic
from ddn_pipeline.groups import ENGLAND, LABELS, PUBLISHED_GROUPS
from ddn_pipeline.presentation import CLOSENESS_WORDS, GAP_WORDS, format_in, format_value

# Okabe-Ito colours, safe for the common colour-vision deficiencies: DDNs blue, other deprived areas orange.
COLOURS = {"ddn": "#0072B2", "other_deprived": "#E69F00", "rest_of_england": "#BBBBBB", "england": "#4D4D4D"}
CLOSENESS_COLOURS = {"within": "#0072B2", "close": "#E69F00", "differs": "#D55E00"}
CLOSENESS_MARKERS = {"within": "o", "close": "s", "differs": "^"}
STYLE = {
    # laid out at the dpi it is saved at: the layout's text measurements then serve the PNG's tight box too
    "figure.dpi": 150,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "ddn-pipeline",  # stable element ids: the same figure gives the same SVG bytes
    "svg.fonttype": "none",
    # a layout engine only where a figure asks for one (fix_layout relies on it), whatever a matplotlibrc says
    "figure.autolayout": False,
    "figure.constrained_layout.use": False,
}

TITLE_GAP_INCHES = 0.16  # between a figure's title and its subplots, as matplotlib's defaults leave it
# zlib level 3, not 6: on the 51 figures, 0.6 s instead of 1.5 s, for files a fifth larger (6.2 MB, not 5.2 MB)
PNG_OPTIONS = {"compress_level": 3}
# no software version or time in a file: the same figure gives the same bytes whatever matplotlib wrote it
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}


def apply_style():
    plt.rcParams.update(STYLE)


def add_title_and_source(fig, title, source):
    """A title above the figure and a source line below it (below any legend at the foot of the figure): every
    figure says what it shows and where it comes from. Both wrap to the figure's width."""
    characters = int(fig.get_size_inches()[0] * 9)
    suptitle = fig.suptitle(textwrap.fill(title, characters), x=0.01, ha="left", fontsize=12, fontweight="bold")
    if fig.get_layout_engine() is None:
        room_for_title(fig, suptitle)
    source = textwrap.fill(f"Source: {source}", int(characters * 1.6))
    fix_layout(fig)  # legends at the foot of the figure now have their final place
    feet = [legend.get_window_extent().y0 / fig.bbox.height for legend in fig.legends]
    fig.text(0.01, min([0.0, *feet]) - 0.04, source, ha="left", va="top", fontsize=7.5, color="#333333")


def room_for_title(fig, suptitle):
    """Without a layout engine, subplots keep matplotlib's default top (88% of the height), which a title wrapped
    over two or three lines reaches into: the subplots' top goes below the title, the gap a one-line title has
    (a constrained layout would make room too, at the cost of a figure draw)."""
    gap = TITLE_GAP_INCHES / fig.get_size_inches()[1]
    title_foot = suptitle.get_window_extent(fig.canvas.get_renderer()).y0 / fig.bbox.height
    fig.subplots_adjust(top=min(fig.subplotpars.top, title_foot - gap))


def fix_layout(fig):
    """Lay the figure out once, for both of its files, and keep it: each save would otherwise lay it out again (the
    costliest part of saving). Figure legends are pinned where the layout put them, in the figure's frame: a tight
    save grows the figure's box to take in the source line, and would take a legend anchored to that box down onto
    the line."""
    engine = fig.get_layout_engine()
    if engine is None and not fig.legends:
        return
    if engine is not None and fig.axes:
        engine.execute(fig)  # what a draw would do first, without the rest of the draw
    for legend in fig.legends:
        placed = legend.get_window_extent().transformed(fig.transFigure.inverted())
        legend.set_bbox_to_anchor(placed, transform=fig.transFigure)
        legend.set_loc("center")
    # no engine at all, rather than "none": matplotlib draws a figure that has any engine, even its placeholder,
    # once more (without rendering) before each save
    fig.set_layout_engine(None)


def save(fig, stem, caption, title=None, source=None):
    """Write stem.png, stem.svg and stem.caption.md; no timestamps or software versions in the files."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    if title or source:
        add_title_and_source(fig, title or "", source or "")
    else:
        fix_layout(fig)
    # the tight box, measured once for both files (bbox_inches="tight" would draw the figure once more per file)
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    files = {"png": {"metadata": PNG_METADATA, "pil_kwargs": PNG_OPTIONS}, "svg": {"metadata": SVG_METADATA}}
    for kind, options in files.items():
        drawn = io.BytesIO()
        fig.savefig(drawn, format=kind, bbox_inches=box, **options)
        write_bytes_atomic(drawn.getvalue(), stem.with_suffix(f".{kind}"))
    write_bytes_atomic((caption.strip() + "\n").encode("utf-8"), stem.with_suffix(".caption.md"))
    plt.close(fig)


def percent_ticks():
    """Tick labels for shares, as percentages with the digits a tick needs (2.5%, not 2%)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{100 * v:g}%")


def value_label(value, unit):
    return format_value(value, unit).removesuffix(" years")


def year_dots(ax, positions, heights, colours, labels=True):
    """Years as dots on a scale around them, each with its value: a gap of a few years is invisible on an axis from 0,
    and a bar from an arbitrary base makes a gap of 4 years look like a factor of 2."""
    ax.scatter(positions, heights, s=90, color=colours, zorder=3, edgecolors="white", linewidths=0.8)
    known = [h for h in heights if pd.notna(h)]
    low, high = min(known), max(known)
    pad = max(0.6, 0.15 * (high - low))
    ax.set_ylim(low - pad, high + pad)
    ax.set_ylabel("Years")
    if labels:
        for x, height in zip(positions, heights):
            if pd.notna(height):
                ax.annotate(
                    f"{height:.1f}",
                    (x, height),
                    xytext=(9, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                    fontweight="bold",
                )
    ax.set_xlim(min(positions) - 0.5, max(positions) + 0.8)


def indicator_axis(ax, unit, heights, published):
    """Shares as percentages from 0; people in millions from 0; ratios from 0. Years are dots (year_dots)."""
    from matplotlib.ticker import FuncFormatter

    if unit == "share":
        ax.set_ylabel("% of the group")
        ax.yaxis.set_major_formatter(percent_ticks())
        return 0
    if unit == "ratio":
        ax.set_ylabel("Ratio")
        return 0
    if unit == "people":
        ax.set_ylabel("People (millions)")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:,.1f}m"))
        return 0
    return 0


def indicator_bars(label, values, unit, published=None, note="", ax=None):
    """Bars for DDN, other deprived and England, with the published values marked where there are some.
    unit: the indicator's unit (reference/indicators.yaml). Draws on ax when given (small multiples)."""
    groups = PUBLISHED_GROUPS
    heights = [values.get(g, np.nan) for g in groups]
    in_panel = ax is not None  # a standalone chart is titled by save(); a panel by its label
    fig, ax = (ax.figure, ax) if in_panel else plt.subplots(figsize=(5.6, 3.6))
    if in_panel:
        ax.set_title(label, loc="left", wrap=True)
    if all(pd.isna(h) for h in heights):
        ax.text(0.5, 0.5, f"Not computed\n{note}", ha="center", va="center", wrap=True, transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    if unit == "years":
        year_dots(ax, range(len(groups)), heights, [COLOURS[g] for g in groups])
        ax.set_xticks(range(len(groups)), [LABELS[g] for g in groups])
        mark_published(ax, groups, published, offset=0.0)
        ax.grid(axis="x", visible=False)
        return fig
    bottom = indicator_axis(ax, unit, heights, published)
    bars = ax.bar(
        [LABELS[g] for g in groups],
        [h - bottom for h in heights],
        bottom=bottom,
        color=[COLOURS[g] for g in groups],
    )
    top = ax.get_ylim()[1]
    for bar, height in zip(bars, heights):
        # inside the bar, at its foot; above it when the bar is too short to hold the label
        inside = (height - bottom) > 0.12 * (top - bottom)
        ax.annotate(
            value_label(height, unit),
            (bar.get_x() + bar.get_width() / 2, bottom if inside else height),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
            color="white" if inside else "black",
            fontweight="bold",
        )
    mark_published(ax, groups, published, offset=0.3)
    ax.grid(axis="x", visible=False)
    return fig


def mark_published(ax, groups, published, offset):
    """The published values as white diamonds beside (offset) each group's bar or dot, with a legend entry."""
    marked = [i for i, g in enumerate(groups) if published and published.get(g) is not None]
    for index in marked:
        ax.scatter(
            index + offset,
            published[groups[index]],
            marker="D",
            s=36,
            color="white",
            edgecolors="black",
            zorder=4,
            label="Published value" if index == marked[0] else None,
        )
    if marked:
        ax.legend(loc="best", frameon=False, fontsize=8)  # clear of the bars and diamonds


def small_multiples(panels, ncols=3):
    """One panel of indicator bars per (label, values, unit) in a grid sharing one axis scale."""
    import os

    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), sharey=True, layout="constrained")
    labels = [label for label, _, _ in panels]
    shared = os.path.commonprefix(labels)
    shared = shared[: shared.rfind(": ") + 2] if ": " in shared else ""  # "Occupation: managers" -> "managers"
    for index, (ax, (label, values, unit)) in enumerate(zip(axes.flat, panels)):
        short = label.removeprefix(shared)
        indicator_bars(textwrap.fill(short[:1].upper() + short[1:], 46), values, unit, ax=ax)
        ax.title.set_fontsize(9.5)
        ax.tick_params(axis="x", labelsize=8)
        if index % ncols:
            ax.set_ylabel("")
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_axis_off()
    return fig


def published_vs_reproduced(points):
    """Every numeric published figure as a row: the reproduced value as a percentage of the published one.

    points: label, published, ours, unit, closeness (within, close or differs)."""
    points = points.iloc[::-1].reset_index(drop=True)
    relative = 100 * points["ours"] / points["published"]
    # labels wrapped, and the layout keeping them inside the figure: unwrapped, they ran far left of it
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(points) + 1.8), layout="constrained")
    ax.axvline(100, color="grey", lw=1, ls="--")
    for level, words in CLOSENESS_WORDS.items():
        chosen = points["closeness"] == level
        ax.scatter(
            relative[chosen],
            points.index[chosen],
            color=CLOSENESS_COLOURS[level],
            marker=CLOSENESS_MARKERS[level],
            s=46,
            zorder=3,
            label=words,
        )
    for index, row in points.iterrows():
        ax.annotate(
            f"ours {format_in(row.ours, row.unit)}, published {format_in(row.published, row.unit)}",
            (relative[index], index),
            fontsize=7.5,
            xytext=(7, -3),
            textcoords="offset points",
        )
    ax.set_yticks(range(len(points)), [textwrap.fill(label, 48) for label in points["label"]])
    low, high = min(float(relative.min()), 100.0), max(float(relative.max()), 100.0)
    span = high - low
    ax.set_xlim(low - 0.1 * span - 2, high + 0.6 * span + 12)
    ax.set_xlabel("Reproduced value as % of the published value (100 = identical)")
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="lower right", fontsize=8, title="Reproduced value is", title_fontsize=8)
    return fig


RANKS_2019 = {
    "x": ("cni_rank", "CNI 2019 rank (1 = most need)"),
    "y": ("imd_rank", "Ward IMD 2019 rank (1 = most deprived)"),
    "lists": ("published_ddn", "reproduced_ddn"),
    "labels": ("DDN, published and reproduced", "Published only", "Reproduced only"),
}
RANKS_2025 = {
    "x": ("cni2023_rank", "CNI 2023 rank (1 = most need)"),
    "y": ("imd2025_rank", "Ward IMD 2025 rank (1 = most deprived)"),
    "lists": ("ddn_2019_published", "ddn_2025"),
    "labels": ("DDN in 2019 and 2025 (stays)", "DDN in 2019 only (leaves)", "DDN in 2025 only (enters)"),
}


def classification_ranks(wards, cni_threshold, imd_threshold, zoom, layout=RANKS_2019):
    """Ward IMD rank against CNI rank, the thresholds, two DDN lists marked (layout: RANKS_2019, published and
    reproduced; RANKS_2025, 2019 published and 2025); full view and a zoom."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
    (x, x_label), (y, y_label) = layout["x"], layout["y"]
    first, second = (wards[c].fillna(False).astype(bool) for c in layout["lists"])
    both_label, first_label, second_label = layout["labels"]
    layers = [
        (~first & ~second, {"s": 3, "color": "#bdbdbd", "label": "Other wards"}),
        (first & second, {"s": 10, "color": COLOURS["ddn"], "label": both_label}),
        (first & ~second, {"s": 40, "marker": "s", "facecolors": "none", "edgecolors": "black", "label": first_label}),
        (second & ~first, {"s": 50, "marker": "^", "color": "#D55E00", "label": second_label}),
    ]
    for ax, limit in zip(axes, (None, zoom)):
        for mask, style in layers:
            ax.scatter(wards.loc[mask, x], wards.loc[mask, y], **style)
        ax.axvline(cni_threshold, color="black", lw=0.8, ls="--")
        ax.axhline(imd_threshold, color="black", lw=0.8, ls="--")
        ax.set(xlabel=x_label, ylabel=y_label)
        if limit:
            ax.set(xlim=(0, limit), ylim=(0, limit), title=f"Zoom: ranks up to {limit:,}")
        else:
            ax.set(title="All wards")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[1].legend(handles, labels, loc="upper right", framealpha=0.95, fontsize=8)
    return fig


def ddn_counts(by_region, by_authority, top):
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
    regions = by_region.sort_values("wards")
    bars = axes[0].barh(regions["region_name"], regions["wards"], color=COLOURS["ddn"])
    axes[0].bar_label(bars, padding=3, fontsize=9)
    axes[0].set(title="DDNs by region", xlabel="Wards")
    authorities = by_authority.head(top).iloc[::-1]
    bars = axes[1].barh(authorities["lad_name"], authorities["wards"], color=COLOURS["ddn"])
    axes[1].bar_label(bars, padding=3, fontsize=9)
    axes[1].set(title=f"Local authorities with the most DDNs (top {top})", xlabel="Wards")
    for ax in axes:
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def fit_to_panel(ax, minx, miny, maxx, maxy):
    """Show the whole extent at equal scale: widen the extent along one axis to the panel's own proportions, so the
    panel keeps its size and nothing of the extent is clipped."""
    box = ax.get_position()
    width, height = ax.figure.get_size_inches()
    panel_ratio = (box.height * height) / (box.width * width)
    x_mid, y_mid, x_span, y_span = (minx + maxx) / 2, (miny + maxy) / 2, maxx - minx, maxy - miny
    if y_span / x_span > panel_ratio:
        x_span = y_span / panel_ratio
    else:
        y_span = x_span * panel_ratio
    ax.set(xlim=(x_mid - x_span / 2, x_mid + x_span / 2), ylim=(y_mid - y_span / 2, y_mid + y_span / 2))
    ax.set_aspect("equal", adjustable="box")


def shapes_path(geometries):
    """Every ring of (multi)polygons as one matplotlib path, each ring a closed subpath: a map layer as one patch,
    built, drawn and written to SVG at once, where geopandas makes a patch per shape (a Python object each, and an
    SVG element each). Rings are oriented (exteriors anticlockwise, holes clockwise), so that under the nonzero
    fill rule a hole stays empty and a shape lying in another's hole is filled."""
    import shapely
    from matplotlib.path import Path as MplPath

    polygons = shapely.orient_polygons(shapely.get_parts(np.asarray(geometries, dtype=object)))
    coordinates, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    if not len(coordinates):
        return MplPath(np.empty((0, 2)))
    codes = np.full(len(coordinates), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.flatnonzero(np.concatenate([[True], ring[1:] != ring[:-1]]))
    codes[starts] = MplPath.MOVETO
    codes[np.append(starts[1:], len(coordinates)) - 1] = MplPath.CLOSEPOLY
    return MplPath(coordinates, codes)


def darker(colour, factor=0.55):
    from matplotlib.colors import to_rgb

    return tuple(factor * channel for channel in to_rgb(colour))


def place_labels(wards, column, value, count):
    """(x, y, name) for the count local authorities with the most wards of a category, each at a point inside its
    largest such ward: a few names to find one's way on a national map."""
    chosen = wards[wards[column] == value]
    if chosen.empty:
        return []
    top = chosen["lad_name"].value_counts().head(count).index
    largest = chosen[chosen["lad_name"].isin(top)].assign(area=lambda f: f.geometry.area)
    largest = largest.sort_values("area", ascending=False).drop_duplicates("lad_name")
    points = largest.geometry.representative_point()
    return [(p.x, p.y, name) for p, name in zip(points, largest["lad_name"])]


def category_map(wards, authorities, insets, column, categories, inset_title, labels=()):
    """England with wards coloured by a column's categories over local authority outlines, plus one panel per inset
    region, each fitted to its region (fit_to_panel: nothing clipped). categories: [(value, colour, legend label)],
    drawn in order, the last on top and given a thin darker outline in the insets so small urban wards can be seen
    without hiding their colour; inset_title: the region's wards -> its panel title; labels: (x, y, name) written on
    England's panel. The figure takes England's proportions, so its panel has no blank bands."""
    from matplotlib import patheffects
    from matplotlib.patches import Patch, PathPatch

    minx, miny, maxx, maxy = authorities.total_bounds
    height, top, bottom = 10.0, 0.95, 0.02
    england_width = (top - bottom) * height * (maxx - minx) / (maxy - miny)
    inset_width = 1.15 * (top - bottom) * height / len(insets)
    fig = plt.figure(figsize=(england_width + inset_width + 0.3, height))
    grid = fig.add_gridspec(
        len(insets),
        2,
        width_ratios=[england_width, inset_width],
        hspace=0.12,
        wspace=0.02,
        top=top,
        bottom=bottom,
        left=0.01,
        right=0.99,
    )
    panels = [(fig.add_subplot(grid[:, 0]), None)] + [
        (fig.add_subplot(grid[i, 1]), name) for i, name in enumerate(insets)
    ]
    on_top = categories[-1][0]
    authority_rings = shapes_path(authorities.geometry)
    for ax, _ in panels:
        # every panel shaped like England (its authorities' extent, with matplotlib's margins), as geopandas left
        # them when it drew the layers, before fit_to_panel fits each panel's region to its shape
        ax.update_datalim([(minx, miny), (maxx, maxy)])
        ax.set_aspect("equal")
        ax.autoscale_view()
    for ax, region in panels:
        shown = wards if region is None else wards[wards["region_name"] == region]
        # England's grey ground: its few hundred authorities rather than its thousands of wards, which look the
        # same at this scale; an inset's ground is its own region's wards
        ground = authority_rings if region is None else shapes_path(shown.geometry)
        # added as artists: add_patch would walk each path's segments in Python for the data limits, which
        # fit_to_panel sets anyway
        ax.add_artist(PathPatch(ground, facecolor="#f0f0f0", linewidth=0))
        for value, colour, _ in categories:
            part = shown[shown[column] == value]
            if not part.empty:
                edge = (
                    {"edgecolor": darker(colour), "linewidth": 0.3} if region and value == on_top else {"linewidth": 0}
                )
                ax.add_artist(PathPatch(shapes_path(part.geometry), facecolor=colour, **edge))
        minx, miny, maxx, maxy = shown.total_bounds
        margin = 0.03 * max(maxx - minx, maxy - miny)
        ax.add_artist(
            PathPatch(authority_rings, fill=False, edgecolor="#525252", linewidth=0.25 if region is None else 0.5)
        )
        fit_to_panel(ax, minx - margin, miny - margin, maxx + margin, maxy + margin)
        ax.set_axis_off()
        if region is not None:
            ax.set_title(f"{region}: {inset_title(shown)}", loc="left", fontsize=10)
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    for x, y, name in labels:
        panels[0][0].annotate(
            name, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=8, path_effects=halo, zorder=5
        )
        panels[0][0].plot(x, y, marker="o", markersize=2.5, color="black", zorder=5)
    handles = [Patch(color=colour, label=label) for _, colour, label in reversed(categories)]
    handles.append(Patch(facecolor="#f0f0f0", edgecolor="#525252", label="Other wards; lines: local authorities"))
    panels[0][0].legend(handles=handles, frameon=False, loc="upper left")
    return fig


def ddn_map(wards, authorities, insets, ddn_label="DDN (published list)"):
    """The DDNs and other deprived wards (column group), with the DDN count of each inset region."""

    def title(shown):
        count = int((shown["group"] == "ddn").sum())
        return f"{count} DDN{'s' if count != 1 else ''}"

    categories = [
        ("other_deprived", COLOURS["other_deprived"], "Other deprived (most deprived 10% on ward IMD)"),
        ("ddn", COLOURS["ddn"], ddn_label),
    ]
    labels = place_labels(wards, "group", "ddn", LABELLED_AUTHORITIES)
    return category_map(wards, authorities, insets, "group", categories, title, labels)


LABELLED_AUTHORITIES = 6  # the councils with the most DDNs, named on the national map


TRANSITION_COLOURS = {"leaves": "#CC79A7", "enters": "#E69F00", "stays": "#0072B2"}


def transition_map(wards, authorities, insets):
    """The 2019 DDNs that stay or leave on the 2025 indices, and the wards that enter (column change)."""

    def title(shown):
        counts = shown["change"].value_counts()
        return ", ".join(
            f"{counts.get(c, 0)} {word}" for c, word in (("stays", "stay"), ("leaves", "leave"), ("enters", "enter"))
        )

    categories = [
        ("leaves", TRANSITION_COLOURS["leaves"], "Leaves: a DDN in 2019, not on the 2025 indices"),
        ("enters", TRANSITION_COLOURS["enters"], "Enters: a DDN on the 2025 indices only"),
        ("stays", TRANSITION_COLOURS["stays"], "Stays: a DDN in 2019 and on the 2025 indices"),
    ]
    return category_map(wards, authorities, insets, "change", categories, title)


def edition_counts(by_region, by_authority, top):
    """DDNs per region and in the local authorities with the most, 2019 (published) beside 2025.
    by_region, by_authority: name (index) -> columns '2019' and '2025'."""
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5), layout="constrained")
    authorities = by_authority.assign(most=by_authority.max(axis=1)).sort_values("most", ascending=False).head(top)
    for ax, frame, title in (
        (axes[0], by_region.sort_values("2019"), "DDNs by region"),
        (axes[1], authorities.drop(columns="most").iloc[::-1], f"Local authorities with the most DDNs (top {top})"),
    ):
        positions = np.arange(len(frame))
        for offset, column, colour, label in (
            (0.2, "2019", COLOURS["ddn"], "2019 (published list)"),
            (-0.2, "2025", TRANSITION_COLOURS["enters"], "2025 indices"),
        ):
            bars = ax.barh(positions + offset, frame[column], height=0.4, color=colour, label=label)
            ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_yticks(positions, frame.index)
        ax.set(title=title, xlabel="Wards (2017 boundaries)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
    axes[0].legend(frameon=False, loc="lower right")
    return fig


def editions_panels(panels, ncols=4):
    """Small multiples of the key indicators: DDNs and other deprived areas of both editions, and England.
    panels: (label, unit, {series label: value})."""
    series_colours = ["#0072B2", "#56B4E9", "#E69F00", "#F5D08A", COLOURS["england"]]
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 3.0 * nrows), layout="constrained")
    for ax, (label, unit, values) in zip(axes.flat, panels):
        names, heights = list(values), list(values.values())
        if unit == "years":
            year_dots(ax, range(len(names)), heights, series_colours[: len(names)], labels=False)
        else:
            bottom = indicator_axis(ax, unit, heights, None)
            ax.bar(range(len(names)), [h - bottom for h in heights], bottom=bottom, color=series_colours[: len(names)])
        ax.set_xticks([])
        ax.set_ylabel("Years" if unit == "years" else "")
        ax.set_title(textwrap.fill(label, 40), loc="left", fontsize=9)
        if unit == "share":
            ax.yaxis.set_major_formatter(percent_ticks())
        ax.grid(axis="x", visible=False)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_axis_off()
    from matplotlib.patches import Patch

    names = list(panels[0][2])
    fig.legend(
        handles=[Patch(color=c, label=n) for c, n in zip(series_colours, names)],
        loc="outside lower center",
        ncol=len(names),
        frameon=False,
    )
    return fig


EDITION_COLOURS = {2019: "#0072B2", 2025: "#D55E00"}
GAP_STYLES = {"ddn_minus_other_deprived": "-", "ddn_minus_england": "--"}


def sweep_gaps(gaps, indicators, default_threshold, ncols=4):
    """Small multiples, one per indicator: each gap against the threshold, one line per edition (solid: DDNs minus
    other deprived areas; dashed: DDNs minus England) for the default variants (gaps' default_variant), other
    variants as thin lines, the default threshold marked."""
    from matplotlib.lines import Line2D

    names = list(dict.fromkeys(gaps["indicator"]))
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.7 * ncols, 2.9 * nrows), layout="constrained")
    for ax, name in zip(axes.flat, names):
        unit = indicators[name]["unit"]
        scale = 100 if unit == "share" else 1
        frame = gaps[gaps["indicator"] == name]
        for (edition, weighting, population), line in frame.groupby(["edition", "weighting", "population_source"]):
            line = line.sort_values("threshold")
            main = bool(line["default_variant"].all())
            for gap, style in GAP_STYLES.items():
                ax.plot(
                    100 * line["threshold"],
                    scale * line[gap],
                    linestyle=style,
                    color=EDITION_COLOURS[edition],
                    linewidth=1.8 if main else 0.6,
                    alpha=1 if main else 0.45,
                    marker="o" if main else None,
                    markersize=3,
                )
        ax.axhline(0, color="black", linewidth=0.8)
        ax.axvline(100 * default_threshold, color="#666666", linestyle=":", linewidth=1)
        ax.set_title(textwrap.fill(indicators[name]["label"], 42), loc="left", fontsize=8.5)
        ax.set_ylabel({"share": "Percentage points", "years": "Years", "ratio": "Ratio difference"}.get(unit, ""))
        thresholds = sorted(100 * frame["threshold"].unique())
        ax.set_xticks(thresholds, [f"{t:g}" for t in thresholds])
        ax.set_xlabel("Threshold (%)", fontsize=8)
        ax.tick_params(labelsize=7.5)
    spare = list(axes.flat)[len(names) :]
    for ax in spare:
        ax.set_axis_off()
    handles = [Line2D([], [], color=c, linewidth=2, label=f"{e} edition") for e, c in EDITION_COLOURS.items()]
    handles += [Line2D([], [], color="black", linestyle=s, label=GAP_WORDS[gap]) for gap, s in GAP_STYLES.items()]
    handles.append(
        Line2D([], [], color="#666666", linestyle=":", label=f"Report's threshold ({100 * default_threshold:g}%)")
    )
    if gaps.groupby("edition")[["weighting", "population_source"]].nunique().max().max() > 1:
        handles.append(Line2D([], [], color="#888888", linewidth=0.6, label="Other weightings and population sources"))
    if spare:  # the legend in the first empty panel, where it crowds nothing
        spare[0].legend(handles=handles, loc="center", frameon=False, fontsize=9)
    else:
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 3), frameon=False)
    return fig


def ward_stability_chart(stability, editions):
    """Per edition: wards by the number of variants in which they are DDNs, split by the published 2019 list."""
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, len(editions), figsize=(5.6 * len(editions), 3.8), layout="constrained", squeeze=False)
    for ax, edition in zip(axes.flat, editions):
        total = int(stability[f"of_variants_{edition}"].max())
        counts = stability.groupby([f"ddn_variants_{edition}", "published_ddn"]).size().unstack(fill_value=0)
        counts = counts.reindex(range(1, total + 1), fill_value=0)
        published = counts.get(True, pd.Series(0, index=counts.index))
        others = counts.get(False, pd.Series(0, index=counts.index))
        ax.bar(counts.index, published, color=COLOURS["ddn"], label="On the published 2019 list")
        ax.bar(counts.index, others, bottom=published, color=COLOURS["other_deprived"], label="Not on it")
        ax.set(
            title=f"{edition} edition: {total} variants",
            xlabel=f"Number of variants (of {total}) in which the ward is a DDN",
            ylabel="Wards (2017 boundaries)",
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
    axes.flat[0].legend(frameon=False, loc="upper right")
    return fig


def industry_mix_chart(mix, labels):
    """Each industry section's share of the jobs located in DDN areas, other deprived areas and England, as
    grouped horizontal bars, largest sections (in England) at the top. mix: group, section, share."""
    from matplotlib.ticker import MultipleLocator

    shares = mix.pivot(index="section", columns="group", values="share")
    shares = shares.sort_values(ENGLAND)
    fig, ax = plt.subplots(figsize=(9, 9), layout="constrained")
    positions = np.arange(len(shares))
    height = 0.27
    for offset, group in zip((height, 0, -height), PUBLISHED_GROUPS):
        ax.barh(positions + offset, shares[group], height=height, color=COLOURS[group], label=LABELS[group])
    ax.set_yticks(positions, [textwrap.fill(labels.get(s, s), 56) for s in shares.index], fontsize=8.5)
    ax.xaxis.set_major_locator(MultipleLocator(0.02))
    ax.xaxis.set_major_formatter(percent_ticks())
    ax.set_xlabel("Share of the jobs located in the group's areas (workplace population, 2011)")
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="lower right")
    return fig


def areas_chart(table, labels, units, shown):
    """Your areas beside the groups: one panel per key indicator, each area a dot, the DDNs, other deprived areas
    and England as lines across. table: area_indicators.csv rows of the indicators shown (area, indicator, value and
    the groups' values); shown: the areas drawn, top to bottom."""
    indicators = list(dict.fromkeys(table["indicator"]))
    ncols = min(3, len(indicators))
    nrows = -(-len(indicators) // ncols)
    height = max(2.6, 0.3 * len(shown) + 1.2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, height * nrows), layout="constrained", squeeze=False)
    positions = {area: i for i, area in enumerate(reversed(shown))}
    for ax, indicator in zip(axes.flat, indicators):
        rows = table[(table["indicator"] == indicator) & table["area"].isin(positions)]
        ax.scatter(rows["value"], rows["area"].map(positions), color="black", s=28, zorder=3, label="Your area")
        first = rows.iloc[0] if len(rows) else None
        for group in PUBLISHED_GROUPS:
            if first is not None and pd.notna(first[group]):
                ax.axvline(first[group], color=COLOURS[group], linewidth=2, label=LABELS[group])
        ax.set_yticks(list(positions.values()), list(positions) if ax in axes[:, 0] else [])
        ax.set_ylim(-0.7, len(positions) - 0.3)
        ax.set_title(textwrap.fill(labels[indicator], 40), loc="left", fontsize=9)
        if units[indicator] == "share":
            ax.xaxis.set_major_formatter(percent_ticks())
        elif units[indicator] == "years":
            ax.set_xlabel("Years")
        ax.grid(axis="y", visible=False)
    for ax in list(axes.flat)[len(indicators) :]:
        ax.set_axis_off()
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=len(names), frameon=False)
    return fig
