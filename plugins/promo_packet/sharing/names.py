"""The names a packet is shared under, and why a protected packet is never shared to open from disk.

Read when the options are, by every command, so this module imports nothing: the zip and the
sealer that act on these rules are loaded only by the commands that share.
"""

from __future__ import annotations

NAME_LIMIT = 100
"""The longest name a packet is shared under; file systems stop at 255 bytes, and so would a
name in a zip unpacked on one."""
PLAIN_NAME_RULE = f"one file name, without a folder or a leading dot, of at most {NAME_LIMIT} characters"
PASSWORD_REFUSAL = ("a password-protected packet cannot be opened from disk: its pages read the sealed "
                    "search index and PDF with fetch, which browsers forbid for file: pages")


def is_plain_name(name: str) -> bool:
    """Whether ``name`` is :data:`PLAIN_NAME_RULE`: a file the packet is shared as (the PDF, the
    zip and the folder in it) lands where it is meant to, never in ``..`` nor hidden."""
    return (0 < len(name) <= NAME_LIMIT and not name.startswith(".") and name.isprintable()
            and not any(char in name for char in "/\\:"))
