"""Start a councillor's blog, or a new post in one, without copying files by hand.

What is written here is the YAML a councillor goes on to edit, often in GitHub's web editor on
an iPad, so it carries short notes saying what each line is for, and every value is checked
with the same models the build uses before a single file is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from ruamel.yaml import YAML

from generator.exceptions import ConfigError, CouncillorError, Problem
from generator.inputs import posts, yamlfile
from generator.inputs.config import Councillor, Programme
from generator.inputs.layout import BLOGS_DIR, COUNCILLOR_FILE, PROGRAMME_FILE
from generator.inputs.networks import NETWORKS
from generator.inputs.values import slugify

CONTENT_DIR = "content"
IMAGES_DIR = "images"
WELCOME_TITLE = "Welcome to my blog"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}$")
MASTODON = re.compile(r"^@?([^@\s/]+)@([^@\s/]+\.[^@\s/]+)$")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]+$")
DOMAIN_HANDLE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
WEB_ADDRESS = re.compile(r"^https://[^/\s]+\.[^/\s]+(/\S*)?$")

_quoter = YAML(typ="safe", pure=True)
_quoter.default_style = '"'
_quoter.allow_unicode = True
_quoter.width = 1_000_000


NO_CONTACT = ("a blog needs a way for residents to reach the councillor, so nothing was written: give --email, "
              "--phone or both, or add --interactive to be asked")


@dataclass(frozen=True)
class NewBlog:
    folder: Path
    files: list[Path]


@dataclass(frozen=True)
class NewPost:
    path: Path
    date: dt.datetime
    draft: bool


def yaml_scalar(value: str, in_list: bool = False) -> str:
    """``value`` as YAML: unquoted where it reads back exactly the same, double-quoted otherwise.

    Unquoted text is what councillors see in examples and type themselves; quotes only appear
    where YAML would otherwise misread the value (a leading '@', a ': ', a number, 'true')."""
    probe = f"k: [{value}]\n" if in_list else f"k: {value}\n"
    try:
        parsed = yamlfile.plain(yamlfile.parse(probe, Path(PROGRAMME_FILE)))
    except Exception:
        # Not only syntax errors: ruamel crashes on text such as '._' or '-_' that it takes for a number.
        parsed = None
    if value and parsed == {"k": [value] if in_list else value}:
        return value
    stream = io.StringIO()
    _quoter.dump(value, stream)
    return stream.getvalue().strip()


def load_programme(root: Path) -> Programme:
    path = root / PROGRAMME_FILE
    if not path.is_file():
        raise ConfigError([Problem(path, None, "no programme.yml here",
                                   "run the command from the programme folder, or pass --root")])
    programme, problems = yamlfile.load(Programme, path)
    if programme is None:
        raise ConfigError(problems)
    return programme


def platform_entry(network: str, value: str, name: str) -> str | dict[str, str]:
    """What goes under ``platforms:`` for one network, from what the user typed for it."""
    hint = NETWORKS[network].handle_hint
    value = value.strip()
    if network == "mastodon":
        match = MASTODON.match(value)
        if not match:
            raise CouncillorError(f"--mastodon '{value}' is not a Mastodon address: give it as {hint}")
        return f"@{match.group(1)}@{match.group(2)}"
    if NETWORKS[network].profile is None:
        if not WEB_ADDRESS.match(value):
            raise CouncillorError(f"--{network} '{value}' is not a web address: give {hint}, starting https://")
        # These networks have no public address made from a handle, so the link is kept as given.
        return {"handle": name, "url": value}
    handle = value.removeprefix("@")
    pattern = DOMAIN_HANDLE if network == "bluesky" else USERNAME
    if not pattern.match(handle):
        raise CouncillorError(f"--{network} '{value}' does not look like a {NETWORKS[network].label} handle: "
                              f"give {hint}")
    return handle


def _check_councillor(data: dict[str, object], folder: Path) -> None:
    """Refuse values the build would reject, before anything is written."""
    try:
        Councillor.model_validate(data)
    except ValidationError as error:
        problems = [Problem(folder / COUNCILLOR_FILE, None,
                            f"'{'.'.join(str(p) for p in e['loc']) or 'value'}': {e['msg']}") for e in error.errors()]
        raise ConfigError(problems) from None


def councillor_yaml(name: str, ward: str, role: str, party: str | None, bio: str | None,
                    email: str | None, phone: str | None, platforms: Mapping[str, str | dict[str, str]],
                    since: dt.datetime | None = None) -> str:
    """councillor.yml for a new blog, with a note above each setting for whoever edits it next."""
    q = yaml_scalar
    lines = [
        f"# Settings for {name}'s blog. Lines that start with # are notes: the website ignores them.",
        "# The handbook's settings reference explains every setting.",
        "",
        "# Your name as it appears on the ballot paper.",
        f"name: {q(name)}",
        "# The ward you represent.",
        f"ward: {q(ward)}",
        "# Your role, e.g. Cabinet member for environment.",
        f"role: {q(role)}",
        "# Your party or group, if you want it shown.",
        f"party: {q(party)}" if party else "# party: Independent",
        "# One or two sentences about you, shown beside every post.",
        f"bio: {q(bio)}" if bio else f"# bio: I have lived in {ward} ward since 2010 and I write here about ...",
        "# A photo of you: put the file in this folder and give its name here. Without one, your initials are shown.",
        "# photo: photo.jpg",
        "",
        "# How residents reach you about casework: an email address, a phone number, or both.",
        "# The blog never shows the email address as plain text, so spam robots cannot collect it.",
        "contact:",
    ]
    lines += [f"  email: {q(email)}" if email else "  # email: ",
              f"  phone: {q(phone)}" if phone else "  # phone: "]
    lines += [
        "",
        "# Your regular surgeries. Remove the # from the start of these lines and change them;",
        "# copy the '- when' and 'where' lines for each further surgery.",
        "# surgeries:",
        "#   - when: First Saturday of the month, 10:00 to 12:00",
        f"#     where: {ward} Library",
        "",
        "# The networks you use. New posts are shared to each one automatically, except on X, which",
        "# charges for every post: to share there too, put 'syndicate: true' under your X handle.",
    ]
    if platforms:
        lines.append("platforms:")
        for network, entry in platforms.items():
            if isinstance(entry, dict):
                lines += [f"  {network}:"] + [f"    {key}: {q(value)}" for key, value in entry.items()]
            else:
                lines.append(f"  {network}: {q(entry)}")
    else:
        lines += ["# platforms:", "#   bluesky: name.bsky.social", '#   mastodon: "@name@instance.social"']
    if since is not None:
        lines += [
            "",
            "# Posts from this date and time on are shared to your networks; older ones never are.",
            f"syndication_since: {since:%Y-%m-%d %H:%M}",
        ]
    return "\n".join(lines) + "\n"


def about_page(name: str, ward: str, council: str, today: dt.date) -> str:
    first = name.split()[0]
    head = [
        f"title: {yaml_scalar(f'About {first}')}",
        f"date: {today.isoformat()}",
        "# This is your About page. Write below the second --- line: who you are, why you stood,",
        f"# and what you are working on for {ward} ward. Leave a blank line between paragraphs.",
    ]
    # One paragraph to a line: GitHub's editor wraps them, and a sentence never breaks mid-edit.
    body = [
        f"I am the councillor for {ward} ward on {council}.",
        "You are welcome to get in touch about anything affecting you or your street: "
        "the ways to reach me are on every page of this blog.",
    ]
    return _document(head, body)


def welcome_post(name: str, ward: str, council: str, networks: Iterable[str], now: dt.datetime) -> str:
    # Only where posts go by themselves: X is off until switched on, and share-kit networks wait for the councillor.
    labels = [NETWORKS[n].label for n in networks if NETWORKS[n].automated and NETWORKS[n].syndicate_by_default]
    summary = f"Why I am writing this blog, and how to get in touch about anything in {ward} ward."
    follow = (f"You can follow new posts here, on {_join(labels)}, or in a feed reader."
              if labels else "You can follow new posts here, or in a feed reader.")
    head = [
        f"title: {WELCOME_TITLE}",
        f"date: {now:%Y-%m-%d %H:%M}",
        f"summary: {yaml_scalar(summary)}",
        "tags: [news]",
    ]
    body = [
        f"Welcome to my blog. I am {name}, councillor for {ward} ward on {council}.",
        "Social media is good for quick news and conversation, but some things need more room: why a planning "
        "application was decided the way it was, what a change to a council service means for your street, or "
        "what residents have raised at my surgeries. This is where I will explain those in full.",
        f"{follow} If you have a problem you would like my help with, the ways to contact me are on every page.",
    ]
    return _document(head, body)


def _document(front_matter: list[str], paragraphs: list[str]) -> str:
    return "---\n" + "\n".join(front_matter) + "\n---\n" + "\n\n".join(paragraphs) + "\n"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def new_blog(root: Path, name: str, ward: str, *, role: str | None = None, party: str | None = None,
             bio: str | None = None, email: str | None = None, phone: str | None = None,
             platforms: Mapping[str, str] | None = None, now: dt.datetime | None = None) -> NewBlog:
    """Create ``councillor_blogs/<slug>/`` with councillor.yml, an About page and a welcome post."""
    programme = load_programme(root)
    name, ward = " ".join(name.split()), " ".join(ward.split())
    role = " ".join((role or "Councillor").split())
    slug = slugify(name)
    if not slug:
        raise CouncillorError(f"'{name}' has no letters or numbers to make a web address from")
    folder = root / BLOGS_DIR / slug
    if folder.exists():
        raise CouncillorError(f"{folder} already exists, so nothing was changed. To start that blog again, "
                              "delete or rename the folder first.")
    if email is not None and not EMAIL.match(email.strip()):
        raise CouncillorError(f"--email '{email}' is not an email address")
    if phone is not None and not PHONE.match(phone.strip()):
        raise CouncillorError(f"--phone '{phone}' is not a phone number")
    email, phone = (email or "").strip() or None, (phone or "").strip() or None
    if not (email or phone):
        # A blog residents cannot reach the councillor from would stop every blog's build.
        raise CouncillorError(NO_CONTACT)
    entries = {network: platform_entry(network, value, name)
               for network, value in (platforms or {}).items() if value and value.strip()}
    _check_councillor({"name": name, "ward": ward, "role": role, "party": party, "bio": bio or "",
                       "contact": {"email": email, "phone": phone}, "platforms": dict(entries)}, folder)

    zone = ZoneInfo(programme.site.timezone)
    now = (now or dt.datetime.now(zone)).astimezone(zone)
    council = programme.council.name
    files = {
        # Sharing starts with the blog, so the welcome post and the first post after it are shared.
        folder / COUNCILLOR_FILE: councillor_yaml(name, ward, role, party, bio, email, phone, entries, now),
        folder / CONTENT_DIR / posts.PAGES_DIR / "about.md": about_page(name, ward, council, now.date()),
        folder / CONTENT_DIR / posts.POSTS_DIR / f"{now:%Y-%m-%d}-{slugify(WELCOME_TITLE)}.md":
            welcome_post(name, ward, council, entries, now),
        # Git keeps no empty folders; this one is where pictures for posts are uploaded.
        folder / CONTENT_DIR / IMAGES_DIR / ".gitkeep": "",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return NewBlog(folder=folder, files=list(files))


def known_blogs(root: Path) -> list[str]:
    blogs = root / BLOGS_DIR
    if not blogs.is_dir():
        return []
    return sorted(p.name for p in blogs.iterdir() if (p / COUNCILLOR_FILE).is_file())


def find_blog(root: Path, slug: str) -> Path:
    """The folder of the blog called ``slug``; a councillor's name works too ('Jane Smith')."""
    known = known_blogs(root)
    for candidate in (slug, slugify(slug)):
        if candidate in known:
            return root / BLOGS_DIR / candidate
    listing = ", ".join(known) if known else "none yet; create one with 'councillor new'"
    raise CouncillorError(f"there is no blog '{slug}' in {root / BLOGS_DIR}. The blogs there are: {listing}")


