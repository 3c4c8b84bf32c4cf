"""A post's picture goes with it, with its description: Mastodon against mastodon-mock, the fitting on its own."""

from __future__ import annotations

import io
import json
import random
from urllib.parse import parse_qs

import pytest
from PIL import Image

from generator.syndication import pictures
from tests.syndication.conftest import DUE, SENTINEL, mastodon_env, statuses

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
ALT = "Two wheelie bins by a garden gate on Castle Street"


def with_picture(programme, picture: Image.Image, name: str = "bins.png") -> None:
    images = programme.blog / "content" / "images"
    images.mkdir(parents=True, exist_ok=True)
    picture.save(images / name)
    post = programme.blog / "content/posts/2026-10-20-bin-collections-change.md"
    post.write_text(post.read_text().replace("---\nBody", f"image:\n  src: images/{name}\n  alt: {ALT}\n---\nBody"))


def test_mastodon_gets_the_picture_as_media_with_its_description(programme, mastodon_server):
    with_picture(programme, Image.linear_gradient("L").resize((600, 315)).convert("RGB"))
    from generator.syndication.runner import run

    report = run(programme.root, env=mastodon_env(mastodon_server), sleep=lambda s: None)
    assert [r.status for r in report.results] == ["sent", "sent"]
    by_post = {slug: next(s for s in statuses(mastodon_server) if slug in s["content"]) for slug in DUE}
    (media,) = by_post[DUE[0]]["media_attachments"]
    assert media["type"] == "image" and media["description"] == ALT
    client = mastodon_server.client(token=SENTINEL)
    assert client.media(media["id"])["description"] == ALT
    assert by_post[DUE[1]]["media_attachments"] == []  # a post without a picture goes as before
    row = next(e for e in __import__("json").loads(programme.ledger.read_text())["posts"].values()
               if e["slug"] == DUE[0])["networks"]["mastodon"]
    assert row["status"] == "done" and "progress" not in row


def test_a_picture_over_the_limits_is_made_smaller_as_a_jpeg(tmp_path):
    big = tmp_path / "noise.png"
    Image.frombytes("RGB", (900, 700), random.Random(5).randbytes(900 * 700 * 3)).save(big)
    assert big.stat().st_size > 1_000_000
    made = pictures.fit(big, "  Noise \n on a screen ", label="Test", max_bytes=300_000, max_pixels=400_000)
    assert made is not None and made.mime == "image/jpeg" and len(made.data) <= 300_000
    assert made.alt == "Noise on a screen" and made.name == "noise.jpg"
    with Image.open(io.BytesIO(made.data)) as shrunk:
        assert shrunk.size[0] * shrunk.size[1] <= 400_000 and shrunk.size[0] / shrunk.size[1] == pytest.approx(9 / 7,
                                                                                                               0.01)
    small = tmp_path / "small.png"
    Image.new("RGBA", (40, 20), (0, 0, 0, 0)).save(small)
    assert pictures.fit(small, "x", label="Test", max_bytes=10_000).data == small.read_bytes()
    assert pictures.fit(small, "x", label="Test", max_bytes=10_000, max_side=30).mime == "image/jpeg"
    svg = tmp_path / "plan.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(small.read_bytes()[:50])
    for nothing in (svg, broken, tmp_path / "missing.png", None):
        assert pictures.fit(nothing, "x", label="Test", max_bytes=10_000) is None


# --- Facebook Pages, Threads and LinkedIn, by their documented payloads --------------------------

def contract_programme(tmp_path, network):
    from tests.syndication.conftest import make_programme
    from tests.syndication.test_contracts import PLATFORMS

    programme = make_programme(tmp_path, extra_platforms=PLATFORMS[network])
    with_picture(programme, Image.linear_gradient("L").resize((600, 315)).convert("RGB"))
    return programme


def contract_run(programme, network):
    from generator.syndication.runner import run
    from tests.support.helpers import Sleeps
    from tests.syndication.test_contracts import ENV

    return run(programme.root, network=network, env=ENV[network], sleep=Sleeps(), clock=lambda: 1_700_000_000.0)


def test_facebook_posts_the_picture_as_a_photo_with_its_description(tmp_path):
    from tests.syndication import payloads as P
    from tests.syndication.test_contracts import FB_BASE, calls, responses

    programme = contract_programme(tmp_path, "facebook")
    photos, feed = f"{FB_BASE}/546349135390552/photos", f"{FB_BASE}/546349135390552/feed"
    with responses.RequestsMock() as mock:
        mock.post(photos, json=P.FB_PHOTO_CREATED)
        mock.post(feed, json=P.FB_CREATED_2)
        report = contract_run(programme, "facebook")
        (photo,) = calls(mock, "POST", photos)
        assert len(calls(mock, "POST", feed)) == 1  # the post without a picture is a link post, as before
    assert [r.status for r in report.results] == ["sent", "sent"]
    body = photo.request.body
    assert b'name="source"; filename="bins.png"' in body and b"\x89PNG" in body
    assert b'name="alt_text_custom"' in body and ALT.encode() in body
    assert DUE[0].encode() in body  # the caption carries the link
    assert report.results[0].remote_url == "https://www.facebook.com/546349135390552/posts/1116692661689601"


