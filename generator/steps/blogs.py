"""The blog step: each councillor's blog, built with Pelican's Python API.

Each blog's Pelican settings are derived from its ``councillor.yml`` plus the shared
defaults below, so there is no ``pelicanconf.py`` to copy and drift per blog. Pelican's
internals are reached only through ``generator.compat``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import Pelican
from pelican.settings import read_settings

from generator import compat, memo
from generator.exceptions import BuildError
from generator.fingerprint import toolkit_fingerprint
from generator.inputs import posts
from generator.inputs.colours import brand_colours
from generator.inputs.config import Blog, Project
from generator.inputs.layout import toolkit_path
from generator.inputs.urls import BLOGS_URL_PATH, blog_url
from generator.logs import recorded
from generator.steps.blog_reader import FrontMatterReader
from generator.steps.councillor import councillor_context, photo_name
from generator.syndication import responses, sharekit
from generator.syndication.ledger import syndication_links


def pelican_settings(project: Project, blog: Blog, output: Path, site_url: str) -> dict[str, Any]:
    # One flat list of every setting Pelican is given, each with why where it is not obvious: long, but
    # it is the whole of a blog's configuration in one place, as a pelicanconf.py would be.
    programme = project.programme
    siteurl = blog_url(site_url, blog.slug)
    brand = brand_colours(programme.branding)
    overrides: dict[str, Any] = {
        "PATH": str(blog.content_dir),
        "OUTPUT_PATH": str(output),
        "THEME": str(toolkit_path(project.root, "themes/blog")),
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
        # Where the council news a post may quote is kept.
        "PROGRAMME_ROOT": str(project.root),
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




def build_blog(project: Project, output: Path, site_url: str, strict: bool = False, *, slug: str,
               work_dir: Path | None = None) -> None:
    """Build the blog ``slug`` into ``output`` (the blog's own folder in the staging area).

    ``work_dir``: where compiled theme templates are kept (every blog uses the same theme, and
    without it Pelican compiles every template again for each blog) and where the blog's posts
    rendered to HTML are kept between builds.
    """
    blog = project.blog(slug)
    output.mkdir(parents=True, exist_ok=True)
    settings = pelican_settings(project, blog, output, site_url)
    rendered_file = None
    if work_dir is not None:
        templates = work_dir / "templates"
        templates.mkdir(parents=True, exist_ok=True)
        # auto_reload off: the theme does not change during a build, and Jinja would otherwise
        # look at each template file's time on every get_template, about 350 times per blog.
        settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "auto_reload": False,
                                         "bytecode_cache": FileSystemBytecodeCache(str(templates))}
        rendered_file = work_dir / "rendered" / f"{slug}.pickle"
        memo.load_rendered(rendered_file, toolkit_fingerprint())
    compat.settle_addresses()
    compat.forget_pelican_state()
    try:
        # Pelican logs a broken file and carries on; we must not.
        with recorded("pelican", logging.WARNING if strict else logging.ERROR) as records, compat.quiet_pelican():
            Pelican(settings).run()
        if rendered_file is not None and not records:
            memo.save_rendered(rendered_file, toolkit_fingerprint())
    finally:
        memo.forget_rendered()
        # Pelican's memos would keep every post alive, and its log filter would hide the next blog's warnings.
        compat.forget_pelican_state()
    if records:
        detail = "\n".join(f"  {r.getMessage()}" for r in records)
        raise BuildError(f"the blog in {blog.folder} did not build cleanly:\n{detail}")
    if blog.councillor.photo:
        (output / photo_name(blog)).write_bytes((blog.folder / blog.councillor.photo).read_bytes())