def parse_tags(text: str | None) -> list[str]:
    """'bins, waste' -> ['bins', 'waste'], keeping the first of any repeats."""
    tags: list[str] = []
    for tag in (text or "").split(","):
        tag = " ".join(tag.split())
        if tag and tag.lower() not in (t.lower() for t in tags):
            tags.append(tag)
    return tags


def post_text(title: str, date_text: str, tags: list[str], draft: bool) -> str:
    lines = [
        "---",
        f"title: {yaml_scalar(title)}",
        f"date: {date_text}",
        "# summary: One or two sentences for the front page, link previews and social posts.",
        f"tags: [{', '.join(yaml_scalar(t, in_list=True) for t in tags)}]" if tags else "# tags: [bins, roads]",
        "# To show a picture, put it in the blog's content/images folder and add:",
        "# image:",
        "#   src: images/picture.jpg",
        "#   alt: What the picture shows, for people who cannot see it",
        "# For a party-political post, add the line below without its #: the council's own pages leave it out.",
        "# political: true",
    ]
    if draft:
        lines += ["# A draft stays off the site, its feeds and social networks. Delete this line to publish.",
                  "status: draft"]
    lines += [
        "---",
        "Write your post here. Leave a blank line between paragraphs, start a line with ## for a "
        "subheading, and with - for a bullet point.",
        "",
    ]
    return "\n".join(lines)


