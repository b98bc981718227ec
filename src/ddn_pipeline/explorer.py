"""The ward explorer: one offline HTML page (inline SVG map, inline script, no library, no tile server) where a
person finds a ward, sees its group on each DDN list and its profile beside the group values. Every number is
formatted here from the pipeline's tables; the page's script only shows, filters and sorts them."""

import json
from html import escape

import numpy as np
import shapely

from ddn_pipeline.groups import LABELS, LIST_COLUMNS
from ddn_pipeline.presentation import format_value
from ddn_pipeline.report import content_security_policy

PROFILE_INDICATORS = [
    "not_in_employment",
    "inactive",
    "unemployment_rate",
    "managerial_professional",
    "routine_manual",
    "no_qualifications",
    "bad_health",
    "e_withdrawn_lsoas",
    "income_deprived",
    "life_expectancy_male_2016_20",
]
LIST_LABELS = {
    "published": "DDNs 2019, published (OCSI/Local Trust)",
    "reproduced": "DDNs 2019, reproduced (ours)",
    "2025": "DDNs on the 2025 indices (ours)",
}
PRECISION = 10  # metres: coordinates are written in tens of metres


def svg_paths(geometries):
    """SVG paths of (multi)polygons in British National Grid, in tens of metres, north up: one per geometry, each
    ring a subpath that skips points repeating the one before (after rounding) and is left out if fewer than three
    remain. All rings at once: one call per step for the whole map, not per ward."""
    polygons, polygon_geometry = shapely.get_parts(np.asarray(geometries, dtype=object), return_index=True)
    rings, ring_polygon = shapely.get_rings(polygons, return_index=True)  # each polygon's exterior, then interiors
    coordinates, point_ring = shapely.get_coordinates(rings, return_index=True)
    xy = np.round(coordinates / PRECISION).astype(int)
    xy[:, 1] = -xy[:, 1]
    ring_start = np.concatenate([[True], point_ring[1:] != point_ring[:-1]])
    keep = ring_start | np.concatenate([[True], np.any(np.diff(xy, axis=0) != 0, axis=1)])
    xy, point_ring = xy[keep], point_ring[keep]
    kept = np.bincount(point_ring, minlength=len(rings))
    ends = np.cumsum(kept)
    flat = xy.ravel().tolist()  # Python ints: quicker to format
    paths = [[] for _ in range(len(geometries))]
    for ring, (count, end) in enumerate(zip(kept.tolist(), ends.tolist())):
        if count >= 3:
            subpath = "L".join(["%d %d"] * count) % tuple(flat[2 * (end - count) : 2 * end])
            paths[polygon_geometry[ring_polygon[ring]]].append(f"M{subpath}Z")
    return ["".join(parts) for parts in paths]


def bounds(geometry):
    minx, miny, maxx, maxy = shapely.bounds(geometry)
    return [round(minx / PRECISION), round(-maxy / PRECISION), round(maxx / PRECISION), round(-miny / PRECISION)]


def label_points(names, geometries):
    """[name, x, y] for each shape: a point inside it (shapely's point on surface), in the map's units."""
    points = shapely.point_on_surface(np.asarray(geometries, dtype=object))
    xy = np.round(shapely.get_coordinates(points) / PRECISION).astype(int)
    return [[name, x, -y] for name, (x, y) in zip(names, xy.tolist(), strict=True)]


def council_labels(wards, shape_of):
    """[council, x, y]: each council named at a point inside its largest ward (inside the council, which its
    bounding box's centre of a ragged council may not be)."""
    mapped = wards[wards["ward17_code"].isin(shape_of)]
    area = mapped["ward17_code"].map(lambda code: shape_of[code].area)
    largest = (
        mapped.assign(area=area.to_numpy()).sort_values(["lad_name", "area"]).drop_duplicates("lad_name", keep="last")
    )
    return label_points(largest["lad_name"].tolist(), [shape_of[code] for code in largest["ward17_code"]])


def rank_text(value):
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{int(value):,}"


