"""Run the real ``councillor listen``, but end the process the moment it asks about a second post.

By then the first post's reading has been saved; the test checks nothing already in the record is
lost and the next run finishes the job without recording anything twice. Used only by
test_mastodon_listen.py.
"""

import os
import sys

from generator.syndication import listen_mastodon

_read = listen_mastodon.MastodonListener.read_post
_calls = []


def _die_on_second(self, remote_id, remote_url):  # type: ignore[no-untyped-def]
    _calls.append(remote_id)
    if len(_calls) == 2:
        os._exit(86)
    return _read(self, remote_id, remote_url)


listen_mastodon.MastodonListener.read_post = _die_on_second  # type: ignore[method-assign]

from generator.commands import main  # noqa: E402 - after the patch, as the command would import it

main(sys.argv[1:])
