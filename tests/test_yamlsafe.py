"""YAML with a bound on aliases: ordinary anchors work, a billion laughs is refused at once."""

from __future__ import annotations

import time

import pytest
import yaml

from bot.yamlsafe import MAX_ALIASED, AliasBombError, safe_load, shorten

LEVELS = "abcdefghi"
# The classic 'billion laughs': nine lists of nine aliases of the list before, 9⁹ values in 342 bytes.
BOMB = '{0}: &{0} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'.format("a") + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n" for prev, name in zip(LEVELS, LEVELS[1:], strict=False)
)


def test_the_bomb_is_small():
    assert len(BOMB.encode()) < 400


def test_a_billion_laughs_is_refused_at_once_with_the_line_of_the_alias():
    started = time.monotonic()
    with pytest.raises(AliasBombError) as info:
        safe_load(BOMB)
    assert time.monotonic() - started < 1
    assert f"aliases stand for more than {MAX_ALIASED:,} values" in str(info.value)
    assert info.value.problem_mark.line == 4  # 'e: &e [*d, …]' is where the aliases pass the bound
    assert isinstance(info.value, yaml.MarkedYAMLError)  # every reader's error handling applies


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("base: &b {x: 1, y: [1, 2]}\ncopy: *b\n", {"base": {"x": 1, "y": [1, 2]}, "copy": {"x": 1, "y": [1, 2]}}),
        ("defaults: &d {severity: warn}\nrules: [{<<: *d, id: a}, {<<: *d, id: b}]\n", None),
        ("list: " + str(list(range(MAX_ALIASED * 2))) + "\n", None),  # many values, no alias: fine
    ],
)
def test_ordinary_anchors_and_large_files_load(text, expected):
    loaded = safe_load(text)
    assert loaded == (expected if expected is not None else yaml.safe_load(text))


def test_an_alias_inside_its_own_anchor_is_refused():
    with pytest.raises(AliasBombError, match=r"alias \*a refers to itself"):
        safe_load("a: &a [1, *a]\n")


def test_a_message_is_cut_to_a_readable_length():
    assert shorten("x" * 10_000).endswith("…") and len(shorten("x" * 10_000)) == 300
    assert shorten("short") == "short"
