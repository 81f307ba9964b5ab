"""Shared fixtures and the hypothesis profile of the suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.browser import Browser, Tab, ensure_chromium

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ANNOTATIONS = ROOT / "annotations"
GOLDEN = Path(__file__).resolve().parent / "golden"

# An explicit deadline turns a catastrophic regex into a test failure, not a hang.
settings.register_profile(
    "vanban",
    deadline=2000,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "150")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("vanban")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def sample_stems() -> list[str]:
    return sorted(path.stem for path in SAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


# --- headless Chromium for the HTML reports (tests/browser.py) ---


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    ensure_chromium()
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    page = Tab(browser)
    yield page
    page.close()
