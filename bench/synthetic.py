"""A synthetic programme of B councillors x P posts, written three ways from the same words.

* ``programme/``: our own layout (YAML front matter), built by ``councillor build``;
* ``pelican/<slug>/``: Pelican's native ``Key: value`` metadata, one folder per blog, for
  the per-blog ``pelican`` loop (plain ``pelican`` cannot read YAML front matter);
* ``hugo/``: one combined Hugo site with the same posts.

The random generator is seeded, so a given (blogs, posts, seed) always gives the same files.
"""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

WARDS = ["Castle", "Riverside", "Northgate", "Fenside", "Market", "Abbey", "Priory", "Wharf", "Mill", "Orchard",
         "Station", "Harbour", "Meadow", "Chapel", "Bridge", "Heath", "Moor", "Quay", "Granary", "Sluice"]
FIRST = ["Amira", "Tom", "Grace", "Imran", "Kerry", "Chloe", "Daniel", "Margaret", "Sian", "Owen", "Priya", "Ruth",
         "Kwame", "Helen", "Lewis", "Nadia", "Sam", "Bethan", "Farah", "George", "Lucy", "Mohammed", "Joan", "Ravi"]
LAST = ["Patel", "Whitaker", "Okonkwo", "Haque", "Blackwood", "Durand", "OConnor", "Ellison", "Pryce", "Morgan",
        "Shah", "Evans", "Asante", "Marsh", "Hughes", "Begum", "Taylor", "Lloyd", "Khan", "Foster", "Reid", "Clarke"]
TAGS = ["bins", "parks", "roads", "planning", "housing", "budget", "meetings", "surgeries", "flooding", "schools",
        "buses", "libraries", "licensing", "waste", "leisure", "police", "events", "consultations", "cycling", "trees"]
TOPICS = ["the bin round", "the new playground", "the potholes on Station Approach", "the draft budget",
          "the flood defences", "the library opening hours", "the bus timetable", "the planning application",
          "the leisure centre", "the recycling plan", "parking on Mill Lane", "the market square",
          "the school crossing", "street lighting", "the riverside path", "the community grant scheme"]
SENTENCES = [
    "I raised {topic} with officers at last week's meeting and asked for a written answer.",
    "Several residents wrote to me about {topic}, and I promised to report back here.",
    "The council has now agreed a timetable for {topic}, which I have copied below.",
    "If {topic} affects your street, please tell me at my next surgery or by email.",
    "Officers expect to finish the work on {topic} before the end of the month.",
    "The cabinet discussed {topic} on Tuesday evening, and the papers are online.",
    "I walked the ward with the highways team on Friday to look at {topic} together.",
    "Thank you to everyone who answered the survey about {topic} in the spring.",
    "Money for {topic} comes partly from a government grant and partly from savings elsewhere.",
    "There is still time to have your say on {topic} before the consultation closes.",
    "I will keep pressing for a proper answer on {topic} until the work is done.",
    "Some of you asked why {topic} has taken so long; the short answer is staffing.",
    "The contractor has promised a second visit to check on {topic} next week.",
    "You can read the full report on {topic} in the meeting papers on the council's website.",
]
HEADINGS = ["What is changing", "Why it matters", "What happens next", "What you told me", "The numbers",
            "How to have your say", "Dates for your diary", "What I am doing about it"]
LINKS = [("the council's website", "https://www.fenmarsh.example/"),
         ("the meeting papers", "https://www.fenmarsh.example/meetings"),
         ("the bin day finder", "https://www.fenmarsh.example/bins"),
         ("the consultation page", "https://www.fenmarsh.example/consultations"),
         ("report a problem", "https://www.fenmarsh.example/report")]
FIRST_DAY = dt.datetime(2019, 1, 7, 9, 0)


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    date: dt.datetime
    summary: str
    tags: list[str]
    body: str


@dataclass(frozen=True)
class Councillor:
    slug: str
    name: str
    ward: str
    posts: list[Post]