def ward_records(wards, indicators, definitions):
    """One record per ward: names, groups on each list, ranks and the profile indicators, all as text.
    wards: the classification table merged with the 2025 table (ward17_code, names, ranks, groups, population);
    indicators: ward17_indicators.csv."""
    shown = [key for key in PROFILE_INDICATORS if key in definitions and key in indicators.columns]
    values = indicators.set_index("ward17_code")[shown].astype(float).to_dict("index")
    records = []
    for row in wards.itertuples():
        own = values.get(row.ward17_code)
        records.append(
            {
                "code": row.ward17_code,
                "name": row.ward17_name,
                "lad": row.lad_name,
                "region": row.region_name,
                "groups": {name: getattr(row, column, "") or "" for name, column in LIST_COLUMNS.items()},
                "published_ddn": bool(row.published_ddn),
                "reproduced_ddn": bool(row.reproduced_ddn),
                "facts": {
                    "Population (IoD2019 mid-2015)": format_value(row.population, "people"),
                    "Community Needs Index 2019 rank (1 = most need)": rank_text(row.cni_rank),
                    "Ward IMD 2019 score (higher = more deprived)": "–"
                    if np.isnan(row.imd_score)
                    else f"{row.imd_score:.2f}",
                    "Ward IMD 2019 rank (1 = most deprived)": rank_text(row.imd_rank),
                    "Ward IMD 2025 rank (1 = most deprived)": rank_text(getattr(row, "imd2025_rank", float("nan"))),
                    "Ward CNI 2023 rank (1 = most need)": rank_text(getattr(row, "cni2023_rank", float("nan"))),
                },
                "indicators": {
                    key: format_value(None if own is None else own[key], definitions[key]["unit"]) for key in shown
                },
            }
        )
    return records


def area_values(areas, definitions):
    """{level: {area: {indicator: text}}} for the council and region columns of a ward's profile (areas:
    council_region_indicators.csv)."""
    table = {}
    for row in areas[
        areas["level"].isin(["council", "region"]) & areas["indicator"].isin(PROFILE_INDICATORS)
    ].itertuples():
        unit = definitions[row.indicator]["unit"]
        table.setdefault(row.level, {}).setdefault(row.area, {})[row.indicator] = format_value(row.value, unit)
    return table


def group_values(groups, definitions):
    """{list: {indicator: {group: text}}} for the profile's comparison columns."""
    table = {}
    for row in groups.itertuples():
        if row.indicator in PROFILE_INDICATORS and row.group in ("ddn", "other_deprived", "england"):
            unit = definitions[row.indicator]["unit"]
            table.setdefault(str(row.ddn_list), {}).setdefault(row.indicator, {})[row.group] = format_value(
                row.value, unit
            )
    return table


def page(data, ward_paths, authority_paths, view_box):
    """The explorer page. data: the JSON the script reads; ward_paths: {code: path}; authority_paths: [path]."""
    wards_svg = "".join(
        f'<path id="w-{escape(code)}" data-code="{escape(code)}" d="{escape(d)}"/>' for code, d in ward_paths.items()
    )
    authorities_svg = "".join(f'<path d="{escape(d)}"/>' for d in authority_paths)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (
        TEMPLATE.replace("{{CSP}}", content_security_policy(SCRIPT))
        .replace("{{SCRIPT}}", SCRIPT)
        .replace("{{VIEWBOX}}", " ".join(map(str, view_box)))
        .replace("{{WARDS}}", wards_svg)
        .replace("{{AUTHORITIES}}", authorities_svg)
        .replace(
            "{{LEGEND}}",
            "".join(
                f'<li><span class="swatch {group}"></span>{label}</li>'
                for group, label in (
                    ("ddn", "DDN: doubly disadvantaged (most deprived 10% on both IMD and CNI)"),
                    ("other_deprived", "Other deprived (most deprived 10% on ward IMD)"),
                    ("rest_of_england", LABELS["rest_of_england"]),
                )
            ),
        )
        .replace("{{DATA}}", payload)  # last: nothing in the data is read as a placeholder
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{{CSP}}">
<title>Ward explorer: doubly disadvantaged neighbourhoods</title>
<style>
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1a1a1a; display: grid;
  grid-template-columns: 1fr min(620px, 46vw); grid-template-rows: auto 1fr; height: 100vh; }
