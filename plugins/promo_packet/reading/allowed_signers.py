"""The packet's trusted keys: an OpenSSH ``allowed_signers`` file, read and added to.

Each line names who may sign and with which key, as ``ssh-keygen -Y verify -f`` reads it::

    # comments and blank lines are skipped
    "Ada Lovelace" namespaces="promo-packet" ssh-ed25519 AAAAC3Nz... ada@laptop
    dana.w ssh-rsa AAAAB3Nz...

A name with spaces or accents is written in double quotes; several keys of one person are
consecutive lines with the same name. The file is read strictly, because a line OpenSSH would
read one way and promo-packet another would let a signature verify here that does not there:
options other than ``namespaces``, name patterns, a name listed again further down (two people
of the same name?), a key listed twice, a key type we do not verify, an RSA key under 2,048 bits
and malformed base64 are each a located problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem, RequestError, quoted
from .folders import file_problem
from .ssh_keys import KEY_TYPES, KeyRefused, PublicKey, parse_key_text, parse_public_key_line

NAMESPACE = "promo-packet"
"""The namespace every corroboration is signed in (``ssh-keygen -Y sign -n promo-packet``)."""
DEFAULT_FILE = "allowed_signers"
MAX_BYTES = 1 << 20
"""Far more than a team's keys; a bigger file is not an allowed_signers file."""
_TOKEN = re.compile(r'(?:[^ \t"]|"[^"]*")+')
"""A word of a line as OpenSSH splits it: at spaces and tabs only, never inside double quotes."""
_TOKEN_COMMA = re.compile(r'(?:[^,"]|"[^"]*")+')
"""An option of a comma-separated list, whose quoted values may hold commas."""
_SAFE_NAME = re.compile(r"[A-Za-z0-9._@+=:/-]+")
_UNWRITABLE = re.compile(r'[\x00-\x1f\x7f",*?]')
_OPTION = re.compile(r'([A-Za-z-]+)(?:="([^"]*)")?')
NAME_HINT = "name the person as the packet's corroboration does, e.g. \"Ada Lovelace\""


@dataclass(frozen=True)
class AllowedSigner:
    """One line of the file: a person's name, one of their keys, and the namespaces it may sign in."""

    principal: str
    key: PublicKey
    line: int
    namespaces: tuple[str, ...] | None = None
    """``None``: any namespace, as OpenSSH reads a line without the option."""

    def allows(self, namespace: str) -> bool:
        return self.namespaces is None or _matches(namespace, self.namespaces)


@dataclass(frozen=True)
class AllowedSigners:
    """Every key the packet trusts, by the name of the person who holds it."""

    path: str = DEFAULT_FILE
    signers: tuple[AllowedSigner, ...] = field(default=())

    def keys_of(self, principal: str, namespace: str = NAMESPACE) -> tuple[PublicKey, ...]:
        """The keys ``principal`` may sign with in ``namespace``; names match exactly."""
        return tuple(s.key for s in self.signers if s.principal == principal and s.allows(namespace))

    @property
    def principals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.principal for s in self.signers))


def _matches(name: str, patterns: Iterable[str]) -> bool:
    """OpenSSH's pattern lists: ``*`` and ``?`` wildcards, a ``!`` pattern that matches refuses."""
    found = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = pattern[1:] if negated else pattern
        regex = re.escape(body).replace(r"\*", ".*").replace(r"\?", ".")
        if re.fullmatch(regex, name, re.DOTALL):
            if negated:
                return False
            found = True
    return found


class _Line:
    """One line being read: where it is, and the problems found in it."""

    def __init__(self, path: str, number: int, problems: list[Problem]) -> None:
        self.path, self.number, self.problems = path, number, problems

    def problem(self, field: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, self.number, message, field=field, hint=hint))


def parse_allowed_signers(text: str, path: str = DEFAULT_FILE) -> tuple[AllowedSigners, list[Problem]]:
    """Read an ``allowed_signers`` file's text; every problem is located by its line.

    A line with a problem contributes no key, so a file with errors trusts less, never more.
    """
    problems: list[Problem] = []
    signers: list[AllowedSigner] = []
    first_line: dict[str, int] = {}
    key_line: dict[bytes, AllowedSigner] = {}
    previous: tuple[str, ...] = ()
    for number, raw in enumerate(text.split("\n"), 1):
        content = raw.strip(" \t\r")
        if not content or content.startswith("#"):
            continue
        line = _Line(path, number, problems)
        read = _read_line(content, line)
        if read is None:
            continue
        principals, namespaces, key = read
        if not _unique(line, principals, key, previous, first_line, key_line):
            continue
        previous = principals
        for principal in principals:
            signer = AllowedSigner(principal, key, number, namespaces)
            first_line.setdefault(principal, number)
            key_line[key.blob] = signer
            signers.append(signer)
    return AllowedSigners(path, tuple(signers)), problems


