"""X counting without setuptools: twitter-text imported through the compatibility module.

The expected weights are twitter-text's own conformance cases for its v3 configuration, the
``WeightedTweetsWithDiscountedEmojiCounterTest`` section of
https://github.com/twitter/twitter-text/blob/master/conformance/validate.yml
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

CONFORMANCE = [
    ("285 chars-" + "xxxxxxxxxx-" * 25, 285),
    ("285 chars- http://www.twitter.com/jack " + "xxxxxxxxxx-" * 24, 299),
    ("https://www.twitter.com/aloha " * 10, 240),
    ("故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。" * 5, 320),
    ("the" + "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。" * 5, 323),
    ("😷" * 160, 320),
    ("ÁB", 2),
    ("H🐱☺👨\u200d👩\u200d👧\u200d👦", 7),
    ("😷👾😡🔥💩", 10),
    ("🙋🏽👨\u200d🎤", 4),
]

# Makes ``import pkg_resources`` fail in the child process, as on Python 3.12+ without setuptools.
BLOCKER = '''
import sys

class NoSetuptools:
    def find_spec(self, name, path=None, target=None):
        if name == "pkg_resources" or name.startswith("pkg_resources."):
            raise ModuleNotFoundError("No module named 'pkg_resources'", name="pkg_resources")
        return None

sys.meta_path.insert(0, NoSetuptools())
'''


def run_without_pkg_resources(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    (tmp_path / "sitecustomize.py").write_text(BLOCKER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_blocker_stops_twitter_text_importing_by_itself(tmp_path):
    result = run_without_pkg_resources(tmp_path, "import twitter_text")
    assert result.returncode != 0
    assert "No module named 'pkg_resources'" in result.stderr


def test_x_counts_by_twitter_texts_own_examples_without_pkg_resources(tmp_path):
    texts = [text for text, _ in CONFORMANCE]
    code = f"""
        import json, sys
        from generator.syndication.compose import x_length
        weights = [x_length(text, "") for text in {texts!r}]
        print(json.dumps({{"weights": weights, "pkg_resources_left": "pkg_resources" in sys.modules}}))
    """
    result = run_without_pkg_resources(tmp_path, code)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["weights"] == [weight for _, weight in CONFORMANCE]
    assert answer["pkg_resources_left"] is False, "the stand-in must not outlive the import"


def test_a_bare_domain_is_a_link_without_pkg_resources(tmp_path):
    code = """
        from generator.syndication.compose import x_length
        print(x_length("Report it at fixmystreet.com", ""), x_length("Report it at fixmystreet.notatld", ""))
    """
    result = run_without_pkg_resources(tmp_path, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(len("Report it at ") + 23), str(len("Report it at fixmystreet.notatld"))]
