"""What the blog theme and the councillors index know of a councillor: plain data, no project code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.inputs.config import Blog, Project
from generator.inputs.networks import NETWORKS, profile_url
from generator.inputs.urls import blog_url


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


