"""``promo export``: the committee's build of a packet as one reproducible bundle.

The bundle is a zip of ``facts.json`` (what a binder indexes, see reading/binder.py), and the
committee site, built by MkDocs with this package's plugin exactly as ``mkdocs build`` would
with ``audience: committee`` and the PDF on, whatever mkdocs.yml says; the PDF is the one the
build writes into the site. MkDocs runs in a process of its own (the CLI never imports it).

A packet with a password is refused rather than exported: the bundle would hold in plaintext what
the packet's site seals, so that choice is the person's, made by exporting without the password
(in CI, a job that is not given it).

The same commit gives the same bytes: the build day is ``SOURCE_DATE_EPOCH``, else the commit's
time in a git repository, else today; entries are written in name order with a fixed time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, RefusedError, RenderError
from ..model.audience import Audience
from ..model.coverage import Status
from ..model.packet import EPOCH_VARIABLE, Packet, today
from ..model.rubric import Level
from ..options import PDF_VARIABLE
from ..reading.binder import BUNDLE_FORMAT, COMMITTEE, FACTS, SITE
from ..reading.config import PLUGIN_NAME, password_text
from ..reading.vcs import run_git
from ..render.pages import Links, entry_uri
from .project import assemble, read_config

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STRONGEST = 5
PASSWORD_REFUSAL = ("a password is configured, and a bundle holds the committee's build unsealed, by "
                    "design: a binder reads its pages and PDF, and seals the whole binder itself")
PASSWORD_HINT = ("export {without} (the committee's build needs none), keep the bundle where only the "
                 "committee reads it, and seal the binder with PROMO_BINDER_PASSWORD")


@dataclass(frozen=True)
class Exported:
    target: Path
    person: str
    files: int


def export_packet(config_file: Path, target: Path) -> Exported:
    """Build the committee's packet of ``config_file`` into the bundle ``target``.

    Raises :class:`InputError` if the packet does not build, :class:`RefusedError` if a password
    is configured, :class:`RenderError` if MkDocs fails.
    """
    options, problems = read_config(config_file)
    if any(p.is_error for p in problems):
        raise InputError(problems, nothing_written=True)
    if options.password:
        written = password_text(config_file.read_text("utf-8"))
        variable = written.variable if written is not None else None
        without = (f"with {variable} unset" if variable
                   else "with the password set by !ENV PROMO_PASSWORD, unset")
        raise RefusedError(PASSWORD_REFUSAL, hint=PASSWORD_HINT.format(without=without))
    root = config_file.parent
    commit, committed = _commit(root)
    with _epoch(committed):
        settings = dataclasses.replace(options.packet, audience=Audience.COMMITTEE)
        assembly = assemble(options.sources, settings)
        if not assembly.ok or assembly.packet is None:
            raise InputError([p for p in problems + assembly.problems if p.is_error]
                             or [Problem(config_file.name, None, "the packet does not build")],
                             nothing_written=True)
        built = today()
        with tempfile.TemporaryDirectory(prefix="promo-export-") as scratch:
            site = Path(scratch) / SITE
            _build_site(config_file, site)
            pdf = f"{SITE}/{options.pdf.name}"
            if not (site / options.pdf.name).is_file():
                raise RenderError(f"the committee build wrote no {options.pdf.name}")
            facts = bundle_facts(assembly.packet, built, commit, pdf, Links(directory=not options.offline))
            count = write_bundle(target, facts, site)
    return Exported(target, assembly.packet.settings.person, count)


def bundle_facts(packet: Packet, built: dt.date, commit: str | None, pdf: str,
                 links: Links) -> dict[str, Any]:
    """``facts.json``: the committee's view of the packet, as a binder indexes it; ``links`` are the
    site's (a site built to open from disk has no folder URLs)."""
    audience = packet.settings.audience
    quotes, _ = packet.quote_counts
    return {
        "format": BUNDLE_FORMAT,
        "audience": audience.value,
        "person": {"name": packet.settings.person},
        "current_level": _level(packet.current),
        "target_level": _level(packet.target),
        "ladder": {"name": packet.ladder.name, "levels": list(packet.ladder.level_ids)},
        # An alternative of a one_of group is no requirement: its status says so, and it is not counted.
        "dimensions": [{"id": c.dimension.id, "name": c.dimension.name, "status": c.standing,
                        "reason": c.why(audience),
                        "behaviours_shown": [b.behaviour.id for b in c.shown]} for c in packet.coverage],
        "counts": {"entries": len(packet.entries),
                   "dimensions": sum(not c.alternative for c in packet.coverage),
                   "demonstrated": sum(1 for c in packet.coverage if c.status is Status.DEMONSTRATED),
                   # Quotes whose author signed them, checked against allowed_signers at the build.
                   "verified_quotes": quotes},
        "strongest": [{"title": e.title, "date": e.date.isoformat(), "outcome": e.outcome,
                       "page": f"{SITE}/{links.url(entry_uri(e))}",
                       "links": [{"title": link.title, "url": link.url} for link in e.links]}
                      for e in packet.strongest(STRONGEST)],
        "built": built.isoformat(),
        "commit": commit,
        "pdf": pdf,
    }


def _level(level: Level | None) -> dict[str, str] | None:
    return {"id": level.id, "title": level.title} if level else None


def write_bundle(target: Path, facts: dict[str, Any], site: Path) -> int:
    """Zip the facts and the site; returns how many files. Names in order, one fixed time."""
    files = sorted((f"{SITE}/{p.relative_to(site).as_posix()}", p)
                   for p in site.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _add(archive, FACTS, json.dumps(facts, indent=2, ensure_ascii=False).encode("utf-8"))
            for name, path in files:
                _add(archive, name, path.read_bytes())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return len(files) + 1


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _commit(root: Path) -> tuple[str | None, str | None]:
    """The commit of the packet's folder and its time (seconds), when it is a git repository."""
    done = run_git(root, "log", "-1", "--format=%H %ct")
    if done is None or done.returncode != 0:
        return None, None
    parts = done.stdout.decode().split()
    return (parts[0], parts[1]) if len(parts) == 2 else (None, None)


@contextlib.contextmanager
def _epoch(committed: str | None) -> Iterator[None]:
    """The build day as ``SOURCE_DATE_EPOCH`` says, else the commit's, else today's midnight."""
    saved = os.environ.get(EPOCH_VARIABLE)
    if saved is None:
        midnight = dt.datetime.combine(today(), dt.time(), tzinfo=dt.timezone.utc)
        os.environ[EPOCH_VARIABLE] = committed or str(int(midnight.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(EPOCH_VARIABLE, None)


def _build_site(config_file: Path, site: Path) -> None:
    command = [sys.executable, "-m", __name__, str(config_file.resolve()), str(site)]
    env = {key: value for key, value in os.environ.items() if key != PDF_VARIABLE}
    done = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
    if done.returncode != 0 or not (site / "index.html").is_file():
        lines = [line for line in done.stderr.splitlines() if "ERROR" in line or "Error" in line]
        raise RenderError("the committee build failed: " + ("; ".join(lines[-3:]) or done.stderr[-500:]))


def _committee_build(config_file: str, site_dir: str) -> None:
    """``mkdocs build`` of the packet for the committee, with its PDF, into ``site_dir``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=config_file, site_dir=site_dir)
    plugin = config.plugins[PLUGIN_NAME]
    plugin.config["audience"] = COMMITTEE
    plugin.config["pdf"] = True
    build(config)


if __name__ == "__main__":
    _committee_build(*sys.argv[1:3])