def test_facebook_refusing_the_photo_fails_that_post_only(tmp_path):
    from tests.syndication import payloads as P
    from tests.syndication.test_contracts import FB_BASE, responses

    programme = contract_programme(tmp_path, "facebook")
    with responses.RequestsMock() as mock:
        mock.post(f"{FB_BASE}/546349135390552/photos", json=P.FB_PHOTO_REFUSED, status=400)
        mock.post(f"{FB_BASE}/546349135390552/feed", json=P.FB_CREATED_2)
        report = contract_run(programme, "facebook")
    assert [r.status for r in report.results] == ["error", "sent"]
    assert "Requires upload file" in report.results[0].detail


def test_threads_makes_an_image_container_from_the_published_picture(tmp_path):
    from tests.syndication import payloads as P
    from tests.syndication.conftest import SITE_URL
    from tests.syndication.test_contracts import TH_BASE, calls, responses

    programme = contract_programme(tmp_path, "threads")
    containers = f"{TH_BASE}/1789/threads"
    with responses.RequestsMock() as mock:
        for container, published in ((P.TH_CONTAINER, P.TH_PUBLISHED), (P.TH_CONTAINER_2, P.TH_PUBLISHED_2)):
            mock.post(containers, json=container)
            mock.post(f"{TH_BASE}/1789/threads_publish", json=published)
            mock.get(f"{TH_BASE}/{published['id']}", json=P.TH_PERMALINK)
        report = contract_run(programme, "threads")
        first, second = (parse_qs(c.request.body) for c in calls(mock, "POST", containers))
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert first["media_type"] == ["IMAGE"] and first["alt_text"] == [ALT]
    assert first["image_url"] == [f"{SITE_URL}councillors/amira-patel/images/bins.png"]
    assert DUE[0] in first["text"][0] and "link_attachment" not in first
    assert second["media_type"] == ["TEXT"] and "image_url" not in second


def test_threads_unable_to_fetch_the_picture_fails_that_post_only(tmp_path):
    from tests.syndication import payloads as P
    from tests.syndication.test_contracts import TH_BASE, responses

    programme = contract_programme(tmp_path, "threads")
    with responses.RequestsMock() as mock:
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_IMAGE_NOT_FETCHED, status=400)
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_CONTAINER_2)
        mock.post(f"{TH_BASE}/1789/threads_publish", json=P.TH_PUBLISHED_2)
        mock.get(f"{TH_BASE}/{P.TH_PUBLISHED_2['id']}", json=P.TH_PERMALINK)
        report = contract_run(programme, "threads")
    assert [r.status for r in report.results] == ["error", "sent"]
    assert "Invalid parameter" in report.results[0].detail


def test_linkedin_uploads_the_picture_as_the_articles_thumbnail(tmp_path):
    from tests.syndication import payloads as P
    from tests.syndication.test_contracts import LI_BASE, calls, responses

    programme = contract_programme(tmp_path, "linkedin")
    with responses.RequestsMock() as mock:
        mock.post(f"{LI_BASE}/rest/images", json=P.LI_IMAGE_INITIALIZED)
        mock.put(P.LI_UPLOAD_URL.split("?")[0], status=201)
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS)
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS_2)
        report = contract_run(programme, "linkedin")
        (init,) = calls(mock, "POST", f"{LI_BASE}/rest/images")
        (upload,) = calls(mock, "PUT", P.LI_UPLOAD_URL.split("?")[0])
        first, second = (json.loads(c.request.body) for c in calls(mock, "POST", f"{LI_BASE}/rest/posts"))
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert "action=initializeUpload" in init.request.url
    assert json.loads(init.request.body) == {"initializeUploadRequest": {"owner": "urn:li:person:8675309"}}
    assert upload.request.body.startswith(b"\x89PNG") and upload.request.headers["Content-Type"] == "image/png"
    article = first["content"]["article"]
    assert article["thumbnail"] == "urn:li:image:C4E10AQFoyyAjHPMQuQ" and article["thumbnailAltText"] == ALT
    assert "thumbnail" not in second["content"]["article"]


def test_linkedin_refusing_the_upload_says_what_to_do(tmp_path):
    from tests.syndication import payloads as P
    from tests.syndication.test_contracts import LI_BASE, calls, responses

    programme = contract_programme(tmp_path, "linkedin")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{LI_BASE}/rest/images", json=P.LI_UPLOAD_NOT_PERMITTED, status=403)
        report = contract_run(programme, "linkedin")
        assert calls(mock, "POST", f"{LI_BASE}/rest/posts") == []
    first = report.results[0]
    assert first.status == "error" and "refused the token" in first.detail and "w_member_social" in first.fix
    assert SENTINEL not in first.detail + first.fix
