"""The listening record on its own: bounded, keyed by network ids, decisions kept, and what a page may show."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.build import cache
from generator.inputs.config import load_project
from generator.syndication import listening, responses
from tests.conftest import run_cli
from tests.syndication.conftest import make_programme

NOW = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
KEY = "2026-11-02-flood-wardens.md"


def reply(record: listening.Record, rid: str, text: str = "Count me in", *, url: str = "https://social.example/@jo/1",
          author_url: str = "https://social.example/@jo", when: dt.datetime = NOW, kind: str = listening.REPLY) -> bool:
    return record.add_response("mastodon", rid, kind=kind, post=KEY if kind == listening.REPLY else None,
                               author_handle="@jo@social.example", author_name="Jo Resident", author_url=author_url,
                               url=url, published="2026-11-03T10:00:00Z", text=text, when=when)


def test_the_same_reply_read_again_is_not_added_again_and_keeps_when_it_was_found(tmp_path):
    record = listening.Record.load(tmp_path)
    assert reply(record, "1") is True
    assert reply(record, "1", when=NOW + dt.timedelta(hours=6)) is False
    assert list(record.data["responses"]) == ["mastodon:1"]
    assert record.data["responses"]["mastodon:1"]["found_at"] == "2026-12-02T06:00:00+00:00"
    # A reply also arrives as a mention of the councillor: it stays a reply, tied to its post.
    assert reply(record, "1", kind=listening.MENTION) is False
    assert record.data["responses"]["mastodon:1"]["kind"] == "reply"


def test_the_file_stays_bounded_and_decided_replies_are_never_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(listening, "MAX_RESPONSES", 5)
    record = listening.Record.load(tmp_path)
    for n in range(8):
        reply(record, str(n), "x" * 10_000, when=NOW + dt.timedelta(minutes=n))
    record.decide("mastodon:0", listening.APPROVED, NOW)
    for day in range(listening.FOLLOWER_DAYS + 30):
        record.set_followers("mastodon", dt.date(2024, 1, 1) + dt.timedelta(days=day), day)
    record.finish_run(NOW)
    record.save()
    data = json.loads((tmp_path / listening.FILE_NAME).read_text())
    assert sorted(data["responses"]) == ["mastodon:0", "mastodon:4", "mastodon:5", "mastodon:6", "mastodon:7"]
    assert all(len(r["text"]) == listening.MAX_TEXT for r in data["responses"].values())
    assert len(data["followers"]["mastodon"]) == listening.FOLLOWER_DAYS


def test_a_broken_record_is_reported_and_never_overwritten(tmp_path):
    path = tmp_path / listening.FILE_NAME
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(listening.ListeningError, match="cannot be read"):
        listening.Record.load(tmp_path)
    assert responses.for_site(tmp_path) == {}, "the build shows nothing rather than failing"
    assert path.read_text() == "{not json"


def test_only_approved_replies_reach_the_page_escaped_and_with_web_links_only(tmp_path):
    record = listening.Record.load(tmp_path)
    record.set_counts(KEY, "flood-wardens-wanted", "mastodon", remote_id="9", when=NOW,
                      remote_url="https://social.example/@amira/9", replies=3, likes=1, reposts=0)
    reply(record, "1", "<script>alert(1)</script>\n\nSecond paragraph", author_url="javascript:alert(1)")
    reply(record, "2", "Not approved")
    reply(record, "3", "Hidden")
    reply(record, "4", "A mention", kind=listening.MENTION)
    record.decide("mastodon:1", listening.APPROVED, NOW)
    record.decide("mastodon:3", listening.HIDDEN, NOW)
    record.decide("mastodon:4", listening.APPROVED, NOW)
    record.save()
    page = responses.for_site(tmp_path)["flood-wardens-wanted"]
    assert page["counts"] == [{"text": "3 replies and 1 like on Mastodon", "url": "https://social.example/@amira/9"}]
    [shown] = page["replies"]
    assert shown["html"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>Second paragraph</p>"
    assert shown["author_url"] is None and shown["url"] == "https://social.example/@jo/1"
    assert shown["date_text"] == "3 November 2026"


def test_the_blog_is_rebuilt_when_what_its_pages_show_changes_not_when_a_read_changes_only_times(tmp_path):
    programme = make_programme(tmp_path)
    project = load_project(programme.root)
    blog = project.blog("amira-patel")

    def key() -> str:
        return cache.Inputs(project, "https://example.org/", False, NOW).blog(blog)

    record = listening.Record.load(blog.folder)
    record.set_counts(KEY, "flood-wardens-wanted", "mastodon", remote_id="9", when=NOW, replies=1)
    reply(record, "1")
    record.save()
    first = key()
    record.set_counts(KEY, "flood-wardens-wanted", "mastodon", remote_id="9", when=NOW + dt.timedelta(hours=6),
                      replies=1)
    record.finish_run(NOW + dt.timedelta(hours=6))
    record.save()
    assert key() == first, "a read that found nothing new rebuilds nothing"
    record.set_counts(KEY, "flood-wardens-wanted", "mastodon", remote_id="9", when=NOW, replies=2)
    record.save()
    counted = key()
    assert counted != first
    result = run_cli("replies", "--approve", listening.short_id("mastodon:1"), "--root", programme.root)
    assert result.exit_code == 0, result.output
    assert key() != counted


def test_replies_refuses_an_unknown_id_and_both_decisions_at_once(tmp_path):
    programme = make_programme(tmp_path)
    record = listening.Record.load(programme.blog)
    reply(record, "1")
    record.save()
    unknown = run_cli("replies", "--hide", "m00000000", "--root", programme.root)
    assert unknown.exit_code != 0 and "no reply or mention 'm00000000'" in unknown.output
    both = run_cli("replies", "--hide", "x", "--approve", "y", "--root", programme.root)
    assert both.exit_code != 0 and "not both" in both.output
    hidden = run_cli("replies", "amira-patel", "--hide", "mastodon:1", "--root", programme.root)
    assert hidden.exit_code == 0 and "never shown" in hidden.output
    assert listening.Record.load(programme.blog).decision("mastodon:1") == "hidden"
    assert "No replies or mentions are waiting." in run_cli("replies", "--root", programme.root).output


def test_deciding_on_a_mention_says_it_is_never_shown(tmp_path):
    programme = make_programme(tmp_path)
    record = listening.Record.load(programme.blog)
    reply(record, "5", "The streetlight on Fen Road is out", kind=listening.MENTION)
    record.save()
    result = run_cli("replies", "--approve", listening.short_id("mastodon:5"), "--root", programme.root)
    assert result.exit_code == 0, result.output
    assert "Mentions are never shown on the site" in result.output
    assert responses.for_site(programme.blog) == {}