header { grid-column: 1 / 3; padding: 8px 14px; border-bottom: 2px solid #0072B2; display: flex; gap: 14px;
  align-items: center; flex-wrap: wrap; }
header h1 { font-size: 1.1rem; margin: 0 12px 0 0; }
#map { width: 100%; height: 100%; background: #fafafa; cursor: grab; touch-action: none; }
#wards path { stroke: #ffffff; stroke-width: 0.4; vector-effect: non-scaling-stroke; }
#wards path.ddn { fill: url(#ddn-hatch); }  /* blue with white hatching: not colour alone */ #wards path.other_deprived { fill: #E69F00; }
#wards path.rest_of_england { fill: #e4e4e4; }
#wards path.only { stroke: #000; stroke-width: 1.6; }
#wards path.dim { opacity: 0.25; } #wards path.selected { stroke: #D55E00; stroke-width: 2.5; }
#wards path.outlined { stroke: #000; stroke-width: 2; stroke-dasharray: 4 2; }
#labels text { fill: #1a1a1a; paint-order: stroke; stroke: #fff; stroke-linejoin: round; text-anchor: middle;
  pointer-events: none; font-family: system-ui, sans-serif; }
#labels text.ward { fill: #444; font-style: italic; }
#scale { position: absolute; left: 10px; bottom: 10px; background: rgba(255,255,255,0.85); padding: 2px 6px;
  font-size: 12px; pointer-events: none; }
