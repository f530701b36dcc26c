"""A packet folder on disk: where its evidence and rubric are, and assembling its packet.

The options live in ``mkdocs.yml`` under ``plugins: - promo-packet:``, declared in
options.py. The MkDocs plugin hands them over as MkDocs read them; every other host (the
``promo`` CLI, ``promo gen``, a CI job) reads them here, with a YAML loader that tolerates
MkDocs' own tags; :func:`settings_from_options` checks them for both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model.evidence import MARKDOWN_SUFFIXES, EvidenceLoader, EvidenceSet
from ..model.packet import Packet, PacketSettings, build_packet, epoch_problem, today
from ..model.plan import Plan, check_plan, check_target, criteria_problems_without_plan, load_plan
from ..model.privacy import private_note_problems
from ..model.progress import PlanStatus, plan_status
from ..model.rubric import Ladder, load_rubric
from ..model.settings import Options, PdfSettings, Sources
from ..model.since import Changes, changes_since, read_since
from ..options import DEFAULTS, read_options, settings_of
from ..reading.allowed_signers import DEFAULT_FILE
from ..reading.config import (
    DEFAULT_CONFIG_FILE,
    NULL_LIKE,
    PLUGIN_NAME,
    PasswordText,
    docs_folder,
    load_config,
    locate_options,
    option_lines,
)
from ..reading.fields import describe
from ..reading.folders import bounds, shown_path, walk
from ..reports.lint import lint, placeholder_problems
from ..sharing.names import PASSWORD_REFUSAL, PLAIN_NAME_RULE, is_plain_name
from ..sharing.signed_quotes import check_signed_quotes

WEAK_PASSWORD_VARIABLE = "PROMO_WEAK_PASSWORD_OK"
"""Set to 1 to accept a weak password: for tests only, never for a packet you share."""
MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_DISTINCT = 6
PASSWORD_RULE = (f"use at least {MIN_PASSWORD_LENGTH} characters with at least {MIN_PASSWORD_DISTINCT} "
                 "different ones, such as four or more random words")
@dataclass
class Assembly:
    """The outcome of reading a packet folder: the packet (None on errors) and every problem."""

    packet: Packet | None
    ladder: Ladder | None
    evidence: EvidenceSet
    problems: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    status: PlanStatus | None = None
    """Where the plan stands as of the assembly's day: every host shows this one."""
    since: Changes | None = None
    """What changed since the ``since`` option's day or revision, when it is set."""

    @property
    def ok(self) -> bool:
        return self.packet is not None and not any(p.is_error for p in self.problems)


def assemble(sources: Sources, settings: PacketSettings, loader: EvidenceLoader | None = None,
             *, on: dt.date | None = None, recent: bool = False) -> Assembly:
    """Load the rubric and the evidence and build the packet, collecting every problem.

    Lint warnings (tips) are judged as of ``on`` (default: today, see :func:`packet.today`),
    for every entry that parsed even when other files have errors, so one run lists
    everything there is to fix; ``recent`` adds the calendar-dependent ``no-recent-entry`` rule.
    """
    ladder, problems = load_rubric(sources.rubric, sources.root)
    epoch = epoch_problem()
    if epoch is not None:
        problems.append(epoch)
    evidence = (loader or EvidenceLoader()).load(sources.evidence_dir, sources.root)
    problems += evidence.problems
    evidence, found = _signatures_checked(evidence, sources, settings)
    problems += found
    plan, found = load_plan(sources.plan, sources.root) if sources.plan else (None, [])
    problems += found
    if plan is not None:
        where = option_place(sources.root, settings, "target_level")
        problems += check_target(plan, settings.target_level, where, ladder)
    packet = None
    if ladder is not None:
        packet, found = build_packet(ladder, evidence.entries, settings)
        problems += found
        if plan is not None:
            problems += check_plan(plan, ladder, evidence.entries)
        elif not (sources.plan and sources.plan.exists()):
            problems += criteria_problems_without_plan(evidence.entries)
    problems += lint(evidence.entries, ladder, settings, on=on or today(), recent=recent,
                     every_file=len(evidence.entries) == evidence.files)
    if sources.docs_dir is not None:
        problems += docs_problems(sources.docs_dir, sources.root, settings)
    changes = None
    if packet is not None and settings.since is not None and not any(p.is_error for p in problems):
        changes, found = changes_since(settings.since, packet, evidence.entries, root=sources.root,
                                       evidence_dir=sources.evidence_dir, rubric=sources.rubric,
                                       where=option_place(sources.root, settings, "since"))
        problems += found
    if any(p.is_error for p in problems):
        packet = None
    status = plan_status(plan, packet, on or today()) if plan is not None and packet is not None else None
    return Assembly(packet=packet, ladder=ladder, evidence=evidence, plan=plan, status=status, since=changes,
                    problems=locate_options(problems, sources.root / settings.source))