def _paragraph(rng: random.Random, topic: str, words: list[int]) -> str:
    text = " ".join(rng.choice(SENTENCES).format(topic=topic) for _ in range(rng.randint(3, 6)))
    if rng.random() < 0.4:
        label, url = rng.choice(LINKS)
        text += f" More detail is on [{label}]({url})."
    if rng.random() < 0.2:
        text = text.replace(" officers ", " **officers** ", 1)
    words[0] += len(text.split())
    return text


def _body(rng: random.Random, topic: str) -> str:
    """300 to 800 words: paragraphs under second-level headings, with lists and links."""
    # Blocks overshoot the target by up to ~150 words, so aim low to land within 300-800.
    target = rng.randint(300, 620)
    words = [0]
    blocks = [_paragraph(rng, topic, words)]
    headings = rng.sample(HEADINGS, len(HEADINGS))
    while words[0] < target:
        blocks.append(f"## {headings[len(blocks) % len(headings)]}")
        blocks.append(_paragraph(rng, topic, words))
        if rng.random() < 0.5:
            numbered = rng.random() < 0.4
            items = [rng.choice(SENTENCES).format(topic=rng.choice(TOPICS)) for _ in range(rng.randint(3, 5))]
            blocks.append("\n".join(f"{i + 1}. {item}" if numbered else f"- {item}" for i, item in enumerate(items)))
            words[0] += sum(len(item.split()) for item in items)
    return "\n\n".join(blocks) + "\n"


def make_councillors(blogs: int, posts: int, seed: int = 7) -> list[Councillor]:
    rng = random.Random(seed)
    councillors = []
    for b in range(blogs):
        name = f"{FIRST[b % len(FIRST)]} {LAST[(b * 7) % len(LAST)]}"
        slug = f"{name.lower().replace(' ', '-')}-{b:03d}"
        ward = f"{WARDS[b % len(WARDS)]} {b // len(WARDS) + 1}"
        day = FIRST_DAY + dt.timedelta(days=b)
        items = []
        for p in range(posts):
            topic = rng.choice(TOPICS)
            day += dt.timedelta(days=rng.randint(2, 9), minutes=rng.randint(0, 600))
            title = f"{rng.choice(['Update on', 'News about', 'Questions about', 'A note on'])} {topic} ({p + 1})"
            summary = rng.choice(SENTENCES).format(topic=topic)
            items.append(Post(slug=f"post-{p + 1:03d}", title=title, date=day, summary=summary,
                              tags=rng.sample(TAGS, rng.randint(1, 4)), body=_body(rng, topic)))
        councillors.append(Councillor(slug=slug, name=name, ward=ward, posts=items))
    return councillors


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PROGRAMME = """\
council:
  name: Benchmark District Council
  short_name: Benchmark
  url: https://www.fenmarsh.example/
site:
  url: https://bench.example/
  title: Benchmark Networked Councillor
branding:
  primary_colour: "#00594f"
  accent_colour: "#8a1c4a"
cohort:
  name: Benchmark cohort
accessibility:
  contact_email: web.team@fenmarsh.example
  reviewed: 2026-01-01
"""