#scale span { display: inline-block; height: 4px; border: 1px solid #333; border-top: none; margin-right: 6px; }
#find-result ul { margin: 4px 0; padding-left: 18px; } #find-result button { font: inherit; text-align: left; }
#authorities path { fill: none; stroke: #555; stroke-width: 0.6; vector-effect: non-scaling-stroke; pointer-events: none; }
aside { overflow-y: auto; padding: 10px 14px; border-left: 1px solid #ddd; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; }
.swatch.ddn { background: repeating-linear-gradient(45deg, #0072B2 0 3px, #8cb9d9 3px 5px); } .swatch.other_deprived { background: #E69F00; } .swatch.rest_of_england { background: #e4e4e4; }
ul.legend { list-style: none; padding: 0; margin: 6px 0; }
#ddn-table th[aria-sort="ascending"]::after { content: " ▲"; }
#ddn-table th[aria-sort="descending"]::after { content: " ▼"; }
#tooltip { position: fixed; pointer-events: none; background: #fff; border: 1px solid #999; padding: 3px 6px;
  font-size: 12px; display: none; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 4px; text-align: left; }
td.n { text-align: right; white-space: nowrap; }
#ddn-table th { cursor: pointer; background: #f3f6f9; }
.map-wrap { position: relative; overflow: hidden; }
small.note { color: #555; }
#ddn-table-box, #profile { overflow-x: auto; }  /* a wide table scrolls in its own box */
/* phones: the map above the panel, each the full width, the page scrolling as a whole */
@media (max-width: 700px) {
  body { display: block; height: auto; }
  header { display: block; }
  header label { display: block; margin: 4px 0; }
  header input, header select { max-width: 100%; }
  .map-wrap { height: 70vh; }
  aside { border-left: none; border-top: 1px solid #ddd; overflow-y: visible; }
}
</style></head><body>
<header><h1>Ward explorer: doubly disadvantaged neighbourhoods</h1>
<label>List <select id="list"><option value="published">2019, published</option>
<option value="reproduced">2019, reproduced</option><option value="2025">2025 indices</option></select></label>
<label>Find <input id="search" list="names" placeholder="ward, council, region or ward code" size="26"></label>
<datalist id="names"></datalist>
<label>Region <select id="region"><option value="">All of England</option></select></label>
<button id="reset" type="button">Reset view</button>
<span id="counts" aria-live="polite"></span></header>
<div class="map-wrap"><svg id="map" viewBox="{{VIEWBOX}}" role="img" tabindex="0"
aria-label="Map of England's wards: + and - zoom, the arrow keys pan, 0 resets">
<defs><pattern id="ddn-hatch" patternUnits="userSpaceOnUse" width="60" height="60" patternTransform="rotate(45)">
<rect width="60" height="60" fill="#0072B2"/><line x1="0" y1="0" x2="0" y2="60" stroke="#ffffff" stroke-width="14"
stroke-opacity="0.55"/></pattern></defs><g id="wards">{{WARDS}}</g><g id="authorities">{{AUTHORITIES}}</g><g id="labels"></g></svg><div id="tooltip"></div>
<div id="scale" aria-hidden="true"></div></div>
<aside><ul class="legend">{{LEGEND}}</ul>
<small class="note" id="list-note"></small>
<div id="find-result" aria-live="polite"></div>
<section id="profile"><p>Click a ward, or find one by name, to see its profile.</p></section>
<section id="your-areas" hidden></section>
<h2 style="font-size:1rem">The DDNs of this list (and region)</h2>
<p><a id="download" download="ddns.csv" href="#">Download the table (CSV)</a></p>
<div id="ddn-table-box"><table id="ddn-table"><thead><tr><th data-key="name">Ward</th><th data-key="lad">Local authority</th>
<th data-key="region">Region</th></tr></thead><tbody></tbody></table></div>
<p><small class="note">Sources: OCSI for Local Trust (CNI 2019, 2023; published DDN list); MHCLG (IoD 2019, 2025); ONS Census 2021
and Open Geography boundaries, Open Government Licence v3.0, contains OS data © Crown copyright and database right 2019.
Built by ddn-pipeline; every number comes from its tables.</small></p></aside>
<script id="data" type="application/json">{{DATA}}</script>
<script>{{SCRIPT}}</script></body></html>
"""

SCRIPT = """
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const byCode = new Map(data.wards.map(w => [w.code, w]));
const svg = document.getElementById("map");
const paths = new Map([...document.querySelectorAll("#wards path")].map(p => [p.dataset.code, p]));
const listSelect = document.getElementById("list"), regionSelect = document.getElementById("region");
let view = svg.getAttribute("viewBox").split(" ").map(Number), sortKey = "name", sortUp = true, selected = null, outlined = new Set();

function setView(box) { view = box; svg.setAttribute("viewBox", box.join(" ")); label(); scale(); }
// names on the map, drawn for the view: councils once zoomed in, wards closer still (the few in view)
function label() {
  const zoom = data.view[2] / view[2], size = view[2] / 70;
  const inView = ([, x, y]) => x > view[0] && x < view[0] + view[2] && y > view[1] && y < view[1] + view[3];
  const councils = zoom >= 3 ? (data.council_labels || []).filter(inView) : [];
  const wards = zoom >= 12 ? (data.ward_labels || []).filter(inView).slice(0, 300) : [];
  const text = (cls, scaleBy) => ([name, x, y]) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", "text");  // an SVG element, its name as text
    for (const [key, value] of Object.entries({ x, y, class: cls, "font-size": size * scaleBy, "stroke-width": size * scaleBy / 4 })) node.setAttribute(key, value);
    node.textContent = name;
    return node;
  };
  const layer = document.getElementById("labels");
  layer.replaceChildren();
  // councils first, then wards; a name that would overlap one already drawn is left out, so every name shown is legible
  const kept = [];
  for (const node of [...councils.map(text("council", 1)), ...wards.map(text("ward", 0.75))]) {
    layer.append(node);
    const b = node.getBBox();
    if (kept.some(k => b.x < k.x + k.width && k.x < b.x + b.width && b.y < k.y + k.height && k.y < b.y + b.height)) node.remove();
    else kept.push(b);
  }
}
function scale() {
  const box = svg.getBoundingClientRect();
  if (!box.width) return;
  const metresPerPixel = view[2] * 10 / box.width;  // the map's units are tens of metres
  const km = [0.5, 1, 2, 5, 10, 20, 50, 100, 200].find(k => k * 1000 / metresPerPixel >= 60) || 200;
  const bar = el("span", { style: `width:${Math.round(km * 1000 / metresPerPixel)}px` });
  document.getElementById("scale").replaceChildren(bar, `${km} km`);
}
function zoomTo(b, margin = 0.08) {
  const pad = Math.max(b[2] - b[0], b[3] - b[1]) * margin + 100;
  setView([b[0] - pad, b[1] - pad, b[2] - b[0] + 2 * pad, b[3] - b[1] + 2 * pad]);
}
function paint() {
  const list = listSelect.value, region = regionSelect.value;
  for (const [code, path] of paths) {
    const w = byCode.get(code);
    path.setAttribute("class", w.groups[list] || "rest_of_england");
    if (list === "reproduced" && w.published_ddn !== w.reproduced_ddn) path.classList.add("only");
    if (region && w.region !== region) path.classList.add("dim");
    if (outlined.has(code)) path.classList.add("outlined");
  }
  const c = data.counts[list];
  const inRegion = region ? data.wards.filter(w => w.region === region) : [];
  const count = g => region ? inRegion.filter(w => w.groups[list] === g).length : c[g];
  document.getElementById("counts").textContent =
    `${count("ddn")} DDNs, ${count("other_deprived")} other deprived wards in ${region || "England"}`;
  document.getElementById("list-note").textContent = data.lists[list] +
    (list === "reproduced" ? " Black outline: on one list only (published or reproduced)." : "") +
    (list === "2025" ? " CNI 2023 is not directly comparable with CNI 2019; ward 2025 scores are means of LSOA scores." : "");
  table();
  if (selected) select(selected, false);  // the profile compares with the chosen list's groups
}
function table() {
  const list = listSelect.value;
  const region = regionSelect.value;
  const rows = data.wards.filter(w => w.groups[list] === "ddn" && (!region || w.region === region))
    .sort((a, b) => (sortUp ? 1 : -1) * a[sortKey].localeCompare(b[sortKey]));
  const body = document.querySelector("#ddn-table tbody");
  body.replaceChildren(...rows.map(w => {
    const tr = document.createElement("tr");
    for (const k of ["name", "lad", "region"]) { const td = document.createElement("td"); td.textContent = w[k]; tr.append(td); }
    tr.tabIndex = 0;  // the keyboard's way to a ward: Tab to its row, Enter
    tr.addEventListener("click", () => select(w.code, true));
    tr.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(w.code, true); } });
    return tr;
  }));
  document.getElementById("download").href = csvUri(["ward17_code", "ward17_name", "lad_name", "region_name"],
    rows.map(w => [w.code, w.name, w.lad, w.region]));
}
function csvUri(header, rows) {
  const quote = s => '"' + String(s).replace(/"/g, '""') + '"';
  const csv = [header.join(","), ...rows.map(r => r.map(quote).join(","))].join("\\n") + "\\n";
  return "data:text/csv;charset=utf-8," + encodeURIComponent(csv);
}
function el(tag, attributes, ...children) {
  // data are only ever text: nodes and attributes, never markup
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
function row(cells) { return el("tr", {}, ...cells.map(([text, cls]) => el("td", cls ? { class: cls } : {}, text))); }
function select(code, zoom) {
  const w = byCode.get(code);
  selected = code;
  remember();
  document.querySelectorAll("#wards path.selected").forEach(p => p.classList.remove("selected"));
  const path = paths.get(code);
  if (path) { path.classList.add("selected"); if (zoom) zoomTo(data.bounds[code], 1.2); }  // with its neighbours
  const list = listSelect.value, groups = data.group_values[list] || {};
  const facts = Object.entries(w.facts).map(([k, v]) => row([[k], [v, "n"]]));
  const lists = Object.entries(data.lists).map(([k, v]) => row([[v], [data.group_labels[w.groups[k]] || "–"]]));
  const council = (data.area_values.council || {})[w.lad] || {}, region = (data.area_values.region || {})[w.region] || {};
  const compared = k => {
    const g = groups[k] || {};
    return [council[k] || "–", region[k] || "–", g.england || "–", g.ddn || "–", g.other_deprived || "–"];
  };
  const rows = Object.entries(w.indicators).map(([k, v]) => {
    const tr = row([[data.labels[k]], [v, "n ward"], ...compared(k).map(text => [text, "n"])]);
    tr.dataset.indicator = k;
    return tr;
  });
  const columns = ["Indicator", "This ward", `Its council (${w.lad})`, `Its region (${w.region})`, "England", "DDNs", "Other deprived"];
  const head = el("thead", {}, el("tr", {}, ...columns.map(t => el("th", {}, t))));
  document.getElementById("profile").replaceChildren(
    el("h2", { style: "font-size:1.05rem", "data-code": w.code }, w.name),
    el("p", {}, `${w.lad}, ${w.region}`),
    ...(paths.has(w.code) ? [] : [el("p", { class: "note" }, "Not on the map: no LSOA falls in this ward in ONS's " +
      "best-fit lookup, so it has no boundary here and no measures (its indicators show –).")]),
    el("table", {}, ...facts),
    el("p", { class: "note" }, "Ward IMD ranks are ours, rebuilt from LSOA scores; OCSI's ward IMD, which made the " +
      "published list, is unpublished, so a few published DDNs rank just outside our 10%."),
    el("h3", { style: "font-size:0.95rem" }, "On each list"),
    el("table", {}, ...lists),
    el("h3", { style: "font-size:0.95rem" }, "Compared with its council, its region, England and the groups of the chosen list"),
    el("table", {}, head, el("tbody", {}, ...rows)),
    el("p", {}, el("a", { id: "profile-download", download: `${w.code}_profile.csv`, href: csvUri(
      ["ward17_code", "ward17_name", "council", "region", "list", "indicator", "unit", "this_ward", "its_council",
        "its_region", "england", "ddn", "other_deprived"],
      Object.entries(w.indicators).map(([k, v]) => [w.code, w.name, w.lad, w.region, data.lists[list], data.labels[k],
        unitOf(v), numberOf(v), ...compared(k).map(numberOf)])) }, "Download this ward's profile (CSV)")));
}
// a shown value as a spreadsheet reads it: the number as shown, its unit in a column of its own
const numberOf = text => text === "–" ? "" : text.replace(/,/g, "").replace(/%$| years$/, "");
const unitOf = text => text.endsWith("%") ? "%" : text.endsWith(" years") ? "years" : "";
const wardLabel = w => `${w.name}, ${w.lad}`;
function boxOf(wards) {
  const b = wards.map(w => data.bounds[w.code]);
  return [Math.min(...b.map(x => x[0])), Math.min(...b.map(x => x[1])), Math.max(...b.map(x => x[2])), Math.max(...b.map(x => x[3]))];
}
function showFound(message, wards) {
  const choices = wards.map(w => {
    const button = el("button", { type: "button" }, wardLabel(w));
    button.addEventListener("click", () => select(w.code, true));
    return el("li", {}, button);
  });
  const result = document.getElementById("find-result");
  result.replaceChildren(message, ...(choices.length ? [el("ul", {}, ...choices)] : []));
  if (message) result.scrollIntoView({ block: "nearest" });  // on a phone the answer is below the map
}
function outline(codes) {
  outlined = codes;
  for (const [code, path] of paths) path.classList.toggle("outlined", codes.has(code));
}
function find(text) {
  const typed = text.trim(), q = typed.toLowerCase();
  if (!q) return;
  outline(new Set());
  const exact = data.wards.filter(w => wardLabel(w).toLowerCase() === q || w.code.toLowerCase() === q);
  if (exact.length === 1) { showFound("", []); select(exact[0].code, true); return; }
  // a council, a region or one of your areas, named in full, before any ward that happens to share its name
  const council = data.wards.filter(w => w.lad.toLowerCase() === q);
  const region = council.length ? [] : data.wards.filter(w => w.region.toLowerCase() === q);
  const yours = Object.keys(data.your_areas || {}).find(name => name.toLowerCase() === q);
  const area = council.length ? council : region.length ? region : yours ? data.your_areas[yours].map(c => byCode.get(c)) : [];
  if (area.length) {
    outline(new Set(area.map(w => w.code)));
    const mapped = area.filter(w => data.bounds[w.code]);
    if (mapped.length) zoomTo(boxOf(mapped));
    const where = council.length ? area[0].lad : region.length ? area[0].region : yours;
    showFound(`${area.length} wards in ${where} (outlined on the map):`, area);
    return;
  }
  const named = data.wards.filter(w => w.name.toLowerCase() === q);
  const wards = named.length ? named : data.wards.filter(w => w.name.toLowerCase().startsWith(q));
  if (wards.length === 1) { showFound("", []); select(wards[0].code, true); return; }
  if (wards.length > 1) {
    showFound(named.length ? `${wards.length} wards are called “${typed}”: which one?`
      : `${wards.length} ward names begin “${typed}”: which one?`, wards);
    return;
  }
  showFound(`No ward or council called “${typed}”.`, []);
}
document.getElementById("names").replaceChildren(...[...new Set([...data.wards.map(wardLabel), ...data.wards.map(w => w.lad),
  ...data.wards.map(w => w.region), ...Object.keys(data.your_areas || {})])].sort().map(n => Object.assign(document.createElement("option"), { value: n })));
regionSelect.append(...[...new Set(data.wards.map(w => w.region))].sort().map(r => Object.assign(document.createElement("option"), { value: r, textContent: r })));
listSelect.addEventListener("change", () => { paint(); remember(); });
regionSelect.addEventListener("change", () => {
  paint();
  remember();
  const inRegion = data.wards.filter(w => w.region === regionSelect.value && data.bounds[w.code]);
  if (inRegion.length) zoomTo(boxOf(inRegion));
  else setView(data.view);
});
// the view in the address (#ward=...&list=...&region=...): a link opens it, and the back button goes back
function stateHash() {
  const state = new URLSearchParams();
  if (selected) state.set("ward", selected);
  state.set("list", listSelect.value);
  if (regionSelect.value) state.set("region", regionSelect.value);
  return "#" + state.toString();
}
function remember() { if (location.hash !== stateHash()) location.hash = stateHash(); }
function restore() {
  const state = new URLSearchParams(location.hash.slice(1));
  const list = state.get("list"), region = state.get("region"), ward = state.get("ward");
  listSelect.value = list && data.lists[list] ? list : "published";
  regionSelect.value = [...regionSelect.options].some(o => o.value === region) ? region : "";
  selected = ward && byCode.has(ward) ? ward : null;
  paint();
  if (selected) select(selected, true);
}
window.addEventListener("hashchange", restore);
document.getElementById("reset").addEventListener("click", () => setView(data.view));
// keyboard: + and - zoom, the arrows pan, 0 resets (the map takes the focus with Tab)
svg.addEventListener("keydown", e => {
  const step = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[e.key];
  const zoom = { "+": 0.8, "=": 0.8, "-": 1.25, "_": 1.25 }[e.key];
  if (step) setView([view[0] + step[0] * view[2], view[1] + step[1] * view[3], view[2], view[3]]);
  else if (zoom) setView([view[0] + view[2] * (1 - zoom) / 2, view[1] + view[3] * (1 - zoom) / 2, view[2] * zoom, view[3] * zoom]);
  else if (e.key === "0" || e.key === "Home") setView(data.view);
  else return;
  e.preventDefault();
});
const search = document.getElementById("search");
search.addEventListener("change", () => find(search.value));
search.addEventListener("keydown", e => { if (e.key === "Enter") find(search.value); });
document.querySelectorAll("#ddn-table th").forEach(th => th.addEventListener("click", () => {
  sortUp = sortKey === th.dataset.key ? !sortUp : true; sortKey = th.dataset.key; table();
  // the sorted column says so, to the eye (an arrow) and to a screen reader (aria-sort)
  document.querySelectorAll("#ddn-table th").forEach(other => other.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", sortUp ? "ascending" : "descending");
}));
const tooltip = document.getElementById("tooltip");
svg.addEventListener("mousemove", e => {
  const code = e.target.dataset && e.target.dataset.code;
  if (!code) { tooltip.style.display = "none"; return; }
  const w = byCode.get(code);
  tooltip.textContent = `${w.name}, ${w.lad}`;
  Object.assign(tooltip.style, { display: "block", left: e.clientX + 12 + "px", top: e.clientY + 12 + "px" });
});
svg.addEventListener("click", e => { if (e.target.dataset && e.target.dataset.code && !dragged) select(e.target.dataset.code, false); });
svg.addEventListener("wheel", e => {
  e.preventDefault();
  const r = svg.getBoundingClientRect(), f = e.deltaY > 0 ? 1.25 : 0.8;
  const x = view[0] + (e.clientX - r.left) / r.width * view[2], y = view[1] + (e.clientY - r.top) / r.height * view[3];
  setView([x - (x - view[0]) * f, y - (y - view[1]) * f, view[2] * f, view[3] * f]);
}, { passive: false });
// one finger or the mouse drags the map; two fingers pinch it (pointer events: mouse, touch and pen alike)
let drag = null, dragged = false, pinch = null;
const pointers = new Map();
function gesture() {
  const [a, b] = [...pointers.values()];
  return { mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], span: Math.hypot(a[0] - b[0], a[1] - b[1]) || 1 };
}
svg.addEventListener("pointerdown", e => {
  pointers.set(e.pointerId, [e.clientX, e.clientY]);
  if (pointers.size === 1) { drag = [e.clientX, e.clientY, view.slice()]; dragged = false; }
  if (pointers.size === 2) { drag = null; pinch = { ...gesture(), view: view.slice() }; dragged = true; }
});
window.addEventListener("pointerup", e => { pointers.delete(e.pointerId); drag = null; if (pointers.size < 2) pinch = null; });
window.addEventListener("pointercancel", e => { pointers.delete(e.pointerId); drag = null; pinch = null; });
window.addEventListener("pointermove", e => {
  if (!pointers.has(e.pointerId)) return;
  pointers.set(e.pointerId, [e.clientX, e.clientY]);
  const r = svg.getBoundingClientRect();
  if (pinch && pointers.size === 2) {
    const now = gesture(), f = pinch.span / now.span, v = pinch.view;
    const x = v[0] + (pinch.mid[0] - r.left) / r.width * v[2], y = v[1] + (pinch.mid[1] - r.top) / r.height * v[3];
    setView([x - (now.mid[0] - r.left) / r.width * v[2] * f, y - (now.mid[1] - r.top) / r.height * v[3] * f, v[2] * f, v[3] * f]);
    return;
  }
  if (!drag) return;
  const dx = (e.clientX - drag[0]) / r.width * drag[2][2], dy = (e.clientY - drag[1]) / r.height * drag[2][3];
  if (Math.abs(dx) + Math.abs(dy) > 1) dragged = true;
  setView([drag[2][0] - dx, drag[2][1] - dy, drag[2][2], drag[2][3]]);
});
// your areas (config areas): a table of their key values; an area of wards outlines them when chosen
function yourAreas() {
  const rows = data.your_area_rows || [];
  if (!rows.length) return;
  const keys = Object.keys(rows[0].values);
  const head = el("tr", {}, ...["Area", "Made of", "People", ...keys.map(k => data.labels[k])].map(t => el("th", {}, t)));
  const body = rows.map(a => {
    const tr = row([[a.name], [a.made_of], [a.people, "n"], ...keys.map(k => [a.values[k] || "–", "n"])]);
    if (a.wards) {
      tr.tabIndex = 0;
      tr.addEventListener("click", () => find(a.name));
      tr.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); find(a.name); } });
    }
    return tr;
  });
  const section = document.getElementById("your-areas");
  section.replaceChildren(el("h2", { style: "font-size:1rem" }, "Your areas"),
    el("p", { class: "note" }, "Each indicator pooled over the area's own codes (the report has every indicator). " +
      "An area of wards outlines them on the map when chosen."),
    el("div", { style: "overflow-x:auto" }, el("table", { id: "your-areas-table" }, el("thead", {}, head), el("tbody", {}, ...body))));
  section.hidden = false;
}
yourAreas();
if (location.hash) restore(); else paint();
window.addEventListener("resize", scale);
label();
scale();
document.body.dataset.ready = "true";
"""
