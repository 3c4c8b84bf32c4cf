"""The writing screen at ``/admin/``: a form for writing posts, from an iPad as from a computer.

It is Sveltia CMS, an editor that runs in the browser and saves each post as a commit to the
programme's GitHub repository, so the site rebuilds as it does after any other change. Its
script, fonts and translations are a copy kept in the repository, in ``themes/admin/sveltia-cms``,
rather than installed from npm at build time: a council's build on GitHub Actions then needs no
Node, the README's one-line setup stays one line, and every site serves exactly the bytes the
browser tests ran against (``update-sveltia.sh`` refreshes the copy). The site serves them
itself, so the page asks no other host for anything but GitHub's API.

The editor's settings (``admin/config.yml``) are made here from the models that read posts
and council news (``posts.FrontMatter``, ``news.ItemFrontMatter``): the same names,
the same required fields, the same help text, and the file names ``councillor post`` gives.
"""

from __future__ import annotations

import logging
import re
import shutil
import typing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from pydantic import BaseModel
from ruamel.yaml import YAML

from generator.inputs import news, posts
from generator.inputs.colours import brand_colours
from generator.inputs.config import Blog, Programme, Project, setting_help
from generator.inputs.layout import BLOGS_DIR, toolkit_path
from generator.inputs.networks import NETWORKS

log = logging.getLogger("generator")

#: The copy in themes/admin/sveltia-cms; the browser tests ran against exactly this version.
SVELTIA_VERSION = "0.221.1"
ADMIN_URL_PATH = "admin"
VENDOR_DIR = Path("themes") / "admin" / "sveltia-cms"
GITHUB_PAGES = re.compile(r"^https://([A-Za-z0-9-]+)\.github\.io/([A-Za-z0-9._-]+)?")
#: Uploaded pictures larger than this are refused: an iPad photo is 2-5 MB, and a blog page
#: should not make a reader on a phone download more.
MAX_UPLOAD_BYTES = 5_000_000
# Day.js tokens, as the generator writes dates: 2027-01-26 18:30.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
FILE_NAME = "{{fields.date | date('YYYY-MM-DD')}}-{{title}}"
#: Pictures only among the text's inserts: the editor's code block would load its colouring from
#: unpkg.com, which the page's policy refuses, and posts have no use for it.
BODY_OPTIONS = {"editor_components": ["image"], "linked_images": False}


def repository(programme: Programme) -> str | None:
    """OWNER/NAME of the repository the screen saves to: the setting, or the github.io address's."""
    if programme.editor.repository:
        return programme.editor.repository
    match = GITHUB_PAGES.match(programme.site.url)
    if not match:
        return None
    owner, name = match.groups()
    return f"{owner}/{name or owner + '.github.io'}"


def screen_url(programme: Programme, site_url: str) -> str | None:
    """Where the writing screen is, if the site has one."""
    if programme.editor.enabled and repository(programme):
        return f"{site_url}{ADMIN_URL_PATH}/"
    return None


def content_security_policy() -> str:
    """What the screen may load, as strict as the editor allows.

    ``'unsafe-inline'`` styles: the editor's framework writes style elements and attributes.
    ``blob:`` for connections and workers: a picture being uploaded is read from a blob URL.
    ``data:`` connections: the editor reads its own logo from one before it reads its settings.
    ``blob:`` frames: the preview of a post is a page the editor makes in the browser.
    GitHub's API is where posts are saved, and GitHub's avatars show who is signed in.
    """
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' blob: data: https://avatars.githubusercontent.com; font-src 'self'; "
            "connect-src 'self' blob: data: https://api.github.com; worker-src 'self' blob:; frame-src blob:; "
            "object-src 'none'; "
            "base-uri 'self'; form-action 'none'")


def _field(model: type[BaseModel], name: str, widget: str, label: str, **extra: Any) -> dict[str, Any]:
    """One field of the form, with the model's own description as its help text."""
    info = model.model_fields[name]
    field: dict[str, Any] = {"name": name, "label": label, "widget": widget}
    if not info.is_required():
        field["required"] = False
    if description := info.description or setting_help(model).get(name):
        field["hint"] = " ".join(description.split())
    return field | extra


def _options(model: type[BaseModel], name: str) -> list[str]:
    annotation = model.model_fields[name].annotation
    return [str(option) for option in typing.get_args(annotation)]


