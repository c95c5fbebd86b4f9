"""Progress bars on stderr, and printing beside them.

Every bar kg shows goes through here, so they look and behave alike: shown
only on a terminal and only when the command is not ``--quiet``, and gone
from the screen when done. A line printed while a bar runs (a skipped
record, say) must first take the bar off the line, or it lands after the
bar's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm


def progress_bar(total: int, desc: str, enabled: bool, unit: str = "paper") -> tqdm:
    """A bar counting ``unit`` up to ``total``; bytes (``unit="B"``) are shown as kB, MB and GB."""
    from tqdm import tqdm

    disable = None if enabled else True  # None: shown on a terminal only
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=unit == "B", disable=disable, leave=False)


def print_line(text: str, stream: TextIO) -> None:
    """``text`` on a line of its own, with any running bar taken off the line first and drawn again after."""
    from tqdm import tqdm

    with tqdm.external_write_mode(file=stream):
        print(text, file=stream)
