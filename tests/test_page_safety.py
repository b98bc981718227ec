"""Pages show data as text, never run it: ward and council names that carry HTML and script, in the explorer and
the report, built from a small synthetic fixture and opened in Debian's chromium (offline)."""

import pytest
from conftest import LOCAL, open_offline

from ddn_pipeline import report
from ddn_pipeline.explorer import page as explorer_page

pytestmark = pytest.mark.browser

WARD = '"><img src=x onerror=alert(2)>'
COUNCIL = "Tame<img src=x onerror=alert(5)>side"
OTHER = "Ordinary ward</script><script>alert(3)</script>"


def ward(code, name, group):
    return {
        "code": code,
        "name": name,
        "lad": COUNCIL,
        "region": "North West<svg onload=alert(7)>",
        "groups": {"published": group, "reproduced": group, "2025": group},
        "published_ddn": group == "ddn",
        "reproduced_ddn": group == "ddn",
        "facts": {"Population<b onmouseover=alert(8)>": "7,569"},
        "indicators": {"not_in_employment": "51.1%"},
    }


def explorer_data():
    wards = [ward("E05000001", WARD, "ddn"), ward("E05000002", OTHER, "ddn")]
    return {
        "wards": wards,
        "bounds": {"E05000001": [0, 0, 1, 1], "E05000002": [1, 0, 2, 1]},
        "view": [0, 0, 2, 1],
        "counts": {name: {"ddn": 2, "other_deprived": 0} for name in ("published", "reproduced", "2025")},
        "lists": {"published": "2019, published", "reproduced": "2019, reproduced", "2025": "2025 indices"},
        "group_labels": {"ddn": "DDN"},
        "group_values": {"published": {"not_in_employment": {"ddn": "47.9%", "england": "42.6%"}}},
        "area_values": {
            "council": {COUNCIL: {"not_in_employment": "45.0%"}},
            "region": {"North West<svg onload=alert(7)>": {"not_in_employment": "44.0%"}},
        },
        "labels": {"not_in_employment": "Not in employment<img src=x onerror=alert(9)>"},
    }


def opened(browser, path, width=1366):
    page, errors, requests = open_offline(browser, path, width=width)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, errors, requests, dialogs


def two_ward_explorer(browser, tmp_path, data=None, width=1366):
    """The explorer built from explorer_data() (or data) on two small square wards, opened and ready."""
    path = tmp_path / "explorer.html"
    paths = {"E05000001": "M0 0L1 0L1 1Z", "E05000002": "M1 0L2 0L2 1Z"}
    page_html = explorer_page(data or explorer_data(), paths, ["M0 0L2 0L2 1Z"], [0, 0, 2, 1])
    path.write_text(page_html, encoding="utf-8")
    opened_page = opened(browser, path, width=width)
    opened_page[0].wait_for_selector("body[data-ready='true']")
    return opened_page


def test_the_explorer_shows_hostile_names_as_text(browser, tmp_path):
    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path)
    for row in range(2):  # each ward's profile, from the table of DDNs
        page.locator("#ddn-table tbody tr").nth(row).click()
        page.wait_for_timeout(200)
        shown = page.locator("#profile").inner_text()
        assert COUNCIL in shown and "Population<b onmouseover=alert(8)>" in shown
        assert page.locator("#profile img, #profile svg, #profile script, #profile b").count() == 0
    assert WARD in page.locator("#ddn-table").inner_text() and OTHER in page.locator("#ddn-table").inner_text()
    page.locator("#wards path[data-code='E05000001']").dispatch_event("mousemove", {"clientX": 5, "clientY": 5})
    assert page.locator("#tooltip").inner_text() == f"{WARD}, {COUNCIL}"
    assert dialogs == [] and [r for r in requests if not r.startswith(LOCAL)] == []
    assert not [e for e in errors if "Content Security Policy" not in e], errors