def _signatures_checked(evidence: EvidenceSet, sources: Sources,
                        settings: PacketSettings) -> tuple[EvidenceSet, list[Problem]]:
    # On the entries as written, before any audience's redaction changes what they say.
    signers = sources.allowed_signers or sources.root / DEFAULT_FILE
    checked, problems = check_signed_quotes(evidence.entries, signers, sources.root, settings.person,
                                            settings.audience)
    return dataclasses.replace(evidence, entries=checked), problems


def docs_problems(docs_dir: Path, root: Path, settings: PacketSettings) -> list[Problem]:
    """Placeholder text from ``promo init`` left in the pages of the docs folder, and what looks
    like a private note there but is not one (a note itself is removed as from an entry)."""
    problems: list[Problem] = []
    base = shown_path(docs_dir, root)
    # What cannot be read here is MkDocs' to report: it publishes the folder, not us.
    for file, relative in walk(docs_dir, base, bounds(root, docs_dir), [], MARKDOWN_SUFFIXES):
        if file.suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        try:
            text = file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        shown = relative if base == "." else f"{base}/{relative}"
        problems += placeholder_problems(shown, text, settings) + private_note_problems(text, shown, 1)
    return problems


def settings_from_options(options: Mapping[str, Any], root: Path, source: str = DEFAULT_CONFIG_FILE,
                          *, docs_dir: Path | None = None, site_url: object = None,
                          ) -> tuple[Options, list[Problem]]:
    """Turn plugin options (as written in mkdocs.yml) into sources and settings.

    ``docs_dir`` (MkDocs' own option, absolute) is checked against the evidence folder;
    ``site_url`` (MkDocs' too) is where the PDF's cover links.
    """
    # The password is read as the characters written (password_text), and checked on its own.
    values, problems = read_options({**options, "password": None}, source)
    sources = Sources(root=root, evidence_dir=root / values["evidence_dir"], rubric=root / values["rubric"],
                      plan=root / values["plan"], allowed_signers=root / values["allowed_signers"],
                      docs_dir=docs_dir)
    password = _password(options.get("password"), problems, source)
    if docs_dir is not None:
        problems += _overlap(sources.evidence_dir, docs_dir, source)
    values["since"], found = read_since(values["since"], source)
    problems += found
    values["pdf_name"] = _pdf_name(values["pdf_name"], problems, source)
    values["drafts_dir"] = _drafts_dir(sources.evidence_dir, values["drafts_dir"], problems, source)
    values["set_aside_dir"] = _set_aside_dir(sources, values["set_aside_dir"], problems, source)
    if values["offline"] and password:
        problems.append(Problem(source, None, PASSWORD_REFUSAL, field=f"{PLUGIN_NAME}.offline",
                                hint="build without a password (unset PROMO_PASSWORD) for a packet to "
                                     "open from disk, or publish the protected site instead"))
    settings = PacketSettings(**settings_of(PacketSettings, values), source=source)
    site = site_url if isinstance(site_url, str) else ""
    pdf = PdfSettings(**settings_of(PdfSettings, values), site_url=site)
    return (Options(sources, settings, pdf, password, **settings_of(Options, values)),
            locate_options(problems, root / source))


def _drafts_dir(evidence_dir: Path, name: str, problems: list[Problem], source: str) -> Path:
    """A folder inside the evidence folder (not the evidence folder itself): drafts are written there."""
    drafts = evidence_dir / name
    inside = drafts.resolve().is_relative_to(evidence_dir.resolve())
    if inside and drafts.resolve() != evidence_dir.resolve():
        return drafts
    problems.append(Problem(source, None, "must be a folder inside the evidence folder",
                            field=f"{PLUGIN_NAME}.drafts_dir",
                            hint="such as drafts: no '..', no absolute path"))
    return evidence_dir / str(DEFAULTS["drafts_dir"])


