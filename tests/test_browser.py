"""The pages people open, in a real browser: Debian's chromium, headless, driven by Playwright, offline.

Each page must load from disk with no console error and no request leaving the machine. Screenshots go to
screenshots/ (git-ignored), for a person to look at."""

import pandas as pd
import pytest
from conftest import LOCAL, SCREENSHOTS, open_offline

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def check_page(browser, path, name):
    page, errors, requests = open_offline(browser, path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    assert errors == [], f"{name}: console errors {errors}"
    remote = [url for url in requests if not url.startswith(LOCAL)]
    assert remote == [], f"{name}: requests off the machine {remote}"
    return page


def test_report_opens_on_the_findings(browser, mirror_run):
    page = check_page(browser, mirror_run / "results" / "report.html", "report")
    assert page.locator("header ol.findings li").count() in range(5, 8)
    assert "219 of 225" in page.locator("#findings").inner_text()
    headline = page.locator("#findings-table table")
    header = headline.locator("thead").inner_text()
    assert "Published figure or claim" in header and "Verdict" in header and "Why" in header
    numbers = pd.read_csv(mirror_run / "results" / "benchmark" / "published_numbers.csv")
    assert headline.locator("tbody tr").count() == len(numbers)
    assert "nan" not in headline.inner_text().split()


@pytest.mark.parametrize("width", [1400, 390])
def test_report_fits_the_screen_and_its_figures_open_full_size(browser, mirror_run, width):
    """Nothing of the page is wider than the window; a table wider than its box scrolls inside it with its header
    in view; at 1,400 px the findings table's last column (Why) is inside its box; a figure opens full size on tap."""
    page, errors, _ = open_offline(browser, mirror_run / "results" / "report.html", width=width)
    assert errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = page.locator(".scroll")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        style = box.evaluate("b => getComputedStyle(b).overflowX")
        wider = box.evaluate("b => b.scrollWidth > b.clientWidth")
        assert style == "auto" or not wider, f"table {i} is cut off at {width} px"
    page.locator("#findings-table").scroll_into_view_if_needed()
    findings = page.locator("#findings-table .scroll")
    box = findings.bounding_box()
    if width >= 700:
        findings.evaluate("b => { b.scrollTop = 400; }")
        header = page.locator("#findings-table thead th").last
        cell = header.bounding_box()
        assert header.inner_text() == "Why" and cell["y"] >= box["y"] - 1  # the header stays in view as it scrolls
        assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1
    else:  # each row a card, each value labelled with its column
        why = page.locator("#findings-table tbody tr").first.locator("td").last
        label = why.evaluate("c => getComputedStyle(c, '::before').content")
        cell = why.bounding_box()
        assert label == '"Why: "' and cell["x"] + cell["width"] <= box["x"] + box["width"] + 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"report_findings_{width}.png"))
    chart = page.locator("figure.chart").first
    chart.locator("a.enlarge").click()
    opened = chart.bounding_box()
    assert opened["width"] >= width - 20 and opened["y"] <= 1  # over the whole window
    natural = chart.locator("img").evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
    assert natural[1] == pytest.approx(natural[0], abs=1)  # at full size, not shrunk to the window
    chart.locator("a.close").click()
    assert chart.bounding_box()["width"] < width


def test_report_shows_the_sweep_and_the_industry_mix(browser, mirror_run):
    page = check_page(browser, mirror_run / "results" / "report.html", "report_robustness")
    sweep = page.locator("#robustness")
    assert "keeps its sign at every threshold" in sweep.inner_text()
    assert "depend on the 10% cut" in sweep.inner_text()
    images = sweep.locator("img")
    assert images.count() == 2 and images.first.evaluate("image => image.naturalWidth") > 0
    claims = pd.read_csv(mirror_run / "results" / "sweep" / "threshold" / "claims_summary_readable.csv")
    assert sweep.locator("table").first.locator("tbody tr").count() == len(claims)
    jobs = page.locator("#jobs")
    assert jobs.locator("img").evaluate("image => image.naturalWidth") > 0
    assert "Manufacturing" in jobs.locator("table").inner_text()


@pytest.mark.parametrize("name", ["classification", "benchmark"])
def test_notebook_pages_load_offline(browser, mirror_run, name):
    page = check_page(browser, mirror_run / "results" / "notebooks" / f"{name}.html", f"notebook_{name}")
    text = page.inner_text("body")
    assert "Traceback" not in text and "/tmp/" not in text  # no machine paths in the parameters


def explorer(browser, mirror_run):
    page, errors, requests = open_offline(browser, mirror_run / "results" / "explorer" / "index.html")
    page.wait_for_selector("body[data-ready=true]")
    return page, errors, requests