def test_the_report_shows_hostile_names_as_text_and_runs_no_script(browser, tmp_path):
    import pandas as pd

    table = pd.DataFrame({"Ward": [WARD, OTHER], "Local authority": [COUNCIL, COUNCIL]})
    body = report.table(table, f"DDNs of {COUNCIL}", csv_name="ddns.csv", csv_text=table.to_csv(index=False))
    # the lead and the footer are HTML, as the sections are: text reaches them through report.escape
    lead, footer = report.escape(f"Lead {COUNCIL}"), report.escape(f"Footer {WARD}")
    html = report.page(f"Report {WARD}", lead, [("wards", f"Wards {OTHER}", body)], footer)
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page, errors, requests, dialogs = opened(browser, path)
    page.wait_for_load_state("load")
    page.mouse.move(10, 10)
    text = page.locator("body").inner_text()
    assert WARD in text and COUNCIL in text and OTHER in text
    assert page.locator("main img, main svg, main script, main b").count() == 0
    assert page.evaluate("document.scripts.length") == 0
    assert dialogs == [] and [r for r in requests if not r.startswith(LOCAL)] == []
    assert errors == [], errors


def test_the_profile_follows_a_switch_of_list(browser, tmp_path):
    """A ward's profile compares it with the groups of the chosen list, right after every switch."""
    data = explorer_data()
    data["group_values"]["2025"] = {"not_in_employment": {"ddn": "48.6%", "england": "42.6%"}}
    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path, data)
    page.locator("#ddn-table tbody tr").first.click()
    ddn_cell = page.locator("tr[data-indicator='not_in_employment'] td").nth(
        5
    )  # the DDN column, after the ward, its council, its region and England
    assert ddn_cell.inner_text() == "47.9%"
    page.select_option("#list", "2025")
    assert ddn_cell.inner_text() == "48.6%"
    page.select_option("#list", "published")
    assert ddn_cell.inner_text() == "47.9%"
    assert errors == [] and dialogs == []


def test_on_a_phone_the_map_is_full_width_and_nothing_overflows(browser, tmp_path):
    """At 390 px the map stacks above the panel at full width, and the page never scrolls sideways."""
    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path, width=390)
    page.locator("#ddn-table tbody tr").first.click()
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] >= 300 and map_box["height"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    aside = page.locator("aside").bounding_box()
    assert aside["y"] >= map_box["y"] + map_box["height"] - 1  # below the map, not beside it
    assert errors == [] and dialogs == []


def test_a_finger_drags_the_map_and_two_fingers_pinch_it(browser, tmp_path):
    """Touch: one pointer pans, two pointers moving apart zoom in about their midpoint (pointer events, as a phone's
    browser sends them)."""
    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path, width=390)

    def view():
        return [float(v) for v in page.get_attribute("#map", "viewBox").split()]

    def touch(kind, pointer, x, y):
        page.dispatch_event(
            "#map" if kind == "pointerdown" else "body",
            kind,
            {"pointerId": pointer, "pointerType": "touch", "clientX": x, "clientY": y, "bubbles": True},
        )

    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = view()
    touch("pointerdown", 1, x, y)
    touch("pointermove", 1, x + 50, y)
    touch("pointerup", 1, x + 50, y)
    panned = view()
    assert panned[0] < before[0] and panned[2] == pytest.approx(before[2])  # moved right: the view's left edge west
    touch("pointerdown", 1, x - 40, y)
    touch("pointerdown", 2, x + 40, y)
    touch("pointermove", 2, x + 120, y)  # the fingers 80, then 160 px apart
    pinched = view()
    assert pinched[2] == pytest.approx(panned[2] / 2, rel=1e-6)  # twice as close: half the view
    touch("pointerup", 1, x - 40, y)
    touch("pointerup", 2, x + 120, y)
    assert errors == [] and dialogs == []


