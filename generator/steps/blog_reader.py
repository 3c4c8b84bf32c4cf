"""Pelican's reader for our posts: YAML front matter (``generator.inputs.posts``), Markdown to safe HTML.

A body already rendered at the blog's last build is taken from ``generator.memo`` rather than
rendered again, so a rebuild after one edit renders one post.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import markdown
from markupsafe import Markup
from pelican.readers import BaseReader

from generator import memo
from generator.inputs import news, posts
from generator.inputs.posts import MARKDOWN_EXTENSIONS
from generator.inputs.values import SLUG_LIMIT
from generator.steps import markup, news_pages, words
from generator.steps.blog_checks import page_slug

# A picture written as images/photo.jpg (as in the front matter's image:), or ../images/photo.jpg
# (which GitHub's preview of the post shows), is the blog's own: Pelican links it with {static}.
LOCAL_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")(?:\./|(?:\.\./)+)?images/')

class FrontMatterReader(BaseReader):
    """Reads our YAML front matter posts for Pelican (see ``generator.posts``)."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings: dict[str, Any]):
        super().__init__(settings)
        # One Markdown converter per blog, reset between posts: making one costs about a
        # quarter of converting a post.
        self._post_md: markdown.Markdown | None = None
        self._quotes: news_pages.QuoteExtension | None = None
        self._plain_md: markdown.Markdown | None = None

    def _render(self, post: posts.Post) -> str:
        """The post's body as HTML; a body already rendered at the last build is not rendered again."""
        # [[council:<code>]] lines become quotes of council news, whose text lives elsewhere:
        # a body with one is rendered every time.
        key = None if next(news.shortcodes(post.body), None) else memo.text_key(post.body)
        if key in memo.rendered:
            memo.rendered_used.add(key)
            return memo.rendered[key]
        if self._post_md is None:
            self._quotes = news_pages.quote_extension(post, self.settings["HANDBOOK_URL"],
                                                         Path(self.settings["PROGRAMME_ROOT"]))
            self._post_md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, self._quotes], output_format="html")
        assert self._quotes is not None
        self._quotes.source, self._quotes.first_line = post.path, post.body_line
        html = markup.clean(LOCAL_IMAGE.sub(r"\1{static}/images/", self._convert(self._post_md, post.body)))
        if key is not None:
            memo.rendered[key] = html
            memo.rendered_used.add(key)
        return html

    def _summary_markdown(self) -> markdown.Markdown:
        if self._plain_md is None:
            self._plain_md = markdown.Markdown(output_format="html")
        return self._plain_md

    @staticmethod
    def _convert(md: markdown.Markdown, text: str) -> str:
        try:
            markup.refuse_if_known_slow(text)
            with markup.time_limit():
                return md.convert(text)
        except markup.TooSlow as error:
            markup.too_slow(text)
            raise ValueError(f"{error}: it holds thousands of '[' or other repeated marks that Markdown reads "
                             "slowly; remove them") from None
        except RecursionError:
            # Thousands of nested brackets or quote marks: Markdown's parser is recursive.
            raise ValueError("is nested too deeply for Markdown to read (thousands of brackets, '>' or list "
                             "levels); remove the repeated characters") from None
        finally:
            md.reset()

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        post, problems = posts.read(Path(source_path), self.settings["TIMEZONE"])
        if post is None:
            # Already reported with its line by validate(); Pelican logs this and skips the file.
            raise ValueError(str(problems[0]))
        meta = post.meta
        try:
            html = self._render(post)
        except ValueError as error:
            raise ValueError(f"{post.path}:{post.body_line}: {error}") from None
        if post.path.parent.name != posts.PAGES_DIR:
            words.note_rendered(post.body, html)
        metadata: dict[str, Any] = {
            "title": meta.title,
            "date": post.date,
            # A page keeps its file's name (about.md -> /about/) so links to it survive a new title.
            "slug": page_slug(post) if post.path.parent.name == posts.PAGES_DIR else post.slug,
            "status": meta.status,
            "political": meta.political,
            "social": dict(meta.social),
        }
        if meta.tags:
            metadata["tags"] = self.process_metadata("tags", meta.tags)
            for tag in metadata["tags"]:
                # Pelican's own slug, unless it is empty (an emoji-only tag would take tags/ itself)
                # or too long for an address.
                if not tag.slug or len(tag.slug) > SLUG_LIMIT:
                    tag.slug = posts.tag_slug(tag.name)
        if meta.summary:
            metadata["summary"] = markup.clean(self._convert(self._summary_markdown(), meta.summary))
            metadata["summary_text"] = meta.summary
        if meta.modified:
            metadata["modified"] = meta.modified.replace(tzinfo=meta.modified.tzinfo or post.date.tzinfo)
        if meta.image:
            found = posts.picture_file(Path(self.settings["PATH"]), post.path, meta.image.src)
            src = found.relative_to(self.settings["PATH"]).as_posix() if found else meta.image.src.lstrip("/")
            metadata["image"] = {"src": src, "alt": meta.image.alt}
        # Plain text for link previews and post lists; Pelican's own summary cuts the HTML mid-list.
        metadata["excerpt"] = Markup(metadata["summary"]).striptags() if meta.summary else first_paragraph(html)
        return html, metadata


def first_paragraph(html: str) -> str:
    """The text of the first paragraph that has any (a paragraph holding only an image has none)."""
    for match in re.finditer(r"<p\b[^>]*>(.*?)</p>", html, re.S):
        text = Markup(match.group(1)).striptags()
        if text:
            return text
    return ""


