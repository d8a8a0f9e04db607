"""README.md is a front door: short, the quick start unchanged, a link to every docs/ page."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")

QUICK_START = """## Quick start

```sh
python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/bdur totals 2024
.venv/bin/python -m pytest
```
"""


def test_short() -> None:
    assert README.count("\n") <= 250


def test_quick_start_kept_exactly() -> None:
    assert QUICK_START in README


def test_the_readme_opens_with_the_quick_start() -> None:
    # The first section a reader meets: what bdur is (the lines above it), then the two
    # commands; installing for daily use and the rest come after.
    sections = re.findall(r"^## (.+)$", README, re.M)
    assert sections[:2] == ["Quick start", "Install"]


def test_links_to_every_docs_page_and_only_to_real_files() -> None:
    links = set(re.findall(r"\]\((docs/[^)#]+)\)", README))
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")}
    assert pages <= links, pages - links
    assert all((ROOT / link).is_file() for link in links), links


def test_install_for_each_platform() -> None:
    for needed in ("Python 3.11", "macOS and Linux", "Windows", ".venv\\Scripts\\pip",
                   "bdur init", "not\npublished on PyPI"):
        assert needed in README, needed
