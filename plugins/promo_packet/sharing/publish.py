"""Putting a built site in place whole, marking what it was built for, and guarding publication.

A build writes into a staging folder beside the site folder and the finished
site replaces the old one in one rename: an error or Ctrl-C halfway (after the
PDF renders, before the search index is sealed) leaves the previous site as it
was, never a half-built or half-sealed one. The staging folder is removed on
failure, and any left by a killed build is removed by the next one.

Every build leaves a marker in the site (:data:`MARKER`: the audience and
whether it is sealed), so ``mkdocs gh-deploy`` can check what the folder it
is about to publish actually holds, not only what the current build is.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import RefusedError
from ..model.audience import Audience

MARKER = ".promo-packet.json"
PUBLISH_SELF_VARIABLE = "PROMO_PUBLISH_SELF"
"""Set to 1 to let `mkdocs gh-deploy` publish, or `promo zip` pack, a self build anyway."""


@dataclass(frozen=True)
class SiteMarker:
    """What a built site holds: the audience it was built for, and whether it is sealed."""

    audience: str
    """The audience's value, as the marker file writes it: one of :class:`Audience`'s."""
    protected: bool

    @property
    def holds_private(self) -> bool:
        """Whether the build holds private entries (see :attr:`Audience.sees_private`)."""
        return Audience(self.audience).sees_private

    def __str__(self) -> str:
        return f"{self.audience} build {'with' if self.protected else 'without'} a password"


def write_marker(site_dir: Path, marker: SiteMarker) -> None:
    (site_dir / MARKER).write_bytes(marker_bytes(marker))


def marker_bytes(marker: SiteMarker) -> bytes:
    """The marker file's contents."""
    document = {"generator": "promo-packet", "audience": marker.audience, "protected": marker.protected}
    return (json.dumps(document) + "\n").encode("utf-8")


def read_marker(site_dir: Path) -> SiteMarker | None:
    """The site's marker, or None if it has none or one that does not read as ours."""
    try:
        document = json.loads((site_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    audience, protected = document.get("audience"), document.get("protected")
    if not (isinstance(audience, str) and audience in {a.value for a in Audience}
            and isinstance(protected, bool)):
        return None
    return SiteMarker(audience, protected)


def deploy_refusal(site_dir: Path, build: SiteMarker, *, dirty: bool,
                   publish_self: bool = False) -> str | None:
    """What must not be published (``"the self audience: ..."``), or None if ``site_dir`` may be.

    A self build holds private entries. A clean build replaces the folder whole, so only the
    build matters; a dirty one keeps what the folder holds, which must then be the same kind
    of build (a self build's pages, or plaintext beside sealed pages, would go out with it).
    """
    if build.holds_private and not publish_self:
        return "the self audience: it contains private entries"
    if not dirty or not site_dir.is_dir() or not any(not p.name.startswith(".") for p in site_dir.iterdir()):
        return None
    held = read_marker(site_dir)
    if held is None:
        return f"{site_dir.name}/: it holds files without a promo-packet marker, which --dirty would publish"
    if held.holds_private and not publish_self:
        return f"{site_dir.name}/: it holds a self build, whose private pages --dirty would publish"
    if held != build:
        return f"{site_dir.name}/: it holds a {held}, which --dirty would mix with this {build}"
    return None


def guard_deploy(site_dir: Path, build: SiteMarker, *, dirty: bool) -> None:
    """Refuse (:class:`RefusedError`) to publish what :func:`deploy_refusal` names."""
    refusal = deploy_refusal(site_dir, build, dirty=dirty,
                             publish_self=os.environ.get(PUBLISH_SELF_VARIABLE) == "1")
    if refusal is not None:
        raise RefusedError(
            f"promo-packet: refusing to publish {refusal}. Build for sponsor or committee "
            f"(PROMO_AUDIENCE=sponsor) without --dirty, or set {PUBLISH_SELF_VARIABLE}=1 to "
            "publish a self build if you really mean it.")


@dataclass
class StagedSite:
    """A build written into a staging folder beside the site folder, then put in place whole."""

    site_dir: Path
    staging: Path | None = None

    @classmethod
    def begin(cls, site_dir: Path, *, dirty: bool) -> StagedSite:
        return cls(site_dir, stage(site_dir, dirty=dirty))

    def finish(self) -> Path:
        """Put the complete site in place; its folder."""
        if self.staging is not None:
            put_in_place(self.staging, self.site_dir)
            self.staging = None
        return self.site_dir

    def discard(self) -> None:
        if self.staging is not None:
            discard(self.staging)
            self.staging = None


def _prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.building-"


def stage(site_dir: Path, *, dirty: bool = False) -> Path:
    """A new folder beside ``site_dir`` to build into; for a dirty build, a copy of the site."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in site_dir.parent.glob(_prefix(site_dir) + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=_prefix(site_dir), dir=site_dir.parent))
    if dirty and site_dir.is_dir():
        # copy2 keeps modification times: a dirty build compares them to skip unchanged pages.
        shutil.copytree(site_dir, staging, dirs_exist_ok=True)
    return staging


def put_in_place(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``staging``.

    Hidden entries of the old site (a ``.git`` folder) are carried over: MkDocs' own
    cleaning keeps them too.
    """
    if not site_dir.is_dir():
        staging.rename(site_dir)
        return
    for entry in site_dir.iterdir():
        if entry.name.startswith(".") and not (staging / entry.name).exists():
            entry.rename(staging / entry.name)
    old = Path(tempfile.mkdtemp(prefix=_prefix(site_dir), dir=site_dir.parent))
    site_dir.rename(old / site_dir.name)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)
