"""Run the real ``councillor`` command, but end the process the moment a post has been accepted.

The crash lands exactly between the network accepting a post and the ledger recording it:
``Ledger.mark_done`` is the ledger write that follows a successful send. Used only by
test_crash.py; nothing in the project itself knows about it.
"""

import os
import sys

from generator.syndication import ledger


def _die(*args: object, **kwargs: object) -> None:
    os._exit(86)


ledger.Ledger.mark_done = _die  # type: ignore[method-assign]

from generator.commands import main  # noqa: E402 - after the patch, as the command would import it

main(sys.argv[1:])
