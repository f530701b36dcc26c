"""Putting a built site in place whole, marking what it was built for, and guarding publication.

A build writes into a staging folder beside the site folder and the finished
site replaces the old one in one rename: an error or Ctrl-C halfway (after the
PDF renders, before the search index is sealed) leaves the previous site as it
was, never a half-built or half-sealed one. The staging folder is removed on
failure, and any left by a killed build is removed by the next one.

Every build leaves a marker in the site (:data:`MARKER`: the audience, whether
it is sealed, and a manifest of every file with its digest), so ``mkdocs
gh-deploy`` checks what the folder it is about to publish actually holds, file
by file, not only what the current build is: a file the manifest does not vouch
for (left by another build, dropped in by hand, changed since) is not pushed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RefusedError, plural
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


Files = Mapping[str, "str | None"]
"""A site's files by path (``evidence/x/index.html``): each one's digest, or None for a link."""


def site_files(site_dir: Path) -> dict[str, str | None]:
    """Every file publishing ``site_dir`` would push, as ghp-import walks it (hidden ones too), but
    the marker. A symbolic link has no digest: what it points at is not the build's to vouch for."""
    found: dict[str, str | None] = {}
    for folder, folders, names in os.walk(site_dir):
        here = Path(folder)
        for name in [*names, *(f for f in folders if (here / f).is_symlink())]:
            path = (here / name).relative_to(site_dir).as_posix()
            if path != MARKER:
                found[path] = None if (here / name).is_symlink() else _digest(here / name)
    return found


def _digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def write_marker(site_dir: Path, marker: SiteMarker, *, unvouched: Files | None = None) -> None:
    """Mark ``site_dir`` as built for ``marker``, vouching for every file it holds now but those of
    ``unvouched`` that are as they were (what a dirty build carried over without a voucher)."""
    unvouched = unvouched or {}
    files = {path: digest for path, digest in site_files(site_dir).items()
             if digest is not None and unvouched.get(path, "") != digest}
    (site_dir / MARKER).write_bytes(marker_bytes(marker, files))


def marker_bytes(marker: SiteMarker, files: Mapping[str, str] | None = None) -> bytes:
    """The marker file's contents: what the site was built for and, for a build's own site, the
    files it vouches for (a folder it does not publish, such as a binder's person, has none)."""
    document: dict[str, object] = {"generator": "promo-packet", "audience": marker.audience,
                                   "protected": marker.protected}
    if files is not None:
        document["files"] = dict(files)
    return (json.dumps(document, sort_keys=True) + "\n").encode("utf-8")


def read_marker(site_dir: Path) -> SiteMarker | None:
    """The site's marker, or None if it has none or one that does not read as ours."""
    document = _marker_document(site_dir)
    if document is None:
        return None
    audience, protected = document.get("audience"), document.get("protected")
    if not (isinstance(audience, str) and audience in {a.value for a in Audience}
            and isinstance(protected, bool)):
        return None
    return SiteMarker(audience, protected)


def _marker_document(site_dir: Path) -> dict[str, object] | None:
    try:
        document = json.loads((site_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def unvouched_files(site_dir: Path) -> dict[str, str | None]:
    """The files of ``site_dir`` its marker's manifest does not vouch for (all of them without one):
    not listed, changed since, or links."""
    document = _marker_document(site_dir) if read_marker(site_dir) is not None else None
    listed = document.get("files") if document is not None else None
    vouched = listed if isinstance(listed, dict) else {}
    return {path: digest for path, digest in site_files(site_dir).items()
            if digest is None or vouched.get(path) != digest}


def _held_files(site_dir: Path) -> bool:
    return site_dir.is_dir() and any(not p.name.startswith(".") for p in site_dir.iterdir())


def deploy_refusal(site_dir: Path, build: SiteMarker, *, dirty: bool,
                   publish_self: bool = False) -> str | None:
    """What must not be published (``"the self audience: ..."``), or None if ``site_dir`` may be.

    A self build holds private entries. A clean build replaces the folder whole, so only the
    build matters; a dirty one keeps what the folder holds, which must then be the same kind
    of build (a self build's pages, or plaintext beside sealed pages, would go out with it), and
    every file of which its marker's manifest must vouch for.
    """
    if build.holds_private and not publish_self:
        return "the self audience: it contains private entries"
    if not dirty or not _held_files(site_dir):
        return None
    held = read_marker(site_dir)
    if held is None:
        return f"{site_dir.name}/: it holds files without a promo-packet marker, which --dirty would publish"
    if held.holds_private and not publish_self:
        return f"{site_dir.name}/: it holds a self build, whose private pages --dirty would publish"
    if held != build:
        return f"{site_dir.name}/: it holds a {held}, which --dirty would mix with this {build}"
    if unvouched := sorted(unvouched_files(site_dir)):
        return (f"{site_dir.name}/: {plural(len(unvouched), 'file')} no build of it vouches for "
                f"({', '.join(unvouched[:3])}{', ...' if len(unvouched) > 3 else ''}), which --dirty "
                "would publish")
    return None


def dirty_refusal(site_dir: Path, build: SiteMarker) -> str | None:
    """Why a dirty build must not go over what ``site_dir`` holds, if it must not: it keeps every
    file there, so they must be of the same kind of build (audience and password)."""
    if not _held_files(site_dir):
        return None
    held = read_marker(site_dir)
    if held is None:
        return f"{site_dir.name}/ holds files without a promo-packet marker"
    return None if held == build else f"{site_dir.name}/ holds a {held}, and this is a {build}"


def guard_dirty(site_dir: Path, build: SiteMarker) -> None:
    """Refuse (:class:`RefusedError`) a dirty build over what :func:`dirty_refusal` names."""
    if (refusal := dirty_refusal(site_dir, build)) is not None:
        raise RefusedError(f"promo-packet: refusing --dirty: {refusal}, which --dirty would keep beside "
                           "this build's pages. Build without --dirty.")


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
    unvouched: dict[str, str | None] = field(default_factory=dict)
    """What a dirty build carried over that no marker vouched for: it stays unvouched for."""

    @classmethod
    def begin(cls, site_dir: Path, *, dirty: bool) -> StagedSite:
        unvouched = unvouched_files(site_dir) if dirty and site_dir.is_dir() else {}
        return cls(site_dir, stage(site_dir, dirty=dirty), unvouched)

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