def test_find_answers_every_query(browser, tmp_path):
    """Find: a name two wards share offers both, each with its council; a council outlines and lists its wards, even
    where a ward elsewhere has its name; one of your areas (config areas) outlines its wards; a ward code or 'name,
    council' selects; an unknown name says so."""
    data = explorer_data()
    data["wards"] = [
        {**ward("E05000001", "Abbey", "ddn"), "lad": "Tameside"},
        {**ward("E05000002", "Abbey", "ddn"), "lad": "Barnet"},
        {**ward("E05000003", "Brunswick Park", "ddn"), "lad": "Barnet"},
        {**ward("E05000004", "Barnet", "ddn"), "lad": "Enfield"},
    ]
    data["your_areas"] = {"Our priority wards": ["E05000001", "E05000004"]}
    data["your_area_rows"] = [
        {
            "name": "Our priority wards",
            "made_of": "wards (December 2017)",
            "people": "16,000",
            "wards": True,
            "values": {"not_in_employment": "50.0%"},
        },
        {"name": "Some LSOAs", "made_of": "LSOAs 2021", "people": "3,000", "wards": False, "values": {}},
    ]
    data["bounds"]["E05000003"] = [2, 0, 3, 1]
    data["bounds"]["E05000004"] = [3, 0, 4, 1]
    paths = {
        "E05000001": "M0 0L1 0L1 1Z",
        "E05000002": "M1 0L2 0L2 1Z",
        "E05000003": "M2 0L3 0L3 1Z",
        "E05000004": "M3 0L4 0L4 1Z",
    }
    path = tmp_path / "explorer.html"
    path.write_text(explorer_page(data, paths, ["M0 0L3 0L3 1Z"], [0, 0, 3, 1]), encoding="utf-8")
    page, errors, requests, dialogs = opened(browser, path)
    page.wait_for_selector("body[data-ready='true']")

    def find(text):
        page.fill("#search", text)
        page.press("#search", "Enter")
        return page.locator("#find-result")

    result = find("Abbey")
    assert "2 wards are called “Abbey”: which one?" in result.inner_text()
    assert result.locator("button").all_inner_texts() == ["Abbey, Tameside", "Abbey, Barnet"]
    result.locator("button", has_text="Abbey, Barnet").click()
    assert page.locator("#profile h2").get_attribute("data-code") == "E05000002"

    result = find("Barnet")
    assert "2 wards in Barnet (outlined on the map):" in result.inner_text()
    assert sorted(page.eval_on_selector_all("#wards path.outlined", "ps => ps.map(p => p.dataset.code)")) == [
        "E05000002",
        "E05000003",
    ]
    page.select_option("#list", "2025")  # a repaint keeps the outline
    assert page.locator("#wards path.outlined").count() == 2

    your = page.locator("#your-areas-table tbody tr")
    assert your.first.locator("td").all_inner_texts() == [
        "Our priority wards",
        "wards (December 2017)",
        "16,000",
        "50.0%",
    ]
    your.first.click()  # an area of wards, chosen from the list, outlines them
    result = page.locator("#find-result")
    assert "2 wards in Our priority wards (outlined on the map):" in result.inner_text()
    result = find("Our priority wards")
    assert "2 wards in Our priority wards (outlined on the map):" in result.inner_text()
    assert sorted(page.eval_on_selector_all("#wards path.outlined", "ps => ps.map(p => p.dataset.code)")) == [
        "E05000001",
        "E05000004",
    ]

    find("E05000003")
    assert page.locator("#profile h2").get_attribute("data-code") == "E05000003"
    find("Abbey, Tameside")
    assert page.locator("#profile h2").get_attribute("data-code") == "E05000001"
    assert find("Nowhere").inner_text() == "No ward or council called “Nowhere”."
    assert page.locator("#wards path.outlined").count() == 0
    assert errors == [] and dialogs == []


def test_the_view_lives_in_the_address_and_the_map_has_its_controls(browser, tmp_path):
    """#ward=...&list=... opens that view; the back button goes back to the ward before; Reset view and the
    keyboard (+, -, arrows, 0) move the map."""
    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path)
    page.goto(page.url + "#ward=E05000002&list=2025")  # the same page, opened at a view
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#profile h2").get_attribute("data-code") == "E05000002"
    assert page.locator("#list").input_value() == "2025"
    page.locator("#ddn-table tbody tr").first.click()
    first = page.locator("#profile h2").get_attribute("data-code")
    assert "ward=" + first in page.evaluate("location.hash")
    page.go_back()
    page.wait_for_function("document.querySelector('#profile h2').dataset.code === 'E05000002'")

    def view():
        return [float(v) for v in page.locator("#map").get_attribute("viewBox").split()]

    page.click("#reset")
    home = view()
    page.focus("#map")
    page.keyboard.press("+")
    assert view()[2] < home[2]
    zoomed = view()
    page.keyboard.press("ArrowRight")
    assert view()[0] > zoomed[0]
    page.keyboard.press("0")
    assert view() == home
    assert errors == [] and dialogs == []


