"""Every problem in every blog's posts and pages, found before anything is built.

Each comes with its file, line and fix. None of this needs Pelican, so the build checks the
blogs in its main process while the workers build.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from generator.exceptions import Problem
from generator.inputs import files, posts
from generator.inputs.config import Blog, Project

log = logging.getLogger("generator.steps.blogs")


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


