"""The HTML report: one self-contained page (figures and tables inline, CSV downloads as data URIs, no script and
nothing loaded from the network) that opens on the findings."""

import base64
import hashlib
import html
import re
from pathlib import Path
from string import Formatter

STYLE = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d9d9d9; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; border-bottom: 3px solid var(--accent); }
h1 { font-size: 1.7rem; margin: 0 0 8px; }
h2 { font-size: 1.35rem; margin: 40px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 1.1rem; margin: 24px 0 6px; }
nav ol { columns: 2; padding-left: 20px; margin: 8px 0 16px; }
nav li { break-inside: avoid; }
.findings li { margin: 6px 0; }
.findings a.evidence { font-size: 0.9rem; white-space: nowrap; }
dl.glossary dt { font-weight: 600; margin-top: 10px; }
dl.glossary dd { margin: 2px 0 0 0; }
a.term { color: inherit; text-decoration: underline dotted; }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid var(--rule); }
a.enlarge { display: block; }
figure.chart .close { display: none; }
figure.chart:target { position: fixed; inset: 0; z-index: 10; margin: 0; padding: 8px; background: #fff; overflow: auto; }
figure.chart:target img { max-width: none; border: 0; }
figure.chart:target .close { display: inline-block; position: sticky; top: 0; left: 0; background: #fff;
  padding: 6px 12px; border: 1px solid var(--rule); font-weight: 600; }
@media (max-width: 700px) {
  header, main, footer { padding: 0 12px; }
  nav ol { columns: 1; }
  h1 { font-size: 1.4rem; }
  .scroll { max-height: none; border: 0; }
  .scroll table, .scroll tbody, .scroll tr, .scroll td { display: block; width: auto; }
  .scroll thead { display: none; }
  .scroll tr { border-bottom: 2px solid var(--rule); padding: 6px 0; }
  .scroll td, .scroll td.number { border: 0; padding: 2px 4px; text-align: left; white-space: normal;
    overflow-wrap: anywhere; }
  main p, main li, main dd, figcaption { overflow-wrap: anywhere; }
  .scroll td::before { content: attr(data-label) ": "; font-weight: 600; }
}
.lead { font-size: 1.1rem; }
.numbers { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.numbers li { flex: 1 1 200px; border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; }
.numbers strong { display: block; font-size: 1.6rem; color: var(--accent); }
figure { margin: 16px 0 24px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 0.92rem; margin-top: 6px; }
table { border-collapse: collapse; font-size: 0.9rem; width: 100%; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f3f6f9; position: sticky; top: 0; }
td.number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
a.download { font-weight: 600; }
details { margin: 10px 0; }
summary { cursor: pointer; font-weight: 600; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 48px; padding-bottom: 32px; border-top: 1px solid var(--rule); }
"""


def escape(text):
    return html.escape("" if text is None else str(text))


def data_uri(content, mime):
    payload = content if isinstance(content, bytes) else content.encode("utf-8")
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _is_number(text):
    cleaned = str(text).replace(",", "").replace("%", "").replace(" years", "").replace(" points", "").strip()
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def _cell(label, value):
    number = " class='number'" if _is_number(value) else ""
    return f"<td data-label='{label}'{number}>{escape(value)}</td>"


def table(frame, caption, csv_name=None, csv_text=None, headers=None):
    """A rendered table with its caption and, when given, the CSV behind it as a download."""
    headers = headers or {}
    names = [escape(headers.get(c, c)) for c in frame.columns]
    head = "".join(f"<th scope='col'>{name}</th>" for name in names)
    rows = []
    for values in frame.itertuples(index=False):
        # data-label: on a phone each row becomes a card, each value labelled with its column's header
        cells = "".join(_cell(name, value) for name, value in zip(names, values))
        rows.append(f"<tr>{cells}</tr>")
    download = ""
    if csv_name:
        download = (
            f" <a class='download' download='{escape(csv_name)}' href='{data_uri(csv_text, 'text/csv')}'>"
            f"Download the CSV ({escape(csv_name)})</a>"
        )
    return (
        "<figure class='table'><div class='scroll'><table>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"<figcaption>{escape(caption)}{download}</figcaption></figure>"
    )


def image(png_path, title=None):
    """A figure inline as PNG, with its caption file beside it (stem.caption.md); its alternative text is title, or
    the caption's first sentence. A tap or click opens it at full size over the page (the figure as CSS :target, so
    no script and one copy of the image); Close or the back button returns."""
    png_path = Path(png_path)
    caption = png_path.with_suffix(".caption.md").read_text(encoding="utf-8").strip()
    title = title or caption.split(". ")[0].removesuffix(".")
    anchor = f"figure-{escape(png_path.stem)}"
    return (
        f"<figure class='chart' id='{anchor}'><a class='close' href='#{anchor}-caption'>Close</a>"
        f"<a class='enlarge' href='#{anchor}' title='Open full size'>"
        f"<img src='{data_uri(png_path.read_bytes(), 'image/png')}' alt='{escape(title)}'></a>"
        f"<figcaption id='{anchor}-caption'>{escape(caption)} Tap or click the figure to open it full size."
        "</figcaption></figure>"
    )


def section(anchor, title, body):
    return f"<section id='{escape(anchor)}'><h2>{escape(title)}</h2>{body}</section>"


def paragraph(text):
    return f"<p>{escape(text)}</p>"


def findings_list(items):
    """Key findings: (sentence HTML, anchor, link words), each linking to its evidence further down."""
    rows = "".join(
        f"<li>{sentence} <a class='evidence' href='#{escape(anchor)}'>{escape(words)}</a></li>"
        for sentence, anchor, words in items
    )
    return f"<ol class='findings'>{rows}</ol>"


def key_numbers(items):
    """(number, words) pairs shown as a row of key figures, both HTML (Numbers.span and Numbers.text)."""
    cells = "".join(f"<li><strong>{number}</strong>{words}</li>" for number, words in items)
    return f"<ul class='numbers'>{cells}</ul>"


class Numbers:
    """The report's numbers (results/report_numbers.csv): each shown inside <span data-number='id'>, so a test can
    check every number on the page against the table it was read from."""

    def __init__(self, frame):
        self.shown = dict(zip(frame["id"], frame["shown"]))

    def __contains__(self, number_id):
        return number_id in self.shown

    def span(self, number_id):
        return f"<span data-number='{escape(number_id)}'>{escape(self.shown[number_id])}</span>"

    def text(self, template):
        """template with {id} fields: its words escaped, each field the number's span."""
        parts = []
        for literal, field, _, _ in Formatter().parse(template):
            parts.append(escape(literal))
            if field:
                parts.append(self.span(field))
        return "".join(parts)


class Glossary:
    """Terms explained once on the page and linked from their first use in the prose (terms: [(term, anchor,
    explanation)]). Longer terms are linked before the terms they contain."""

    def __init__(self, terms):
        self.terms = sorted(terms, key=lambda t: -len(t[0]))
        self.linked = set()

    def link(self, escaped):
        for term, anchor, _ in self.terms:
            if anchor in self.linked:
                continue
            pattern = re.compile(rf"(?<![\w-]){re.escape(escape(term))}s?(?![\w-])")
            match = next((m for m in pattern.finditer(escaped) if not _inside_tag(escaped, m.start())), None)
            if match:
                self.linked.add(anchor)
                escaped = (
                    f"{escaped[: match.start()]}<a class='term' href='#{anchor}'>{match.group(0)}</a>"
                    f"{escaped[match.end() :]}"
                )
        return escaped

    def prose(self, text):
        return f"<p>{self.link(escape(text))}</p>"

    def section(self):
        entries = "".join(
            f"<dt id='{anchor}'>{escape(term)}</dt><dd>{escape(words)}</dd>"
            for term, anchor, words in sorted(self.terms, key=lambda t: t[0].lower())
        )
        return f"<dl class='glossary'>{entries}</dl>"


def _inside_tag(html_text, position):
    """Is position inside a tag or a link's text (so it must not be linked again)?"""
    before = html_text[:position]
    return before.rfind("<") > before.rfind(">") or before.rfind("<a ") > before.rfind("</a>")


def collapsed(summary, body):
    return f"<details><summary>{escape(summary)}</summary>{body}</details>"


def content_security_policy(script=None):
    """A page's policy: nothing from the network, no inline event handler; inline styles, data images, and the one
    script given (by its sha256), if any."""
    scripts = f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'" if script else "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def page(title, lead, sections, footer):
    """The whole page: title, lead (HTML), contents, sections (anchor, title, html) and a footer (HTML)."""
    contents = "".join(f"<li><a href='#{escape(a)}'>{escape(t)}</a></li>" for a, t, _ in sections)
    body = "".join(section(a, t, b) for a, t, b in sections)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{content_security_policy()}\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p class='lead'>{lead}</p>"
        f"<nav aria-label='Contents'><ol>{contents}</ol></nav></header>"
        f"<main>{body}</main><footer>{footer}</footer></body></html>\n"
    )
