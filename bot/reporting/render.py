"""The report for people: CSV files (one a table) and one self-contained HTML page whose plots
(matplotlib, drawn off-screen) are inlined as PNG, so it can be attached to a mail."""

from __future__ import annotations

import base64
import csv
import io
from html import escape
from pathlib import Path

from bot.reporting.report import Report, Table

# The order a reader meets the figures: the answer to "does the bot help?" first.
CHARTS = ("questions_per_day", "coverage_by_topic", "handover_reasons")
COLOURS = ["#2f6f9f", "#e39b38", "#5aa469", "#b5495b", "#8067a8", "#7a7a7a"]


def write_csv(report: Report, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables.values():
        path = directory / f"{table.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(table.columns)
            writer.writerows(table.rows)
        written.append(path)
    return written


def charts(report: Report) -> dict[str, bytes]:
    """PNG plots by table name; a table without data gets none."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    drawn: dict[str, bytes] = {}
    for name, draw in (
        ("questions_per_day", _per_day),
        ("coverage_by_topic", _coverage),
        ("handover_reasons", _reasons),
    ):
        table = report[name]
        if not table.rows or (name == "questions_per_day" and table.rows[-1][-1] == 0):
            continue
        height = 3.0 if name == "questions_per_day" else 1.4 + 0.42 * min(len(table.rows), 8)
        figure, axes = plt.subplots(figsize=(7.5, height), dpi=110)
        draw(table, axes)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        plt.close(figure)
        drawn[name] = buffer.getvalue()
    return drawn


def _per_day(table: Table, axes) -> None:
    days = [row[0][5:] for row in table.rows[:-1]]  # MM-DD
    bottom = [0] * len(days)
    for i, surface in enumerate(table.columns[1:-1]):
        counts = [row[1 + i] for row in table.rows[:-1]]
        axes.bar(days, counts, bottom=bottom, label=surface, color=COLOURS[i % len(COLOURS)])
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_title("Questions per day / Fragen pro Tag", loc="left", fontsize=11)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.yaxis.get_major_locator().set_params(integer=True)


def _coverage(table: Table, axes) -> None:
    rows = list(reversed(table.rows[:8]))
    topics = [str(row[0]) for row in rows]
    by_bot = [row[2] for row in rows]
    to_team = [row[3] for row in rows]
    axes.barh(topics, by_bot, height=0.6, color=COLOURS[2], label="answered by the bot")
    axes.barh(topics, to_team, height=0.6, left=by_bot, color=COLOURS[1], label="handed to the team")
    axes.set_title("By topic: bot vs. team / Nach Thema: Bot oder Team", loc="left", fontsize=11)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.xaxis.get_major_locator().set_params(integer=True)


def _reasons(table: Table, axes) -> None:
    rows = list(reversed(table.rows))
    labels = [str(r[0]) for r in rows]
    axes.barh(labels, [r[2] for r in rows], height=0.6, color=COLOURS[1], label="this period")
    axes.scatter([r[3] for r in rows], labels, color="black", marker="|", s=400, zorder=3, label="previous period")
    axes.set_title("Why questions went to the team / Warum ans Team", loc="left", fontsize=11)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.xaxis.get_major_locator().set_params(integer=True)


_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 980px; color: #222; }
h1 { font-size: 22px; margin-bottom: 0; } .period { color: #666; margin-top: 4px; }
h2 { font-size: 16px; margin: 26px 0 6px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 13px; } td, th { padding: 3px 10px; text-align: left; }
th { background: #f2f4f7; } tr:nth-child(even) td { background: #fafafa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } .note { color: #666; font-size: 12px; }
img { max-width: 100%; } .grid { display: flex; flex-wrap: wrap; gap: 12px; }
"""


def html_page(report: Report, plots: dict[str, bytes] | None = None) -> str:
    plots = charts(report) if plots is None else plots
    start, end = report.period.start, report.period.end
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>guidelines-bot report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>guidelines-bot: the team's report / Bericht für das Team</h1>",
        f"<p class='period'>{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC, "
        f"compared with the {(end - start).days} days before</p>",
        _table(report["summary"]),
        "<div class='grid'>",
        *(_image(report[name].title, plots[name]) for name in CHARTS if name in plots),
        "</div>",
    ]
    parts += [_table(t) for name, t in report.tables.items() if name != "summary"]
    parts.append("</body></html>")
    return "\n".join(parts)


def _image(title: str, png: bytes) -> str:
    return f"<img alt='{escape(title)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    if table.rows:
        body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in table.rows)
        shown = f"<table><tr>{head}</tr>{body}</table>"
    else:
        shown = "<p class='note'>none / keine</p>"
    note = f"<p class='note'>{escape(table.note)}</p>" if table.note else ""
    return f"<h2>{escape(table.title)}</h2>{shown}{note}"


def _cell(value: object) -> str:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return f"<td class='n'>{value}</td>" if numeric else f"<td>{escape(str(value))}</td>"
