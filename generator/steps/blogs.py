"""Build each councillor's blog with Pelican's Python API.

Each blog's Pelican settings are derived from its ``councillor.yml`` plus the shared
defaults below, so there is no ``pelicanconf.py`` to copy and drift per blog.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import markdown
from jinja2 import BytecodeCache
from markupsafe import Markup
from pelican import Pelican, signals
from pelican.log import console as pelican_console
from pelican.readers import BaseReader
from pelican.settings import read_settings

from generator.build import cache
from generator.exceptions import BuildError, Problem
from generator.inputs import files, news, posts
from generator.inputs.colours import brand_colours
from generator.inputs.config import SLUG_LIMIT, Blog, Project, toolkit_dir
from generator.inputs.networks import NETWORKS, profile_url
from generator.inputs.posts import MARKDOWN_EXTENSIONS
from generator.logs import recorded
from generator.steps import markup, words
from generator.syndication import responses, sharekit
from generator.syndication.ledger import syndication_links

BLOGS_URL_PATH = "councillors"
log = logging.getLogger(__name__)


# A picture written as images/photo.jpg (as in the front matter's image:), or ../images/photo.jpg
# (which GitHub's preview of the post shows), is the blog's own: Pelican links it with {static}.
LOCAL_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")(?:\./|(?:\.\./)+)?images/')


#: Posts' bodies rendered to HTML, by ``rendered_key``: kept per blog between builds
#: (``load_rendered``), so a rebuild after one edit renders one post.
rendered: dict[bytes, str] = {}
rendered_used: set[bytes] = set()


def rendered_key(body: str) -> bytes:
    return hashlib.blake2b(body.encode(), digest_size=16).digest()


def load_rendered(path: Path, fingerprint: str) -> None:
    rendered.clear()
    rendered_used.clear()
    try:
        with open(path, "rb") as f:
            saved = pickle.load(f)
        if saved["fingerprint"] == fingerprint:
            rendered.update(saved["rendered"])
    except Exception:
        return  # missing, old or damaged: the posts are rendered again


def save_rendered(path: Path, fingerprint: str) -> None:
    """Keep the bodies this build used, so edited and deleted posts do not pile up."""
    kept = {key: rendered[key] for key in rendered_used}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    with os.fdopen(fd, "wb") as f:
        pickle.dump({"fingerprint": fingerprint, "rendered": kept}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    rendered.clear()
    rendered_used.clear()


class FrontMatterReader(BaseReader):
    """Reads our YAML front matter posts for Pelican (see ``generator.posts``)."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings: dict[str, Any]):
        super().__init__(settings)
        # One Markdown converter per blog, reset between posts: making one costs about a
        # quarter of converting a post.
        self._post_md: markdown.Markdown | None = None
        self._quotes: news.QuoteExtension | None = None
        self._plain_md: markdown.Markdown | None = None

    def _render(self, post: posts.Post) -> str:
        """The post's body as HTML; a body already rendered at the last build is not rendered again."""
        # [[council:<code>]] lines become quotes of council news, whose text lives elsewhere:
        # a body with one is rendered every time.
        key = None if next(news.shortcodes(post.body), None) else rendered_key(post.body)
        if key in rendered:
            rendered_used.add(key)
            return rendered[key]
        if self._post_md is None:
            self._quotes = news.quote_extension(post, self.settings["HANDBOOK_URL"])
            self._post_md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, self._quotes], output_format="html")
        assert self._quotes is not None
        self._quotes.source, self._quotes.first_line = post.path, post.body_line
        html = markup.clean(LOCAL_IMAGE.sub(r"\1{static}/images/", self._convert(self._post_md, post.body)))
        if key is not None:
            rendered[key] = html
            rendered_used.add(key)
        return html

    def _summary_markdown(self) -> markdown.Markdown:
        if self._plain_md is None:
            self._plain_md = markdown.Markdown(output_format="html")
        return self._plain_md

    @staticmethod
    def _convert(md: markdown.Markdown, text: str) -> str:
        try:
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


def blog_url(site_url: str, slug: str) -> str:
    """The public address of a blog, without a trailing slash (Pelican's SITEURL form)."""
    return f"{site_url}{BLOGS_URL_PATH}/{slug}"


def post_path(post: posts.Post) -> str:
    """Where a post lives inside its blog; kept in step with ARTICLE_URL below."""
    return f"{post.date:%Y/%m}/{post.slug}/"


