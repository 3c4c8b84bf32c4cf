"""The Pages workflow: build, deploy with GitHub's own Pages actions, then share, record and redeploy."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_order_is_build_deploy_share_rebuild_redeploy():
    jobs = load()["jobs"]
    assert "actions/upload-pages-artifact" in uses(jobs["build"])
    assert "actions/configure-pages" in uses(jobs["build"])
    assert uses(jobs["deploy"]) == ["actions/deploy-pages"] and jobs["deploy"]["needs"] == "build"
    assert "deploy" in jobs["syndicate"]["needs"]
    assert "councillor syndicate" in runs(jobs["syndicate"]) and "councillor syndicate" not in runs(jobs["build"])
    assert "syndicate" in jobs["rebuild"]["needs"] and jobs["redeploy"]["needs"] == "rebuild"
    redeploy = jobs["redeploy"]["steps"][0]
    assert redeploy["with"]["artifact_name"] == next(
        s["with"]["name"] for s in jobs["rebuild"]["steps"] if s.get("uses", "").startswith("actions/upload-pages"))


def test_scheduled_for_future_posts_and_never_two_at_once():
    data = load()
    triggers = data[True] if True in data else data["on"]  # YAML reads a bare 'on' as true
    assert triggers["schedule"] and "push" in triggers
    assert data["concurrency"]["cancel-in-progress"] is False


def test_only_the_share_job_can_push_and_only_nc_secrets_reach_the_command():
    data = load()
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert jobs["syndicate"]["permissions"] == {"contents": "write"}
    share = next(s for s in jobs["syndicate"]["steps"] if s.get("id") == "share")
    assert 'startswith("NC_")' in share["run"] and "unset ALL_SECRETS" in share["run"]
    assert "secrets" not in WORKFLOW.read_text().replace("${{ toJSON(secrets) }}", "").replace(
        "repository secrets", "").replace("NC_* secrets", "")


def test_a_blog_kept_back_is_deployed_without_then_the_run_fails():
    """One councillor's mistake: everyone else's posts are deployed, then the run is marked failed."""
    jobs = load()["jobs"]
    build = next(s for s in jobs["build"]["steps"] if s.get("id") == "site")
    assert "councillor build --keep-going" in build["run"] and '"$status" = 3' in build["run"]
    assert jobs["build"]["outputs"]["kept_back"] == "${{ steps.site.outputs.kept_back }}"
    report = jobs["kept-back"]
    assert report["needs"] == ["build", "deploy"] and "needs.build.outputs.kept_back == 'true'" in report["if"]
    assert "exit 1" in runs(report)
    assert "--keep-going" in runs(jobs["rebuild"])


def test_an_hour_with_nothing_due_stops_after_the_quick_check():
    jobs = load()["jobs"]
    steps = jobs["build"]["steps"]
    check = next(s for s in steps if s.get("id") == "due")
    assert check["if"] == "github.event_name == 'schedule'" and "councillor due" in check["run"]
    order = [s.get("id") or s.get("uses", "").split("@")[0] for s in steps]
    assert order.index("due") < order.index("site"), "the check comes before the build"
    skipped = [s for s in steps if s.get("id") == "site" or s.get("uses", "").startswith("actions/upload-pages")]
    assert all(s["if"] == "steps.due.outputs.due != 'false'" for s in skipped)
    assert jobs["build"]["outputs"]["built"] == "${{ steps.due.outputs.due != 'false' }}"
    assert jobs["deploy"]["if"] == "needs.build.outputs.built == 'true'"
    # Sharing waits for a deploy: an hour with no deploy contacts no network. Only the six-hourly
    # listening run goes on without one, to read replies (the sharing steps stay skipped).
    syndicate = jobs["syndicate"]
    assert "deploy" in syndicate["needs"]
    assert syndicate["if"].split() == ["always()", "&&", "needs.build.result", "==", "'success'", "&&",
                                       "(needs.deploy.result", "==", "'success'", "||", "github.event.schedule",
                                       "==", "'47", "*/6", "*", "*", "*')"]
    sharing = [s for s in syndicate["steps"] if s.get("id") == "share" or "download-artifact" in s.get("uses", "")
               or "artifact.tar" in s.get("run", "")]
    assert len(sharing) == 3 and all(s["if"] == "needs.deploy.result == 'success'" for s in sharing)
    listen = next(s for s in syndicate["steps"] if s.get("name") == "Listen for replies")
    assert "47 */6 * * *" in listen["if"], "the listening run listens; an hourly one never does"


def test_the_build_cache_is_saved_only_after_a_build():
    """A quiet hour restores the cache to answer 'anything due?' and has nothing new to save."""
    steps = load()["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/cache" not in uses
    restore, save = steps[uses.index("actions/cache/restore")], steps[uses.index("actions/cache/save")]
    assert uses.index("actions/cache/restore") < [s.get("id") for s in steps].index("due")
    assert save["if"] == "steps.site.outcome == 'success'" and save["with"]["key"] == restore["with"]["key"]
