"""`python -m bench`: parts can be skipped, the summary goes to Markdown, and the load test's rows
say why when PostgreSQL cannot be reached instead of failing the run."""

from __future__ import annotations

from bench import load
from bench.__main__ import PARTS, load_rows, main


def test_everything_skipped_still_writes_the_summary(tmp_path, capsys):
    out = tmp_path / "table.md"
    assert main(["--skip", ",".join(PARTS), "--markdown", str(out), "--results", str(tmp_path / "results")]) == 0
    text = out.read_text()
    assert text.startswith("guidelines-bot benchmarks, ") and "| load " in text and "skipped" in text
    assert (tmp_path / "results" / "summary.json").is_file()


def test_unreachable_postgresql_gives_rows_that_say_so():
    result = load.run((1, 2), saturate=(40.0, 5.0, 1), database="postgresql://nobody@127.0.0.1:9/none")
    rows = load_rows(result)
    assert len(rows) == 3 and all(row[1] == "not measured" for row in rows)
    assert all("PostgreSQL at postgresql://nobody@127.0.0.1:9/none is not reachable" in row[2] for row in rows)
    assert rows[-1][0].startswith("Load ceiling")