def validate(project: Project) -> list[Problem]:
    """Every problem in every blog's posts and pages, checked before anything is built."""
    problems: list[Problem] = []
    zone = project.programme.site.timezone
    for blog in project.blogs:
        # A link out of content/ would publish whatever it points at.
        leaving = list(files.links_leaving(blog.content_dir))
        problems += [Problem(link, None, "is a link to a file or folder outside this blog's content folder",
                             "copy the file into the blog's content folder instead of linking to it")
                     for link in leaving]
        if leaving:
            continue
        found, trouble = posts.read_all(blog.content_dir, zone)
        problems += trouble
        pages = []
        for path in posts.page_files(blog.content_dir):
            page, trouble = posts.read(path, zone)
            problems += trouble
            pages += [page] if page else []
        for post in found + pages:
            for warning in [*post.warnings, *_bare_picture_names(blog, post)]:
                log.warning("%s", warning)
        problems += (_missing_pictures(blog, found + pages) + _page_clashes(pages) + _unpublishable(blog)
                     + _photo_problems(blog))
    return problems


def _bare_picture_names(blog: Blog, post: posts.Post) -> list[Problem]:
    """A picture named without its folder ('mill-road.jpg') is found in images/, and the writer told so."""
    image = post.meta.image
    if image is None or "/" in image.src:
        return []
    found = posts.picture_file(blog.content_dir, post.path, image.src)
    if found is None or found.parent != blog.content_dir / posts.IMAGES_DIR:
        return []
    line = posts.line_starting(post.path, "  src:") or posts.line_starting(post.path, "image:")
    return [Problem(post.path, line, f"the picture '{image.src}' was found in images/",
                    f"write it as images/{image.src}, so it is found the same way everywhere")]


def _photo_problems(blog: Blog) -> list[Problem]:
    photo = blog.councillor.photo
    if not photo:
        return []
    where = posts.line_starting(blog.folder / "councillor.yml", "photo:")
    path = files.inside(blog.folder, photo)
    if path is None:
        return [Problem(blog.folder / "councillor.yml", where, f"the photo '{photo}' is outside the blog's folder",
                        "put the photo in the blog's folder and give its name, e.g. photo: photo.jpg")]
    if not path.is_file():
        return [Problem(blog.folder / "councillor.yml", where, f"the photo '{photo}' is not there",
                        "put the photo in the blog folder, or remove the 'photo:' line")]
    if trouble := files.picture_problem(path):
        return [Problem(blog.folder / "councillor.yml", where, f"the photo '{photo}' {trouble}",
                        "use a JPEG or PNG photo")]
    return []


def _unpublishable(blog: Blog) -> list[Problem]:
    """Files Pelican would publish as they are, or skip without a word, that it should not."""
    problems = []
    images = blog.content_dir / posts.IMAGES_DIR
    # Hidden files (.gitkeep keeps an empty folder in git) are never published: IGNORE_FILES below.
    for path in sorted(p for p in images.rglob("[!.]*") if p.is_file()) if images.is_dir() else []:
        if trouble := files.picture_problem(path):
            problems.append(Problem(path, None, trouble,
                                    "only pictures go in the images folder: save it as a JPEG, PNG, GIF, "
                                    "WebP or plain SVG, or remove it"))
    for folder in (blog.content_dir / posts.POSTS_DIR, blog.content_dir / posts.PAGES_DIR):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.suffix.lower() == ".md" and path.suffix != ".md":
                problems.append(Problem(path, None, f"ends in '{path.suffix}', so it would not be published",
                                        f"rename it to end in '.md' (lower case): {path.stem}.md"))
    return problems


#: Addresses the blog makes itself, which no page may take.
RESERVED_PAGE_SLUGS = {"archives", "tags", "feeds", "theme", "images", "share-kit", "sitemap.xml"}
YEAR = re.compile(r"^\d{4}$")


def _missing_pictures(blog: Blog, found: list[posts.Post]) -> list[Problem]:
    """Pictures a post names that are not in the blog: the page would show a broken image."""
    problems = []
    fix = (f"upload the picture to {blog.content_dir.relative_to(blog.folder.parent.parent)}/images/ and "
           "write its name as images/<file>, or correct the name (capitals count)")
    for post in found:
        image = post.meta.image
        if image and not posts.REMOTE.match(image.src) and not posts.picture_file(blog.content_dir, post.path,
                                                                                 image.src):
            problems.append(Problem(post.path, posts.line_starting(post.path, "image:"),
                                    f"the picture '{image.src}' is not there", fix))
        for index, src in posts.local_images(post.body):
            if not posts.picture_file(blog.content_dir, post.path, src):
                problems.append(Problem(post.path, post.body_line + index, f"the picture '{src}' is not there", fix))
    return problems


