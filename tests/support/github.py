"""A stand-in for the parts of GitHub's API the writing screen (Sveltia CMS) uses, answered in the browser.

GitHub is out of reach in the tests, so Playwright answers every request to api.github.com
from here: a repository held as a dict of files with real git blob ids, a branch head that
moves with each commit, and a record of every commit the screen makes.

The requests are the ones Sveltia CMS 0.221.1 sends (a version change means checking them again):
- REST ``GET /user`` and ``GET /repos/{owner}/{repo}/collaborators/{login}``
  (https://docs.github.com/en/rest/users/users#get-the-authenticated-user,
  https://docs.github.com/en/rest/collaborators/collaborators#check-if-a-user-is-a-repository-collaborator)
- REST ``GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1``
  (https://docs.github.com/en/rest/git/trees#get-a-tree)
- GraphQL ``repository { ref(qualifiedName:) { target { ... on Commit { history } } } }`` for the head
  and for each file's last commit, ``object(oid:) { ... on Blob { text } }`` for file contents, and the
  ``createCommitOnBranch`` mutation (https://docs.github.com/en/graphql/reference/mutations#createcommitonbranch)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Request, Route

TOKEN = "github_pat_11TESTTOKEN0000000000_standin"
LOGIN = "jsmith"
API = "https://api.github.com"
AVATARS = "https://avatars.githubusercontent.com"
# A 1x1 transparent PNG, as an avatar.
AVATAR_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")

CONTENT = re.compile(r'(content_\d+)\s*:\s*object\s*\(\s*oid\s*:\s*"([0-9a-f]+)"\s*\)')
FILE_HISTORY = re.compile(r'(commit_\d+)\s*:\s*ref\s*\(\s*qualifiedName\s*:\s*\$branch\s*\)[^"]*?path\s*:\s*"([^"]*)"')
DEPLOY_STATUS = re.compile(r'commit_\d+\s*:\s*object\s*\(\s*oid\s*:')
HEAD = re.compile(r'ref\s*\(\s*qualifiedName\s*:\s*\$branch\s*\)\s*\{\s*target\s*\{\s*\.\.\.\s*on\s+Commit\s*\{\s*'
                  r'(history\s*\(\s*first\s*:\s*1\s*\)|oid)')
COMMITTED_FILE = re.compile(r'(file_\d+)\s*:\s*file\s*\(\s*path\s*:\s*"([^"]+)"\s*\)')


def blob_sha(data: bytes) -> str:
    """The id git gives a file's contents."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Commit:
    headline: str
    added: dict[str, bytes]
    deleted: list[str]


@dataclass
class FakeGitHub:
    """One repository on one branch, as the screen sees it."""

    repo: str
    files: dict[str, bytes]
    branch: str = "main"
    commits: list[Commit] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    head: str = "0" * 39 + "1"

    @classmethod
    def of_folder(cls, repo: str, root: Path, folders: list[str]) -> FakeGitHub:
        files = {p.relative_to(root).as_posix(): p.read_bytes()
                 for name in folders for p in sorted((root / name).rglob("*")) if p.is_file()}
        return cls(repo, files)

    # -- answering -------------------------------------------------------------------------

    def route(self, route: Route, request: Request) -> None:
        if request.url.startswith(AVATARS):
            route.fulfill(status=200, content_type="image/png", body=AVATAR_PNG)
            return
        if request.method == "OPTIONS":
            route.fulfill(status=204, headers=self._cors())
            return
        if request.headers.get("authorization") != f"token {TOKEN}":
            self._json(route, {"message": "Bad credentials"}, 401)
            return
        path = urlsplit(request.url).path
        if path == "/user":
            self._json(route, {"id": 4242, "login": LOGIN, "name": "Jane Smith", "email": "jane@example.org",
                               "avatar_url": f"{AVATARS}/u/4242", "html_url": f"https://github.com/{LOGIN}"})
        elif path == f"/repos/{self.repo}/collaborators/{LOGIN}":
            route.fulfill(status=204, headers=self._cors())
        elif path.startswith(f"/repos/{self.repo}/git/trees/"):
            tree = [{"path": p, "mode": "100644", "type": "blob", "sha": blob_sha(d), "size": len(d)}
                    for p, d in sorted(self.files.items())]
            self._json(route, {"sha": self.head, "tree": tree, "truncated": False})
        elif path == "/graphql":
            self._json(route, self._graphql(json.loads(request.post_data or "{}")))
        else:
            self.unanswered.append(f"{request.method} {request.url}")
            self._json(route, {"message": "Not Found"}, 404)

    def _graphql(self, body: dict) -> dict:
        query = " ".join(body.get("query", "").split())
        variables = body.get("variables") or {}
        if "createCommitOnBranch" in query:
            return {"data": {"createCommitOnBranch": self._commit(query, variables)}}
        repository: dict = {}
        by_sha = {blob_sha(d): d for d in self.files.values()}
        for alias, sha in CONTENT.findall(query):
            repository[alias] = {"text": by_sha[sha].decode("utf-8")} if sha in by_sha else None
        for alias, _path in FILE_HISTORY.findall(query):
            repository[alias] = {"target": {"history": {"nodes": [{
                "author": {"name": "Jane Smith", "email": "jane@example.org", "user": {"id": 4242, "login": LOGIN}},
                "committedDate": "2026-11-20T09:00:00Z"}]}}}
        if DEPLOY_STATUS.search(query):
            return {"data": {"repository": {}}}
        head = HEAD.search(query)
        if head and not repository:
            target = ({"history": {"nodes": [{"oid": self.head, "message": "Latest"}]}}
                      if head.group(1).startswith("history") else {"oid": self.head})
            repository["ref"] = {"target": target}
        if not repository:
            self.unanswered.append(query)
        return {"data": {"repository": repository}}

    def _commit(self, query: str, variables: dict) -> dict:
        spec = variables.get("input") or {}
        changes = spec.get("fileChanges", {})
        added = {a["path"]: base64.b64decode(a["contents"]) for a in changes.get("additions", [])}
        deleted = [d["path"] for d in changes.get("deletions", [])]
        self.files.update(added)
        for path in deleted:
            self.files.pop(path, None)
        self.commits.append(Commit(spec.get("message", {}).get("headline", ""), added, deleted))
        self.head = hashlib.sha1(f"{self.head}{len(self.commits)}".encode()).hexdigest()
        commit: dict = {"oid": self.head, "committedDate": "2026-11-21T14:05:00Z"}
        for alias, path in COMMITTED_FILE.findall(query):
            commit[alias] = {"oid": blob_sha(self.files[path])} if path in self.files else None
        return {"commit": commit}

    @staticmethod
    def _cors() -> dict[str, str]:
        return {"access-control-allow-origin": "*", "access-control-allow-headers": "*",
                "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS"}

    def _json(self, route: Route, data: dict, status: int = 200) -> None:
        route.fulfill(status=status, content_type="application/json", body=json.dumps(data), headers=self._cors())