def _unique(line: _Line, principals: tuple[str, ...], key: PublicKey, previous: tuple[str, ...],
            first_line: dict[str, int], key_line: dict[bytes, AllowedSigner]) -> bool:
    """Whether the line names no one listed further up and holds no key listed already."""
    fine = True
    for principal in principals:
        if principal in first_line and principal not in previous:
            line.problem("principals",
                         f"{quoted(principal)} is already listed at line {first_line[principal]}",
                         "one person's keys go on consecutive lines; if this is someone else of the "
                         "same name, tell them apart (e.g. \"Ada Lovelace (Finance)\")")
            fine = False
    holder = key_line.get(key.blob)
    if holder is not None:
        line.problem("key", f"this key ({key.fingerprint}) is already listed at line {holder.line} "
                     f"for {quoted(holder.principal)}", "list each key once, for the one person who holds it")
        fine = False
    return fine


def _read_line(content: str, line: _Line) -> tuple[tuple[str, ...], tuple[str, ...] | None, PublicKey] | None:
    if content.count('"') % 2:
        line.problem("principals", "a double quote is not closed",
                     "write a name with spaces as \"Ada Lovelace\"")
        return None
    tokens = _TOKEN.findall(content)
    principals = _principals(tokens[0], line)
    rest = tokens[1:]
    options_given = bool(rest) and rest[0] not in KEY_TYPES and (
        "=" in rest[0] or rest[0].lower() == "cert-authority" or (len(rest) > 1 and rest[1] in KEY_TYPES))
    namespaces = _namespaces(rest.pop(0), line) if options_given else None
    if len(rest) < 2:
        line.problem("key", "no key after the name",
                     "write: NAME ssh-ed25519 AAAA... (promo signers add NAME --key FILE.pub does it)")
        return None
    try:
        key = parse_key_text(rest[0], rest[1])
    except KeyRefused as exc:
        line.problem("key", str(exc))
        return None
    if principals is None or namespaces == ():
        return None
    return principals, namespaces, key


def _principals(token: str, line: _Line) -> tuple[str, ...] | None:
    if '"' in token and not (token.startswith('"') and token.endswith('"') and token.count('"') == 2):
        line.problem("principals", f"unexpected quote in {quoted(token)}",
                     "quote the whole name: \"Ada Lovelace\"")
        return None
    names = token.strip('"').split(",")
    fine = True
    for name in names:
        message = principal_problem(name)
        if message is not None:
            line.problem("principals", message, NAME_HINT)
            fine = False
    return tuple(names) if fine else None


def principal_problem(name: str) -> str | None:
    """Why ``name`` cannot be a principal that OpenSSH and promo-packet read the same, if it cannot."""
    if not name.strip():
        return "an empty name"
    if name != name.strip():
        return f"{quoted(name)} starts or ends with a space"
    if name.startswith("!") or "*" in name or "?" in name:
        return f"{quoted(name)} is a pattern: promo-packet matches names exactly"
    if _UNWRITABLE.search(name):
        return f"{quoted(name)} holds a character OpenSSH cannot read in a name (a quote, comma or control)"
    return None


def _namespaces(token: str, line: _Line) -> tuple[str, ...]:
    """The ``namespaces`` option's patterns; ``()`` when the options cannot be used."""
    namespaces: tuple[str, ...] | None = None
    fine = True
    for option in _TOKEN_COMMA.findall(token):
        match = _OPTION.fullmatch(option)
        name = match.group(1).lower() if match else option
        if match and name == "namespaces" and match.group(2) is not None and namespaces is None:
            namespaces = tuple(match.group(2).split(","))
            continue
        fine = False
        line.problem("options", f"option {quoted(option)} is not supported",
                     f"promo-packet reads only namespaces=\"{NAMESPACE}\", once; remove the rest")
    return namespaces if fine and namespaces is not None else ()