def new_post(root: Path, blog: str, title: str, *, tags: Iterable[str] = (), draft: bool = False,
             day: dt.date | None = None, now: dt.datetime | None = None) -> NewPost:
    """Create ``content/posts/YYYY-MM-DD-<slug>.md`` in a blog, ready to write in."""
    programme = load_programme(root)
    folder = find_blog(root, blog)
    title = " ".join(title.split())
    if not title:
        raise CouncillorError("the post needs a title")
    slug = slugify(title)
    if not slug:
        raise CouncillorError(f"the title '{title}' has no letters or numbers to make a web address from")
    zone = ZoneInfo(programme.site.timezone)
    now = (now or dt.datetime.now(zone)).astimezone(zone).replace(second=0, microsecond=0)
    if day is None:
        # Today's posts carry the time too: a bare date means 09:00, and would hide a post written earlier.
        date, date_text = now, f"{now:%Y-%m-%d %H:%M}"
    else:
        date, date_text = dt.datetime.combine(day, dt.time(9, 0), zone), day.isoformat()
    path = folder / CONTENT_DIR / posts.POSTS_DIR / f"{date:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise CouncillorError(f"{path} already exists, so nothing was changed")
    existing, _ = posts.read_all(folder / CONTENT_DIR, programme.site.timezone)
    for other in existing:
        if other.slug == slug:
            raise CouncillorError(f"{other.path} already has the web address '{slug}': "
                                  "give this post a different title")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(post_text(title, date_text, list(tags), draft), encoding="utf-8")
    return NewPost(path=path, date=date, draft=draft)