def write_programme(councillors: list[Councillor], root: Path) -> Path:
    """Our layout: programme.yml and councillor_blogs/<slug>/ with YAML front matter posts."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yml").write_text(PROGRAMME, encoding="utf-8")
    for c in councillors:
        folder = root / "councillor_blogs" / c.slug
        (folder / "content" / "posts").mkdir(parents=True, exist_ok=True)
        (folder / "content" / "pages").mkdir(parents=True, exist_ok=True)
        (folder / "councillor.yml").write_text(textwrap.dedent(f"""\
            name: {c.name}
            ward: {c.ward}
            bio: I write here about my casework in {c.ward} ward.
            contact:
              email: {c.slug}@councillors.fenmarsh.example
            platforms:
              mastodon: "@{c.slug}@social.fenmarsh.example"
            """), encoding="utf-8")
        (folder / "content" / "pages" / "about.md").write_text(
            f"---\ntitle: About {c.name}\ndate: 2019-01-01\n---\nI represent {c.ward} ward.\n", encoding="utf-8")
        for p in c.posts:
            head = (f"title: {_quote(p.title)}\ndate: {p.date:%Y-%m-%d %H:%M}\nsummary: {_quote(p.summary)}\n"
                    f"tags: [{', '.join(p.tags)}]\nslug: {p.slug}\n")
            (folder / "content" / "posts" / f"{p.date:%Y-%m-%d}-{p.slug}.md").write_text(
                f"---\n{head}---\n{p.body}", encoding="utf-8")
    return root


def write_pelican_content(councillors: list[Councillor], root: Path) -> list[Path]:
    """The same posts in Pelican's native metadata format, one content folder per blog."""
    folders = []
    for c in councillors:
        content = root / c.slug / "content"
        (content / "posts").mkdir(parents=True, exist_ok=True)
        (content / "pages").mkdir(parents=True, exist_ok=True)
        (content / "pages" / "about.md").write_text(
            f"Title: About {c.name}\nDate: 2019-01-01 09:00\nSlug: about\n\nI represent {c.ward} ward.\n",
            encoding="utf-8")
        for p in c.posts:
            (content / "posts" / f"{p.date:%Y-%m-%d}-{p.slug}.md").write_text(
                f"Title: {p.title}\nDate: {p.date:%Y-%m-%d %H:%M}\nSummary: {p.summary}\n"
                f"Tags: {', '.join(p.tags)}\nSlug: {p.slug}\n\n{p.body}", encoding="utf-8")
        folders.append(root / c.slug)
    return folders


HUGO_CONFIG = """\
baseURL = "https://bench.example/"
languageCode = "en-gb"
title = "Benchmark"
paginate = 10
disableKinds = ["robotsTXT"]
[taxonomies]
  tag = "tags"
[permalinks]
  councillors = "/councillors/:sections[1]/:year/:month/:slug/"
"""

# Layouts of about the same weight as the blog theme: a base page, a post, a paginated list.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><header><h1><a href="{{ .Site.BaseURL }}">{{ .Site.Title }}</a></h1></header>
<main>{{ block "main" . }}{{ end }}</main><footer><address>Benchmark</address></footer></body></html>
""",
    "_default/single.html": """{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}<article>
<header><h2><a href="{{ .Permalink }}" rel="bookmark">{{ .Title }}</a></h2></header>
{{ .Content }}
<footer><p>Published: <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
{{ .Date.Format "2 January 2006" }}</time></p>
{{ with .Params.tags }}<p>Tags: {{ range . }}
<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>{{ end }}
</footer></article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h2>{{ .Title }}</h2>
{{ $paginator := .Paginate .RegularPagesRecursive }}
{{ range $paginator.Pages }}<article><h3><a href="{{ .Permalink }}">{{ .Title }}</a></h3>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<div>{{ .Summary }}</div></article>{{ end }}
{{ if $paginator.HasPrev }}<a href="{{ $paginator.Prev.URL }}">Newer</a>{{ end }}
{{ if $paginator.HasNext }}<a href="{{ $paginator.Next.URL }}">Older</a>{{ end }}
{{ end }}
""",
}


def write_hugo_site(councillors: list[Councillor], root: Path) -> Path:
    """One combined Hugo site: a section per councillor, the same posts with YAML front matter."""
    (root / "content" / "councillors").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for c in councillors:
        section = root / "content" / "councillors" / c.slug
        section.mkdir(parents=True, exist_ok=True)
        (section / "_index.md").write_text(f"---\ntitle: {_quote(c.name)}\n---\n", encoding="utf-8")
        for p in c.posts:
            head = (f"title: {_quote(p.title)}\ndate: {p.date:%Y-%m-%dT%H:%M:00}\nsummary: {_quote(p.summary)}\n"
                    f"tags: [{', '.join(p.tags)}]\nslug: {p.slug}\n")
            (section / f"{p.date:%Y-%m-%d}-{p.slug}.md").write_text(f"---\n{head}---\n{p.body}", encoding="utf-8")
    return root