def page_slug(page: posts.Post) -> str:
    """A page's address in its blog: its 'slug:', or else its file name (about.md is at about/)."""
    return page.meta.slug or page.path.stem


def _page_clashes(pages: list[posts.Post]) -> list[Problem]:
    """Pages live at <blog>/<slug>/: two with one address, or one on an address the blog uses, would clash."""
    problems: list[Problem] = []
    taken: dict[str, Path] = {}
    for page in pages:
        slug = page_slug(page)
        if page.meta.slug:
            where, fix = posts.line_starting(page.path, "slug:"), "change its 'slug:'"
        else:
            where, fix = None, "give the page a 'slug:' line with another address"
        if slug in RESERVED_PAGE_SLUGS or YEAR.match(slug):
            problems.append(Problem(page.path, where, f"the page's address '{slug}/' is one the blog uses itself",
                                    f"rename the file or {fix}"))
        elif slug in taken:
            problems.append(Problem(page.path, where, f"the page's address '{slug}/' is taken by {taken[slug].name}",
                                    fix))
        else:
            taken[slug] = page.path
    return problems


def councillor_context(project: Project, blog: Blog, site_url: str) -> dict[str, Any]:
    """What the theme and the councillors index know of a councillor."""
    c = blog.councillor
    return {
        "slug": blog.slug,
        "name": c.name,
        "initials": "".join(part[0] for part in c.name.split()[:3] if part[0].isalpha()).upper(),
        "ward": c.ward,
        "role": c.role,
        "party": c.party,
        "bio": c.bio,
        "email": c.contact.email,
        "phone": c.contact.phone,
        "surgeries": [s.model_dump() for s in c.surgeries],
        "photo": f"{blog_url(site_url, blog.slug)}/{photo_name(blog)}" if c.photo else None,
        # The photo's file in the blog's folder, for the blog's own pages to link relatively.
        "photo_file": photo_name(blog) if c.photo else None,
        "url": blog_url(site_url, blog.slug) + "/",
        "platforms": [
            {"name": name, "label": NETWORKS[name].label, "handle": p.handle,
             "url": profile_url(name, p.handle, p.url)}
            for name, p in c.platforms.items()
        ],
    }


def photo_name(blog: Blog) -> str:
    return "photo" + Path(blog.councillor.photo or "").suffix.lower()


