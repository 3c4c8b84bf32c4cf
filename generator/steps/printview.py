"""Tidying the handbook's print view (``print_page/``) after the print-site plugin has written it.

The plugin gathers every page into one, but leaves things a printed handbook should not have:
the home page's title repeated under the cover's, links to pages it leaves out (the references)
or to itself, and its heading-number styles inside the article rather than the head, with a
heading-number attribute that is not HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

PRINT_PAGE = Path("print_page") / "index.html"

_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*?)(</article>)", re.S)
_STYLE = re.compile(r"\s*<style\b[^>]*>.*?</style>", re.S)
_HOME_TITLE = re.compile(r'(<section class="print-page" id="index"[^>]*>)\s*<h1 id="([^"]+)"[^>]*>.*?</h1>', re.S)
_ANCHOR = re.compile(r'<a\b[^>]*?\bhref="#([^"]*)"[^>]*>(.*?)</a>', re.S)
_ID = re.compile(r'\bid="([^"]+)"')
#: The plugin's own numbering attribute, not HTML (and unused, with heading numbers turned off).
_HEADING_NUMBER = re.compile(r"""\s+heading-number=(?:"[^"]*"|'[^']*')""")


def tidy(site_dir: Path) -> None:
    """Rewrite the print view in ``site_dir``, if the build made one."""
    path = site_dir / PRINT_PAGE
    if path.is_file():
        path.write_text(tidy_html(path.read_text(encoding="utf-8")), encoding="utf-8")


def tidy_html(html: str) -> str:
    styles: list[str] = []

    def lift_styles(match: re.Match[str]) -> str:
        body = _STYLE.sub(lambda style: styles.append(style.group(0).strip()) or "", match.group(2))
        return match.group(1) + body + match.group(3)

    html = _HEADING_NUMBER.sub("", _ARTICLE.sub(lift_styles, html, count=1))
    if styles:
        html = html.replace("</head>", "\n".join(styles) + "\n</head>", 1)
    # The cover already carries the handbook's title: the home page starts under it without its own.
    found = _HOME_TITLE.search(html)
    if found:
        html = html[:found.start()] + found.group(1) + html[found.end():]
        html = html.replace(f'href="#{found.group(2)}"', 'href="#index"')
    ids = set(_ID.findall(html))

    def unlink_dead(match: re.Match[str]) -> str:
        # A link to a page the print view leaves out, or to the print view itself, keeps its words.
        return match.group(0) if match.group(1) in ids or not match.group(1) else match.group(2)

    return _ANCHOR.sub(unlink_dead, html)
