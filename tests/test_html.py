"""The Nu HTML checker (vnu.jar, from npm) over one page of every type the build makes.

Errors the project's own templates or pages cause fail the test. Material for MkDocs marks its
hidden toggles ``<input type="checkbox" autocomplete="off">`` (to stop Firefox restoring them),
which the checker reports; that is the theme's choice, matched here by its exact form and
nothing broader.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import REPO

# A check of the pages by an engine in another process (Java), like the browser tests: kept with
# them, out of the fast tier.
pytestmark = pytest.mark.browser

VNU_JAR = REPO / "tests" / "browser_assets" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PAGE_TYPES = [
    "index.html", "404.html", "print_page/index.html", "reference/settings/index.html",
    "workshops/2-shape/index.html", "trainers/evaluation/index.html", "guides/linkedin/index.html",
    "councillors/index.html", "councillors/amira-patel/index.html", "councillors/amira-patel/tags/index.html",
    "councillors/amira-patel/archives/index.html", "councillors/imran-haque/share-kit/index.html",
    "hub/index.html", "hub/2/index.html", "news/index.html", "news/bin-changes/index.html",
    "s/bin-changes/index.html", "footprint-report/index.html", "footprint-report/amira-patel/index.html",
]


def material_toggle(message: dict) -> bool:
    return (message["message"].startswith("Attribute “autocomplete” is only allowed when the input type is")
            and 'type="checkbox"' in message.get("extract", "") and 'autocomplete="off"' in message["extract"])


def test_every_page_type_has_no_html_errors_of_its_own(built_example):
    site, _ = built_example
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML checker: apt-get install default-jre-headless (.ci/run does)"
    assert VNU_JAR.is_file(), "run 'npm ci --prefix tests/browser_assets'"
    posts = sorted((site / "councillors" / "amira-patel").glob("20*/*/*/index.html"))
    pages = [site / page for page in PAGE_TYPES] + posts[:1]
    assert all(page.is_file() for page in pages), [str(p) for p in pages if not p.is_file()]
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f'{m.get("url", "").split("/site/", 1)[-1]}:{m.get("lastLine")}: {m["message"]}'
              for m in messages if m["type"] in ("error", "non-document-error") and not material_toggle(m)]
    assert errors == [], "\n".join(errors)