def post_fields() -> list[dict[str, Any]]:
    """A post's front matter as form fields, in the order the file will have them, then the post itself."""
    m = posts.FrontMatter
    image = posts.Image
    return [
        _field(m, "title", "string", "Title"),
        _field(m, "date", "datetime", "Date", format=DATE_FORMAT, default="{{now}}"),
        _field(m, "summary", "text", "Summary"),
        _field(m, "tags", "list", "Tags"),
        _field(m, "image", "object", "Picture", collapsed=False, fields=[
            _field(image, "src", "image", "Picture file"),
            _field(image, "alt", "string", "Description of the picture (alt text)"),
        ]),
        _field(m, "political", "boolean", "Party political", default=False),
        _field(m, "status", "select", "Status", options=_options(m, "status"), default="published", required=True),
        _field(m, "modified", "datetime", "Last changed", format=DATE_FORMAT),
        _field(m, "slug", "string", "Web address", pattern=[posts.SLUG, "lower-case letters, digits and hyphens"]),
        _field(m, "social", "object", "Different words per network", collapsed=True,
               fields=[{"name": name, "label": network.label, "widget": "text", "required": False}
                       for name, network in NETWORKS.items()]),
        {"name": "body", "label": "Post", "widget": "markdown", **BODY_OPTIONS,
         "hint": "What you want to say. A picture in the text needs a description too."},
    ]


def item_fields() -> list[dict[str, Any]]:
    """A council news item's front matter as form fields, then the item itself."""
    m = news.ItemFrontMatter
    return [
        _field(m, "title", "string", "Title", maxlength=120),
        _field(m, "date", "datetime", "Date", format=DATE_FORMAT, default="{{now}}"),
        _field(m, "department", "string", "Department", minlength=2),
        _field(m, "summary", "text", "Text to share", maxlength=news.SHARE_LIMIT),
        _field(m, "code", "string", "Short link code", maxlength=news.CODE_LIMIT,
               pattern=[posts.SLUG, "lower-case letters, digits and hyphens"]),
        _field(m, "allowed_in_pre_election", "boolean", "Allowed in the pre-election period", default=False),
        _field(m, "tags", "list", "Tags"),
        _field(m, "link", "string", "Full details on the council's website",
               pattern=[r"^https?://\S+$", "a web address starting https://"]),
        {"name": "body", "label": "Item", "widget": "markdown", **BODY_OPTIONS},
    ]


#: How both kinds of entry are kept: one Markdown file each, named by date and title, newest first.
DATED_FILES: dict[str, Any] = {
    "create": True,
    "extension": "md",
    "format": "frontmatter",
    "slug": FILE_NAME,
    "summary": "{{title}} ({{fields.date | date('D MMM YYYY')}})",
    "sortable_fields": {"fields": ["date", "title"], "default": {"field": "date", "direction": "descending"}},
}


def blog_collection(project: Project, blog: Blog) -> dict[str, Any]:
    """One councillor's posts: their folder, their pictures, files named as ``councillor post`` names them."""
    folder = blog.content_dir.relative_to(project.root).as_posix()
    c = blog.councillor
    return {
        "name": blog.slug,
        "label": c.name,
        "label_singular": "post",
        "description": f"Posts on the blog of {c.name}, councillor for {c.ward}.",
        "folder": f"{folder}/{posts.POSTS_DIR}",
        **DATED_FILES,
        # A leading / counts from the repository's root; ./images is how a post names its pictures.
        "media_folder": f"/{folder}/images",
        "public_folder": "./images",
        "fields": post_fields(),
    }


def news_collection() -> dict[str, Any]:
    return {
        "name": "council-news",
        "label": "Council news",
        "label_singular": "news item",
        "description": "Short items from the council's departments, each with a short link to share.",
        "folder": news.CONTENT_DIR,
        **DATED_FILES,
        "fields": item_fields(),
    }