def pelican_settings(project: Project, blog: Blog, output: Path, site_url: str) -> dict[str, Any]:
    programme = project.programme
    siteurl = blog_url(site_url, blog.slug)
    brand = brand_colours(programme.branding)
    overrides: dict[str, Any] = {
        "PATH": str(blog.content_dir),
        "OUTPUT_PATH": str(output),
        "THEME": str(toolkit_dir(project.root) / "themes" / "blog"),
        "SITENAME": f"{blog.councillor.name}, {blog.councillor.ward} ward",
        "SITEURL": siteurl,
        # Each page reaches the blog's files by a relative address (Pelican then sets SITEURL per page),
        # so a copy served anywhere (a preview, a staging address) is whole; SITE_ADDRESS is kept for
        # the addresses that must be absolute: canonical, Open Graph, feeds and the sitemap.
        "RELATIVE_URLS": True,
        "SITE_ADDRESS": siteurl,
        "SITE_ROOT": "../" * (BLOGS_URL_PATH.count("/") + 2),
        "FEED_DOMAIN": siteurl,
        "TIMEZONE": programme.site.timezone,
        "DEFAULT_LANG": programme.site.language,
        "DEFAULT_DATE_FORMAT": "%-d %B %Y",
        "READERS": {"md": FrontMatterReader, "rst": None, "html": None, "htm": None},
        "ARTICLE_PATHS": [posts.POSTS_DIR],
        "PAGE_PATHS": [posts.PAGES_DIR],
        "STATIC_PATHS": ["images"],
        "IGNORE_FILES": [".*"],
        "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
        "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
        "PAGE_URL": "{slug}/",
        "PAGE_SAVE_AS": "{slug}/index.html",
        "TAG_URL": "tags/{slug}/",
        "TAG_SAVE_AS": "tags/{slug}/index.html",
        "TAGS_URL": "tags/",
        "TAGS_SAVE_AS": "tags/index.html",
        "ARCHIVES_URL": "archives/",
        "ARCHIVES_SAVE_AS": "archives/index.html",
        "INDEX_URL": "",
        # Later pages of a list get folder addresses like the rest of the blog: page/2/, tags/bins/page/2/.
        "PAGINATION_PATTERNS": [
            (1, "{url}", "{save_as}"),
            (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
        ],
        "DIRECT_TEMPLATES": ["index", "tags", "archives", "sitemap"],
        "SITEMAP_URL": "sitemap.xml",
        "SITEMAP_SAVE_AS": "sitemap.xml",
        "CATEGORY_SAVE_AS": "",
        "CATEGORIES_SAVE_AS": "",
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        "DRAFT_SAVE_AS": "",
        "DRAFT_PAGE_SAVE_AS": "",
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "FEED_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
        "TAG_FEED_ATOM": "feeds/tags/{slug}.atom.xml",
        "DEFAULT_PAGINATION": 10,
        "WITH_FUTURE_DATES": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "PLUGINS": [],
        # Titles and names come from councillors' files: escape them unless a template says otherwise.
        "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True},
        "SUMMARY_MAX_LENGTH": 50,
        # Shared with the theme: plain data only, so the theme never imports project code.
        "COUNCILLOR": councillor_context(project, blog, site_url),
        "COUNCIL": {"name": programme.council.name, "display_name": programme.council.display_name,
                    "url": programme.council.url},
        "BRAND": brand,
        # Paths from the site's root: the theme puts ROOT (the way up from the page) in front.
        "LOGO_PATH": f"assets/{Path(programme.branding.logo).name}" if programme.branding.logo else None,
        "LOGO_ALT": programme.branding.logo_alt or programme.council.name,
        "HANDBOOK_URL": site_url,
        "COUNCILLORS_PATH": f"{BLOGS_URL_PATH}/",
        # {post slug: [{"label": "Mastodon", "url": ...}]}: where each post was shared, filled in by syndication.
        "SYNDICATION_LINKS": syndication_links(blog.folder),
        # {post slug: {"counts": [...], "replies": [...]}}: what came back, and the replies the councillor approved.
        "RESPONSES": responses.for_site(blog.folder),
        # The share kit: text ready to post by hand where the project cannot post; linked from nowhere.
        "TEMPLATE_PAGES": sharekit.template_pages(blog),
        "SHARE_KIT": sharekit.context(project, blog, site_url),
    }
    return read_settings(path=None, override=overrides)


#: Where Pelican's generators keep the posts and pages of a blog, in every state.
CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations",
                 "pages", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")


def _fix_addresses(generators: list[Any]) -> None:
    """Once every post and page is read, give each one its address for good.

    Pelican works a post's address out from the settings each time it is asked, and the
    theme asks about 95 times for each page it writes: a quarter of a blog's build.
    ``override_url`` is Pelican's own way for a post to state its address.
    """
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                content.override_url = content.url


signals.all_generators_finalized.connect(_fix_addresses)


@contextmanager
def _quiet_console() -> Iterator[None]:
    """Pelican prints a summary per run; with dozens of blogs that buries the messages that matter."""
    was, pelican_console.quiet = pelican_console.quiet, True
    try:
        yield
    finally:
        pelican_console.quiet = was


def build_blog(project: Project, blog: Blog, output: Path, site_url: str, strict: bool = False,
               templates: BytecodeCache | None = None, rendered_file: Path | None = None) -> None:
    """Build one blog into ``output`` (the blog's own folder in the staging area).

    ``templates``: where compiled theme templates are kept; every blog uses the same theme,
    and without it Pelican compiles every template again for each blog. ``rendered_file``:
    where the blog's posts rendered to HTML are kept between builds.
    """
    output.mkdir(parents=True, exist_ok=True)
    settings = pelican_settings(project, blog, output, site_url)
    if templates is not None:
        # auto_reload off: the theme does not change during a build, and Jinja would otherwise
        # look at each template file's time on every get_template, about 350 times per blog.
        settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": templates,
                                         "auto_reload": False}
    # Pelican logs a broken file and carries on; we must not.
    fingerprint = cache.toolkit_fingerprint()
    if rendered_file:
        load_rendered(rendered_file, fingerprint)
    try:
        with recorded("pelican", logging.WARNING if strict else logging.ERROR) as records, _quiet_console():
            Pelican(settings).run()
        if rendered_file and not records:
            save_rendered(rendered_file, fingerprint)
    finally:
        rendered.clear()
        rendered_used.clear()
    if records:
        detail = "\n".join(f"  {r.getMessage()}" for r in records)
        raise BuildError(f"the blog in {blog.folder} did not build cleanly:\n{detail}")
    if blog.councillor.photo:
        (output / photo_name(blog)).write_bytes((blog.folder / blog.councillor.photo).read_bytes())