def read_allowed_signers(file: Path, shown: str = DEFAULT_FILE) -> tuple[AllowedSigners, list[Problem]]:
    """Read the file at ``file``; a missing file trusts no one and is no problem."""
    problem = file_problem(file, shown, (), wanted=True)
    if problem is not None:
        return AllowedSigners(shown), [problem]
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return AllowedSigners(shown), []
    except OSError as exc:
        return AllowedSigners(shown), [Problem(shown, None, f"cannot read the file: {exc.strerror}")]
    if len(raw) > MAX_BYTES:
        return AllowedSigners(shown), [Problem(shown, None, f"larger than {MAX_BYTES} bytes: not an "
                                               "allowed_signers file")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return AllowedSigners(shown), [Problem(shown, line, "not valid UTF-8 text",
                                               hint="save the file as UTF-8")]
    return parse_allowed_signers(text, shown)


def principal_text(name: str) -> str:
    """``name`` as an ``allowed_signers`` line writes it: in double quotes unless it needs none."""
    return name if _SAFE_NAME.fullmatch(name) else f'"{name}"'


def with_signer(text: str, name: str, keys: Sequence[PublicKey],
                path: str = DEFAULT_FILE) -> tuple[str, list[PublicKey]]:
    """``text`` (an ``allowed_signers`` file) with ``name``'s ``keys`` added, and the keys added.

    Keys the file lists for ``name`` already are skipped; new ones go right after that person's
    lines (or at the end), restricted to the promo-packet namespace. Raises
    :class:`RequestError` for a name OpenSSH cannot read or a key listed for someone else, and
    :class:`InputError` when the file as it is has problems; nothing is written then.
    """
    message = principal_problem(name)
    if message is not None:
        raise RequestError(f"{message}; {NAME_HINT}")
    current, problems = parse_allowed_signers(text, path)
    if any(problem.is_error for problem in problems):
        raise InputError(problems)
    added: list[PublicKey] = []
    for key in keys:
        holder = next((s for s in current.signers if s.key.blob == key.blob), None)
        if holder is not None and holder.principal != name:
            raise RequestError(f"{path}:{holder.line}: the key {key.fingerprint} is listed for "
                               f"{holder.principal!r}; a key belongs to one person")
        if holder is None and all(key.blob != other.blob for other in added):
            added.append(key)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    mine = [s.line for s in current.signers if s.principal == name]
    at = max(mine) if mine else len(lines)
    new = [f'{principal_text(name)} namespaces="{NAMESPACE}" {key.text}' for key in added]
    return "\n".join([*lines[:at], *new, *lines[at:]]) + "\n", added


def keys_from_github(text: str, shown: str) -> tuple[list[PublicKey], list[Problem]]:
    """The keys in what ``gh api users/LOGIN/ssh_signing_keys`` prints: a list of ``{"key": ...}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(shown, exc.lineno, f"not JSON: {exc.msg}",
                            hint="save what gh api users/LOGIN/ssh_signing_keys prints")]
    if not isinstance(data, list):
        return [], [Problem(shown, None, "expected a list of keys, as gh api users/LOGIN/ssh_signing_keys "
                            "prints")]
    keys: list[PublicKey] = []
    problems: list[Problem] = []
    for index, item in enumerate(data):
        value = item.get("key") if isinstance(item, dict) else None
        if not isinstance(value, str):
            problems.append(Problem(shown, None, "expected an object with a 'key'", field=f"[{index}]"))
            continue
        try:
            keys.append(parse_public_key_line(value))
        except KeyRefused as exc:
            problems.append(Problem(shown, None, str(exc), field=f"[{index}].key"))
    if not data:
        problems.append(Problem(shown, None, "no keys: this person has no SSH signing key on GitHub",
                                hint="ask them to add one (GitHub settings, SSH and GPG keys, "
                                     "as a signing key)"))
    return keys, problems


def keys_from_pub(text: str, shown: str) -> tuple[list[PublicKey], list[Problem]]:
    """The keys of a ``.pub`` file: one ``type base64 [comment]`` a line."""
    keys: list[PublicKey] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                keys.append(parse_public_key_line(line))
            except KeyRefused as exc:
                problems.append(Problem(shown, number, str(exc)))
    if not keys and not problems:
        problems.append(Problem(shown, None, "no public key in the file",
                                hint="pass the .pub file, e.g. ~/.ssh/id_ed25519.pub"))
    return keys, problems