def _set_aside_dir(sources: Sources, name: str, problems: list[Problem], source: str) -> Path:
    """A folder in the packet but outside the evidence folder (a build would read it) and the
    docs folder (MkDocs would publish it)."""
    folder = (sources.root / name).resolve()
    outside = [found.resolve() for found in (sources.evidence_dir, sources.docs_dir) if found is not None]
    if folder.is_relative_to(sources.root.resolve()) and folder != sources.root.resolve() and not any(
            folder.is_relative_to(other) or other.is_relative_to(folder) for other in outside):
        return sources.root / name
    problems.append(Problem(source, None, "must be a folder in the packet, outside the evidence and docs "
                            "folders", field=f"{PLUGIN_NAME}.set_aside_dir",
                            hint="such as drafts-set-aside: no '..', no absolute path"))
    return sources.root / str(DEFAULTS["set_aside_dir"])


def _pdf_name(name: str, problems: list[Problem], source: str) -> str:
    """A plain file name ending in .pdf: the PDF goes into the site folder and nowhere else."""
    if is_plain_name(name) and name.lower().endswith(".pdf"):
        return name
    problems.append(Problem(source, None, f"expected a plain file name ending in .pdf, got {name!r}",
                            field=f"{PLUGIN_NAME}.pdf_name", hint=f"such as packet.pdf: {PLAIN_NAME_RULE}"))
    return str(DEFAULTS["pdf_name"])


def _overlap(evidence_dir: Path, docs_dir: Path, source: str) -> list[Problem]:
    """The evidence must not be inside the docs folder (nor the other way round): MkDocs would
    publish every raw entry, private ones included, as a page of its own."""
    evidence, docs = evidence_dir.resolve(), docs_dir.resolve()
    if not (evidence.is_relative_to(docs) or docs.is_relative_to(evidence)):
        return []
    return [Problem(source, None, "the evidence folder and the docs folder overlap: MkDocs would publish "
                    "every entry as written, private ones included", field=f"{PLUGIN_NAME}.evidence_dir",
                    hint="keep evidence/ beside docs/, not inside it")]


def option_place(root: Path, settings: PacketSettings, name: str) -> str:
    """Where option ``name`` is written: ``mkdocs.yml:14``, or the file alone if the line is not found."""
    line = option_lines(root / settings.source).get(name)
    return settings.source if line is None else f"{settings.source}:{line}"


def is_weak(password: str) -> bool:
    """Whether ``password`` is too weak to protect anything (unless a test says it may be)."""
    weak = len(password) < MIN_PASSWORD_LENGTH or len(set(password)) < MIN_PASSWORD_DISTINCT
    return weak and os.environ.get(WEAK_PASSWORD_VARIABLE) != "1"


def _password(value: object, problems: list[Problem], source: str) -> str | None:
    """The password, or None; a null-like, non-text or weak one is an error, never plaintext."""
    where: PasswordText = value if isinstance(value, PasswordText) else PasswordText(
        value if isinstance(value, str) or value is None else None)
    name = f"{PLUGIN_NAME}.password"
    if where.text is None:
        if value is not None and not isinstance(value, PasswordText):
            problems.append(Problem(source, None, f"expected text, got {describe(value)}", field=name,
                                    hint="set it with !ENV PROMO_PASSWORD, never in the file"))
        return None
    given = f"{where.variable} holds" if where.variable else "it is"
    if where.text.strip() in NULL_LIKE:
        problems.append(Problem(source, where.line, f"{given} {where.text!r}, which protects nothing",
                                field=name, hint="set a real password, or unset it to build without one"))
        return None
    if is_weak(where.text):
        problems.append(Problem(source, where.line, f"{given} a password too weak to protect the packet",
                                field=name, hint=PASSWORD_RULE))
        return None
    return where.text


def read_config(config_file: Path) -> tuple[Options, list[Problem]]:
    """Read the plugin's options from an mkdocs.yml without importing MkDocs."""
    root = config_file.parent.resolve()
    data, options, problems = load_config(config_file)
    if problems:
        return settings_from_options({}, root, config_file.name)[0], problems
    return settings_from_options(options, root, config_file.name, docs_dir=docs_folder(data, root),
                                 site_url=data.get("site_url"))


