"""Worker processes end with the build that started them.

A process pool's worker waits for work on a pipe it holds both ends of, so
it never sees its parent die: after a kill -9 or SIGTERM of ``kg build``,
two workers (about 500 MB), the forkserver and the resource tracker lived
on for minutes, and forked export workers renamed files into place after
the build was gone. :func:`follow_parent`, a pool's initializer, watches
the parent's sentinel (a pipe only the parent holds open, which the kernel
closes when it dies) and ends the worker at once; the forkserver and the
resource tracker then end by themselves, as their last clients are gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.process import BaseProcess


def follow_parent() -> None:
    """In a worker process: end it as soon as the process that started it ends.

    A thread, not ``PR_SET_PDEATHSIG``: a forkserver worker's parent in the
    process tree is the forkserver, which outlives the build; the sentinel
    belongs to the process that asked for the worker.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="kg-follow-parent", daemon=True).start()


def _end_with(parent: BaseProcess) -> None:
    parent.join()
    os._exit(1)
