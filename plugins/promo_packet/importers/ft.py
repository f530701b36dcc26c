"""The Financial Times engineering-progression job-family YAML.

``levels`` (``id``, ``name``) lowest first, ``themes`` (``id``, ``name``, ``summary``) and
``competencies``, each with a ``level``, a ``theme``, a ``summary`` (sometimes a numbered list)
and optional ``examples``. Themes become dimensions; a competency's summary, its behaviours at
its level; its examples, that behaviour's (the level's, when the summary lists several).

Above a certain rank the family splits into an individual-contributor and a people-manager
level (``senior-2-ic`` and ``senior-2-pm``). Our ladder is one line, so ``track`` keeps ``ic``,
``pm``, or ``both`` as separate levels in the file's (rank) order.
"""

from __future__ import annotations

from pathlib import PurePath

from ..reading.fields import FieldReader
from ..reading.located_yaml import parse_yaml
from .draft import Draft, split_behaviours

TRACKS = ("ic", "pm", "both")
_TRACK_NAMES = {"ic": "individual-contributor", "pm": "people-manager"}


def _track(ident: str, title: str) -> str | None:
    ident, title = ident.lower(), title.lower()
    if ident.endswith(("-ic", "_ic")) or "individual contributor" in title:
        return "ic"
    if ident.endswith(("-pm", "_pm", "-em", "_em")) or "people manager" in title:
        return "pm"
    return None


def read(text: str, source: str, *, track: str | None = None) -> Draft:
    draft = Draft(source, "a Financial Times job-family YAML")
    doc, problems = parse_yaml(text.removeprefix("\ufeff"), source)
    draft.problems.extend(problems)
    if doc is None:
        return draft
    if not isinstance(doc.data, dict):
        draft.problem(1, "a job family is a mapping with levels, themes and competencies")
        return draft
    read = FieldReader(doc, source, draft.problems)
    data = doc.data
    draft.name = read.text(data, ("name",)) or PurePath(source).stem
    tracks: dict[str, str | None] = {}
    for index, item in read.mappings(data, ("levels",), required=True):
        ident = read.text(item, ("levels", index, "id"), required=True)
        if ident is not None:
            title = read.text(item, ("levels", index, "name")) or ident
            tracks[ident] = _track(ident, title)
            draft.add_level(ident, title)
    keep = _choose_track(draft, tracks, track)
    themes: dict[str, str] = {}
    for index, item in read.mappings(data, ("themes",), required=True):
        ident = read.text(item, ("themes", index, "id"), required=True)
        if ident is None:
            continue
        name = read.text(item, ("themes", index, "name")) or ident
        description = read.text(item, ("themes", index, "summary")) or ""
        draft.dimension(name, key=ident, description=" ".join(description.split()),
                        origin=f"line {doc.line('themes', index)}")
        themes[ident] = name
    for index, item in read.mappings(data, ("competencies",), required=True):
        key = ("competencies", index)
        level = read.text(item, (*key, "level"), required=True)
        theme = read.text(item, (*key, "theme"), required=True)
        summary = read.text(item, (*key, "summary"), required=True)
        examples = list(read.texts(item, (*key, "examples")))
        if level is not None and level not in tracks:
            read.report((*key, "level"), f"unknown level {level!r}",
                        f"the levels are: {', '.join(tracks)}")
        if theme is not None and theme not in themes:
            read.report((*key, "theme"), f"unknown theme {theme!r}",
                        f"the themes are: {', '.join(themes)}")
        if level not in keep or theme not in themes or summary is None:
            continue
        dimension = draft.dimension(themes[theme])
        dimension.expect(level, split_behaviours(summary, lines_are_items=False), examples)
    return draft


def _choose_track(draft: Draft, tracks: dict[str, str | None], track: str | None) -> set[str]:
    """The level ids to keep, with a note saying which and why."""
    parallel = {kind for kind in tracks.values() if kind}
    if parallel != {"ic", "pm"}:
        if track in ("ic", "pm"):
            draft.notes.append(f"--track {track}: this file has no parallel tracks, every level is kept")
        return set(tracks)
    split = [ident for ident, kind in tracks.items() if kind]
    if track in ("ic", "pm"):
        dropped = [ident for ident, kind in tracks.items() if kind and kind != track]
        draft.levels = [(ident, title) for ident, title in draft.levels if ident not in dropped]
        draft.notes.append(f"Kept the {_TRACK_NAMES[track]} track (--track {track}); left out "
                           f"{', '.join(dropped)}.")
        return {ident for ident in tracks if ident not in dropped}
    draft.notes.append("Kept both tracks as separate levels in rank order (individual contributor, "
                       f"then people manager, at each rank): {', '.join(split)}. Pass --track ic or "
                       "--track pm to keep one.")
    return set(tracks)