def editor_config(project: Project, site_url: str, repo: str) -> dict[str, Any]:
    """The whole of ``admin/config.yml``."""
    editor = project.programme.editor
    backend: dict[str, Any] = {
        "name": "github",
        "repo": repo,
        "branch": editor.branch,
        # A token needs no server; an OAuth client is for councils that run one.
        "auth_methods": ["oauth", "token"] if editor.oauth_base_url else ["token"],
        "commit_messages": {"create": "New {{collection}}: {{slug}}", "update": "Edit {{collection}}: {{slug}}",
                            "delete": "Delete {{collection}}: {{slug}}",
                            "uploadMedia": "Upload {{path}}", "deleteMedia": "Delete {{path}}"},
    }
    if editor.oauth_base_url:
        backend["base_url"] = editor.oauth_base_url
    config: dict[str, Any] = {
        "app_title": f"{project.programme.site.title}: writing screen",
        "backend": backend,
        "site_url": site_url,
        "display_url": site_url,
        # Where a picture goes when it is not added to a post: never a folder under councillor_blogs/,
        # which the build would read as a blog with no councillor.yml.
        "media_folder": f"{news.CONTENT_DIR}/images",
        "public_folder": "/images",
        "media_libraries": {
            "default": {"config": {"slugify_filename": True, "max_file_size": MAX_UPLOAD_BYTES}},
            "stock_assets": False,
        },
        "slug": {"encoding": "ascii", "clean_accents": True},
        "output": {"omit_empty_optional_fields": True, "yaml": {"quote": "none"}},
        "collections": [blog_collection(project, blog) for blog in project.blogs] + [news_collection()],
    }
    logo = project.programme.branding.logo
    if logo:
        # A path on this host, so that it loads whatever address the site is reached by.
        config["logo"] = {"src": f"{urlsplit(site_url).path}assets/{Path(logo).name}"}
    return config


INDEX_HTML = """<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{csp}">
  <meta name="robots" content="noindex">
  <title>Write a post – {title}</title>
  <link href="config.yml" type="application/yaml" rel="cms-config-url">
</head>
<body>
  <noscript><p>The writing screen needs JavaScript. Posts can also be written in GitHub's own editor:
  see the handbook's guide to posting from an iPad.</p></noscript>
  <script src="sveltia-cms.js"></script>
  <script src="preview.js"></script>
</body>
</html>
"""

#: Registers the blog's own styles for the editor's preview pane; a file of its own because the
#: page's policy runs no script written into the page.
PREVIEW_JS = 'CMS.registerPreviewStyle("preview.css");\n'


def preview_css(project: Project) -> str:
    """The blog theme's styles with the council's colours, for the preview pane."""
    css = (toolkit_path(project.root, "themes/blog/static/css") / "blog.css").read_text(encoding="utf-8")
    brand = brand_colours(project.programme.branding)
    # The preview may sit in a shadow root, where :root matches nothing.
    css = css.replace(":root {", ":root, :host {")
    return (css + f"\n:root, :host {{ --brand: {brand['primary']}; --accent: {brand['accent']}; }}\n"
            "body { padding: 0 1.5rem; }\n")


def build_admin(project: Project, output: Path, site_url: str) -> bool:
    """Write the writing screen into ``output/admin/``; False (and nothing written) if it is switched off."""
    repo = repository(project.programme)
    if not project.programme.editor.enabled:
        return False
    if repo is None:
        log.info("No writing screen at /%s/: set editor.repository in programme.yml to the site's GitHub "
                 "repository (OWNER/NAME) to add one", ADMIN_URL_PATH)
        return False
    target = output / ADMIN_URL_PATH
    shutil.copytree(toolkit_path(project.root, VENDOR_DIR.as_posix()), target, ignore=shutil.ignore_patterns("VERSION"))
    programme = project.programme
    (target / "index.html").write_text(INDEX_HTML.format(
        lang=escape(programme.site.language), title=escape(programme.site.title),
        csp=escape(content_security_policy())), encoding="utf-8")
    yaml = YAML()  # keeps each field's keys in the order written here
    yaml.width = 4096
    with open(target / "config.yml", "w", encoding="utf-8") as f:
        f.write(f"# The writing screen's settings (Sveltia CMS {SVELTIA_VERSION}), made by the build from\n"
                f"# programme.yml and {BLOGS_DIR}/: edit those, not this file.\n")
        yaml.dump(editor_config(project, site_url, repo), f)
    (target / "preview.js").write_text(PREVIEW_JS, encoding="utf-8")
    (target / "preview.css").write_text(preview_css(project), encoding="utf-8")
    return True