def test_place_names_and_a_scale_appear_when_zoomed_in(browser, tmp_path):
    """Councils are named once the map is zoomed in, wards closer still, as text; a scale bar says how far."""
    data = explorer_data()
    data["view"] = [0, 0, 2000, 1000]
    data["bounds"]["E05000001"] = [0, 0, 100, 100]
    data["council_labels"] = [[COUNCIL, 45, 45]]
    data["ward_labels"] = [[WARD, 50, 50], ["Far away", 1900, 900]]
    path = tmp_path / "explorer.html"
    paths = {"E05000001": "M0 0L100 0L100 100Z", "E05000002": "M1900 900L2000 900L2000 1000Z"}
    path.write_text(explorer_page(data, paths, ["M0 0L2000 0L2000 1000Z"], [0, 0, 2000, 1000]), encoding="utf-8")
    page, errors, requests, dialogs = opened(browser, path)
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#labels text").count() == 0  # all of the map: no names
    assert page.locator("#scale").inner_text().endswith(" km")
    far = page.locator("#scale").inner_text()
    page.locator("#ddn-table tbody tr").first.click()  # zooms to the first ward and its neighbours
    assert page.locator("#labels text.council").all_text_contents() == [COUNCIL]
    assert page.locator("#labels text.ward").count() == 0  # wards are named only closer still
    page.focus("#map")
    for _ in range(6):
        page.keyboard.press("+")
    assert page.locator("#labels text.ward").all_text_contents() == [WARD]  # only the wards in view
    assert page.locator("#scale").inner_text() != far
    # two names in the same place: the second is left out rather than drawn over the first
    data["ward_labels"] = [[WARD, 50, 50], ["Peterlee East", 50.5, 50.2]]
    path.write_text(explorer_page(data, paths, ["M0 0L2000 0L2000 1000Z"], [0, 0, 2000, 1000]), encoding="utf-8")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    page.locator("#ddn-table tbody tr").first.click()
    page.focus("#map")
    for _ in range(6):
        page.keyboard.press("+")
    assert page.locator("#labels text.ward").all_text_contents() == [WARD]
    assert dialogs == [] and errors == []


def test_a_ward_is_reached_by_keyboard_and_ddns_are_not_marked_by_colour_alone(browser, tmp_path):
    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path)
    page.locator("#ddn-table tbody tr").nth(1).focus()
    page.keyboard.press("Enter")
    assert page.locator("#profile h2").get_attribute("data-code") == "E05000002"
    fill = page.eval_on_selector("#wards path.ddn", "p => getComputedStyle(p).fill")
    assert "ddn-hatch" in fill  # a hatched pattern, as the legend's swatch
    assert page.locator("#ddn-hatch line").count() == 1
    assert errors == [] and dialogs == []


def test_a_wards_profile_downloads_as_csv_with_the_numbers_shown(browser, tmp_path):
    import csv
    import io
    from urllib.parse import unquote

    page, errors, requests, dialogs = two_ward_explorer(browser, tmp_path)
    page.locator("#ddn-table tbody tr").first.click()
    link = page.locator("#profile-download")
    assert link.get_attribute("download") == "E05000001_profile.csv"
    text = unquote(link.get_attribute("href").split(",", 1)[1])
    (row,) = list(csv.DictReader(io.StringIO(text)))
    shown = page.locator("tr[data-indicator='not_in_employment'] td").all_inner_texts()
    # numbers as shown, the unit in a column of its own, so that a spreadsheet reads them as numbers
    columns = ["this_ward", "its_council", "its_region", "england", "ddn"]
    assert row["indicator"] == shown[0] and row["unit"] == "%"
    assert [row[c] + "%" for c in columns] == shown[1:6] and shown[2:4] == ["45.0%", "44.0%"]
    assert row["council"] == COUNCIL
    assert row["ward17_name"] == WARD and row["list"] == "2019, published"
    assert errors == [] and dialogs == []
