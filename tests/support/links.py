"""A link checker over a built site/: every internal link, asset and feed URL must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src", "srcset", "poster"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta":
                self.ids.add(value)
            if name == "srcset":
                self.links += [part.strip().split()[0] for part in value.split(",") if part.strip()]
            elif self._is_link(tag, name, value, attrs):
                self.links.append(value)

    @staticmethod
    def _is_link(tag: str, name: str, value: str, attrs: list[tuple[str, str | None]]) -> bool:
        if name in LINK_ATTRIBUTES:
            return not (tag == "link" and ("rel", "dns-prefetch") in attrs)
        # Open Graph and canonical-style metadata carry absolute URLs that must resolve too.
        return tag == "meta" and name == "content" and value.startswith(("http://", "https://"))


def page_url(site_dir: Path, path: Path, site_url: str) -> str:
    rel = path.relative_to(site_dir).as_posix()
    return site_url + rel


def target_file(site_dir: Path, url: str, site_url: str) -> Path | None:
    """The file that serves ``url``, or None when the URL is outside the site."""
    if not url.startswith(site_url):
        return None
    rel = unquote(urlsplit(url[len(site_url):]).path)
    target = site_dir / rel
    if rel == "" or rel.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site_dir: Path, site_url: str) -> list[str]:
    """Every internal link in every HTML page (and Atom feed) that points at nothing."""
    site_url = site_url.rstrip("/") + "/"
    host = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    broken: list[str] = []
    for path in sorted(site_dir.rglob("*.html")):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        base = page_url(site_dir, path, site_url)
        for link in parser.links:
            if link.startswith(("mailto:", "tel:", "data:", "javascript:", "#")) or link.strip() == "":
                continue
            absolute = urljoin(base, link)
            if absolute.startswith(host) and not absolute.startswith(site_url):
                broken.append(f"{path.relative_to(site_dir)}: {link} is outside the base path {site_url}")
                continue
            target = target_file(site_dir, absolute, site_url)
            if target is not None and not target.is_file():
                broken.append(f"{path.relative_to(site_dir)}: {link}")
    return broken
