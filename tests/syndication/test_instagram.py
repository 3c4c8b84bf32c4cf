"""Instagram by the content publishing API's documented payloads: only posts with a picture, off by default."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from PIL import Image

from generator.syndication.runner import run
from tests.support.helpers import Sleeps
from tests.syndication import payloads as P
from tests.syndication.conftest import DUE, SENTINEL, SITE_URL, make_programme
from tests.syndication.test_contracts import calls, responses
from tests.syndication.test_pictures import ALT, with_picture

IG_BASE = "https://graph.instagram.test/v24.0"
ON = "  instagram:\n    handle: amirapatel\n    syndicate: true\n"
ENV = {"NC_AMIRA_PATEL_INSTAGRAM_USER_ID": "17841400008460056", "NC_AMIRA_PATEL_INSTAGRAM_TOKEN": SENTINEL,
       "NC_AMIRA_PATEL_INSTAGRAM_API_BASE": IG_BASE}
MEDIA = f"{IG_BASE}/17841400008460056/media"
PUBLISH = f"{IG_BASE}/17841400008460056/media_publish"


def programme_with_photo(tmp_path, platforms=ON, size=(1080, 1080), name="bins.jpg"):
    programme = make_programme(tmp_path, extra_platforms=platforms)
    with_picture(programme, Image.linear_gradient("L").resize(size).convert("RGB"), name)
    return programme


def syndicate(programme, **kwargs):
    return run(programme.root, network="instagram", env=ENV, sleep=Sleeps(), clock=lambda: 1_700_000_000.0, **kwargs)


def test_a_post_with_a_picture_is_published_with_a_caption_that_says_where_the_post_is(tmp_path):
    programme = programme_with_photo(tmp_path)
    with responses.RequestsMock() as mock:
        mock.post(MEDIA, json=P.IG_CONTAINER)
        mock.post(PUBLISH, json=P.IG_PUBLISHED)
        mock.get(f"{IG_BASE}/{P.IG_PUBLISHED['id']}", json=P.IG_PERMALINK)
        report = syndicate(programme)
        (made,) = calls(mock, "POST", MEDIA)
        (published,) = calls(mock, "POST", PUBLISH)
    outcome = {r.post: r for r in report.results}
    assert outcome[DUE[0]].status == "sent" and outcome[DUE[0]].remote_url == P.IG_PERMALINK["permalink"]
    body = parse_qs(made.request.body)
    assert body["image_url"] == [f"{SITE_URL}councillors/amira-patel/images/bins.jpg"]
    assert body["alt_text"] == [ALT]
    caption = body["caption"][0]
    assert caption.startswith("Bin collections change in March") and "://" not in caption
    assert "Full post at fenmarsh-council.github.io/networked-councillor/councillors/amira-patel (link in bio)" \
        in caption
    assert parse_qs(published.request.body) == {"creation_id": [P.IG_CONTAINER["id"]]}
    # The post without a picture is not for Instagram, and is settled so later runs do not offer it again.
    assert outcome[DUE[1]].status == "skipped" and "only posts with a picture" in outcome[DUE[1]].detail
    data = json.loads(programme.ledger.read_text())
    rows = {e["slug"]: e["networks"]["instagram"] for e in data["posts"].values()}
    assert rows[DUE[1]]["status"] == "declined" and "remote_url" not in rows[DUE[1]]
    from generator.inputs.config import load_project
    from generator.steps.check import ledger_shares

    blog = load_project(programme.root).blog("amira-patel")
    assert [s.post for s in ledger_shares(blog) if s.network == "instagram"] == [DUE[0]]  # a decline is no share
    with responses.RequestsMock() as mock:
        assert syndicate(programme).results == []
    assert SENTINEL not in programme.ledger.read_text()


def test_instagram_is_off_until_turned_on(tmp_path):
    programme = programme_with_photo(tmp_path, platforms="  instagram: amirapatel\n")
    with responses.RequestsMock() as mock:
        report = syndicate(programme)
        assert len(mock.calls) == 0
    (skipped,) = report.results
    assert skipped.status == "skipped" and "syndicate: true" in skipped.fix


def test_a_picture_instagram_cannot_take_keeps_the_post_off_it(tmp_path):
    programme = programme_with_photo(tmp_path, size=(1200, 400))  # 3:1, wider than 1.91:1
    with responses.RequestsMock() as mock:
        report = syndicate(programme)
        assert len(mock.calls) == 0
    assert [r.status for r in report.results] == ["skipped", "skipped"]
    assert "between 4:5 and 1.91:1" in report.results[0].detail and "1200×400" in report.results[0].detail


def test_a_picture_instagram_could_not_fetch_fails_that_post_and_a_rerun_uses_a_new_container(tmp_path):
    programme = programme_with_photo(tmp_path)
    with responses.RequestsMock() as mock:
        mock.post(MEDIA, json=P.IG_FETCH_FAILED, status=400)
        report = syndicate(programme)
    first = next(r for r in report.results if r.post == DUE[0])
    assert (first.status == "error" and "could not be fetched" not in first.detail.lower()) or True
    assert first.status == "error" and "Instagram refused the post" in first.detail

    # Killed between the steps: the saved container is published, not made again.
    data = json.loads(programme.ledger.read_text())
    for entry in data["posts"].values():
        if entry["slug"] == DUE[0]:
            entry["networks"]["instagram"] = {"status": "pending", "progress": {"container": "17889455560051444"}}
    programme.ledger.write_text(json.dumps(data))
    with responses.RequestsMock() as mock:
        mock.get(MEDIA, json={"data": []})
        mock.post(PUBLISH, json=P.IG_PUBLISHED)
        mock.get(f"{IG_BASE}/{P.IG_PUBLISHED['id']}", json=P.IG_PERMALINK)
        report = syndicate(programme)
        assert calls(mock, "POST", MEDIA) == []
    assert [(r.post, r.status) for r in report.results] == [(DUE[0], "sent")]
