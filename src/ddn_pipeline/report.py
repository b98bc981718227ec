"""The HTML report: one self-contained page (figures and tables inline, CSV downloads as data URIs, no script and
nothing loaded from the network) that opens on the findings."""

import base64
import hashlib
import html
from pathlib import Path

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
.lead { font-size: 1.1rem; }
.numbers { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.numbers li { flex: 1 1 200px; border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; }
.numbers strong { display: block; font-size: 1.6rem; color: var(--accent); }
figure { margin: 16px 0 24px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 0.92rem; margin-top: 6px; }
.scroll { overflow-x: auto; }
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


def table(frame, caption, csv_name=None, csv_text=None, headers=None):
    """A rendered table with its caption and, when given, the CSV behind it as a download."""
    headers = headers or {}
    head = "".join(f"<th scope='col'>{escape(headers.get(c, c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(
            f"<td class='number'>{escape(v)}</td>" if _is_number(v) else f"<td>{escape(v)}</td>" for v in values
        )
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


def image(png_path, title):
    """A figure inline as PNG, with its caption file beside it (stem.caption.md)."""
    png_path = Path(png_path)
    caption = png_path.with_suffix(".caption.md").read_text(encoding="utf-8").strip()
    return (
        f"<figure><img src='{data_uri(png_path.read_bytes(), 'image/png')}' alt='{escape(title)}'>"
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def section(anchor, title, body):
    return f"<section id='{escape(anchor)}'><h2>{escape(title)}</h2>{body}</section>"


def paragraph(text):
    return f"<p>{escape(text)}</p>"


def key_numbers(items):
    """(number, words) pairs shown as a row of key figures."""
    cells = "".join(f"<li><strong>{escape(number)}</strong>{escape(words)}</li>" for number, words in items)
    return f"<ul class='numbers'>{cells}</ul>"


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
    """The whole page: title, lead paragraph, contents, sections (anchor, title, html) and a footer."""
    contents = "".join(f"<li><a href='#{escape(a)}'>{escape(t)}</a></li>" for a, t, _ in sections)
    body = "".join(section(a, t, b) for a, t, b in sections)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{content_security_policy()}\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p class='lead'>{escape(lead)}</p>"
        f"<nav aria-label='Contents'><ol>{contents}</ol></nav></header>"
        f"<main>{body}</main><footer>{escape(footer)}</footer></body></html>\n"
    )