def test_explorer_loads_offline_with_every_ward(browser, mirror_run):
    page, errors, requests = explorer(browser, mirror_run)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "explorer_england.png"))
    assert errors == [] and [url for url in requests if not url.startswith(LOCAL)] == []
    shapes = pd.read_parquet(mirror_run / "results" / "geography" / "ward17_boundaries.parquet")
    assert page.locator("#wards path").count() == len(shapes)
    assert page.inner_text("#counts") == "225 DDNs, 523 other deprived wards in England"
    page.select_option("#region", "North East")
    page.screenshot(path=str(SCREENSHOTS / "explorer_north_east.png"))
    assert page.locator("#wards path.dim").count() > 6_000


def test_explorer_finds_a_ward_and_shows_the_pipelines_numbers(browser, mirror_run):
    from ddn_pipeline.presentation import format_value

    page, errors, _ = explorer(browser, mirror_run)
    page.fill("#search", "Easington")
    page.press("#search", "Enter")
    heading = page.locator("#profile h2")
    code = heading.get_attribute("data-code")
    page.screenshot(path=str(SCREENSHOTS / "explorer_ward_profile.png"))
    assert heading.inner_text() == "Easington" and errors == []
    results = mirror_run / "results"
    wards = pd.read_csv(results / "indicators" / "ward17_indicators.csv").set_index("ward17_code")
    units = pd.read_csv(results / "indicators" / "indicator_dictionary.csv").set_index("indicator")["unit"]
    shown = page.locator("#profile tr[data-indicator]")
    assert shown.count() >= 9
    for index in range(shown.count()):
        row = shown.nth(index)
        indicator = row.get_attribute("data-indicator")
        expected = format_value(float(wards.loc[code, indicator]), units[indicator])
        assert row.locator("td.ward").inner_text() == expected, indicator
    groups = pd.read_parquet(results / "classification" / "ward17_groups.parquet").set_index("ward17_code")
    assert f"{int(groups.loc[code, 'cni_rank']):,}" in page.inner_text("#profile")

    # its council and its region, pooled over their wards, as the pipeline's table has them; and England's
    areas = pd.read_csv(results / "indicators" / "council_region_indicators.csv")
    places = {"council": groups.loc[code, "lad_name"], "region": groups.loc[code, "region_name"], "england": "England"}
    headers = page.locator("#profile thead th").all_inner_texts()
    assert headers[2:5] == [f"Its council ({places['council']})", f"Its region ({places['region']})", "England"]
    for index in range(shown.count()):
        row = shown.nth(index)
        indicator = row.get_attribute("data-indicator")
        cells = row.locator("td").all_inner_texts()
        for column, (level, place) in enumerate(places.items(), start=2):
            value = areas.query("level == @level and area == @place and indicator == @indicator")["value"].item()
            assert cells[column] == format_value(float(value), units[indicator]), (indicator, level)


def test_explorer_lists_counts_table_and_csv(browser, mirror_run):
    import urllib.parse

    page, _, _ = explorer(browser, mirror_run)
    link = page.get_attribute("#download", "href")
    csv = urllib.parse.unquote(link.split(",", 1)[1])
    assert len(csv.strip().splitlines()) - 1 == 225
    page.click("#ddn-table th[data-key=lad]")
    authorities = page.locator("#ddn-table tbody tr td:nth-child(2)").all_inner_texts()
    assert authorities == sorted(authorities)
    assert page.get_attribute("#ddn-table th[data-key=lad]", "aria-sort") == "ascending"
    page.click("#ddn-table th[data-key=lad]")
    assert page.locator("#ddn-table tbody tr td:nth-child(2)").all_inner_texts() == sorted(authorities, reverse=True)
    assert page.get_attribute("#ddn-table th[data-key=lad]", "aria-sort") == "descending"
    edition = pd.read_csv(mirror_run / "results" / "classification" / "ward17_ddn_2019_vs_2025.csv")
    page.select_option("#list", "2025")
    counts = edition["group_2025"].value_counts()
    assert (
        page.inner_text("#counts")
        == f"{counts['ddn']} DDNs, {counts['other_deprived']} other deprived wards in England"
    )
    assert page.locator("#ddn-table tbody tr").count() == counts["ddn"]
    # a region's counts are its own, as the classification's table has them
    page.select_option("#region", "North East")
    north_east = edition[edition["region_name"] == "North East"]["group_2025"].value_counts()
    assert page.inner_text("#counts") == (
        f"{north_east['ddn']} DDNs, {north_east['other_deprived']} other deprived wards in North East"
    )


def test_explorer_on_a_phone_has_a_full_width_map_and_no_sideways_scroll(browser, mirror_run):
    page, errors, requests = open_offline(browser, mirror_run / "results" / "explorer" / "index.html", width=390)
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#search", "Longdendale")
    page.press("#search", "Enter")
    page.wait_for_selector("#profile h2[data-code]")
    assert page.locator("#map").bounding_box()["width"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "explorer_phone.png"), full_page=True)
    assert errors == [] and [r for r in requests if not r.startswith(LOCAL)] == []
