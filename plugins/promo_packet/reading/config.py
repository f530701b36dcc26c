"""mkdocs.yml read without MkDocs: the plugin's options, the password as typed, where a key is.

The command line and ``promo gen`` read the same file MkDocs reads; ``!ENV`` resolves as MkDocs
resolves it, and other custom tags read as nothing rather than failing.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from .folders import read_named_text

DEFAULT_CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "promo-packet"
PASSWORD_LINE = re.compile(r"""\s*(?:-\s*)?["']?password["']?\s*:""")
NULL_LIKE = ("", "~", "null", "Null", "NULL")
"""What YAML reads as null: as a password it means the variable was set by mistake."""


@dataclass(frozen=True)
class PasswordText:
    """The password exactly as written or as its environment variable holds it."""

    text: str | None
    line: int | None = None
    variable: str | None = None
    """The variable it came from, if it came through ``!ENV``."""


def password_text(config_text: str) -> PasswordText | None:
    """The ``password`` option of an mkdocs.yml as text, or None if it cannot be found there.

    YAML (and MkDocs' ``!ENV``) would turn ``12345678`` into a number, ``true`` into a yes/no
    value and ``null`` into nothing; the person types the characters, so the key must come from
    those. Only the node graph is read: no value is constructed.
    """
    try:
        root = yaml.compose(config_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    node = option_node(root, "password")
    if node is None:
        return None
    line = node.start_mark.line + 1
    if node.tag == "!ENV":
        children = node.value if isinstance(node, yaml.SequenceNode) else [node]
        names = children[:-1] if len(children) > 1 else children
        for name in names:
            if isinstance(name, yaml.ScalarNode) and name.value in os.environ:
                return PasswordText(os.environ[name.value], line, name.value)
        default = children[-1] if len(children) > 1 else None
        return PasswordText(_scalar_text(default), line)
    return PasswordText(_scalar_text(node), line)


def _scalar_text(node: yaml.Node | None) -> str | None:
    if node is None or not isinstance(node, yaml.ScalarNode):
        return None
    if node.style is None and node.value in NULL_LIKE and node.tag != "tag:yaml.org,2002:str":
        return None
    return str(node.value)


def _plugin_node(root: yaml.Node | None) -> yaml.Node | None:
    """The mapping of our plugin's options in a composed mkdocs.yml, or None."""
    plugins = _value(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    for entry in entries:
        options = _value(entry, PLUGIN_NAME)
        if options is not None:
            return options
    return None


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found: yaml.Node = v
                return found
    return None


def option_node(root: yaml.Node | None, name: str) -> yaml.Node | None:
    """The value of our option ``name`` in a composed mkdocs.yml, or None if it is not written."""
    return _value(_plugin_node(root), name)


def option_lines(config_file: Path) -> dict[str, int]:
    """The line each of our options is written on in ``config_file``, by name; none if it cannot
    be read. Only the node graph is read, so MkDocs' own tags do not matter."""
    text, _ = read_named_text(config_file, config_file.name)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader) if text is not None else None
    except yaml.YAMLError:
        return {}
    options = _plugin_node(root)
    if not isinstance(options, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1
            for key, _ in options.value if isinstance(key, yaml.ScalarNode)}


def locate_options(problems: list[Problem], config_file: Path) -> list[Problem]:
    """``problems`` with each about one of our options in ``config_file`` (its field
    ``promo-packet.name`` or ``name``) given the line the option is written on."""
    def option(problem: Problem) -> str | None:
        if problem.path != config_file.name or problem.line is not None or not problem.field:
            return None
        return re.split(r"[.\[]", problem.field.removeprefix(f"{PLUGIN_NAME}."), maxsplit=1)[0]

    if not any(option(problem) for problem in problems):
        return problems
    lines = option_lines(config_file)
    return [dataclasses.replace(problem, line=lines[name]) if (name := option(problem)) in lines else problem
            for problem in problems]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml outside MkDocs: ``!ENV`` resolves, other custom tags read as None."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1] if len(items) > 1 else None
    for name in names:
        if str(name) in os.environ:
            # As MkDocs reads it: the variable's text is one scalar whose type YAML's implicit
            # rules decide (`12` a number, `true` a yes), never a document to parse, so a value
            # such as `*alias` or `[x` is text, not an error quoting it.
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("!", _ignore_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def load_config(config_file: Path) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    """An mkdocs.yml read without MkDocs (``!ENV`` resolved), and our plugin's options in it,
    the password as written."""
    text, problem = read_named_text(config_file, config_file.name)
    if text is None:
        return {}, {}, [problem or Problem(config_file.name, None, "not found",
                                           hint="run this in your packet's folder or pass --config-file")]
    return config_from_text(text, config_file.name)


def config_from_text(text: str, source: str) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    """:func:`load_config` of the text of an mkdocs.yml, shown as ``source``."""
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    # PyYAML's constructors fail in their own ways on values they were not meant for (`!!bool maybe`).
    except yaml.MarkedYAMLError as exc:
        return {}, {}, [_yaml_problem(source, text, exc)]
    except (yaml.YAMLError, ValueError, LookupError, TypeError, AttributeError, ArithmeticError,
            RecursionError) as exc:
        message = _without_password(" ".join(str(exc).split()), text if isinstance(exc, ValueError) else "")
        if isinstance(exc, yaml.YAMLError):
            return {}, {}, [Problem(source, None, f"cannot read: {message}")]
        return {}, {}, [Problem(source, None, f"cannot read a value ({type(exc).__name__}: {message})",
                            hint="remove explicit tags (!!bool, !!int, ...) from values not of that type")]
    data = data if isinstance(data, dict) else {}
    options = plugin_options(data)
    if options is None:
        return data, {}, [Problem(source, None, f"the {PLUGIN_NAME} plugin is not configured",
                                  field="plugins",
                                  hint=f"add '- {PLUGIN_NAME}:' with its options under plugins:")]
    options["password"] = password_text(text) or options.get("password")
    return data, options, []


def _yaml_problem(source: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML error located by its line, without PyYAML's quote of the line: that line may be the
    password's, and a password is never printed."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    lines = text.splitlines()
    if line is not None and line <= len(lines) and PASSWORD_LINE.match(lines[line - 1]):
        return Problem(source, line, "cannot read the password option as YAML",
                       hint="set it from the environment: password: !ENV PROMO_PASSWORD")
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    return Problem(source, line, f"cannot read: {_without_password(what, text)}")


def _without_password(message: str, text: str) -> str:
    """``message`` with the password written in ``text``, if any, masked where it shows."""
    written = password_text(text) if text else None
    secret = written.text if written is not None else None
    if not secret:
        return message
    return message.replace(repr(secret), "'***'").replace(secret, "***")


def docs_folder(config: Mapping[str, Any], root: Path) -> Path:
    """MkDocs' ``docs_dir`` of a parsed mkdocs.yml, absolute."""
    docs = config.get("docs_dir")
    return root / (docs if isinstance(docs, str) else "docs")


def plugin_name(entry: object) -> object:
    """The name of an item of mkdocs.yml's ``plugins`` list: ``search``, or ``{promo-packet: {...}}``."""
    return next(iter(entry)) if isinstance(entry, dict) and entry else entry


def plugin_options(config: object) -> dict[str, Any] | None:
    """The options given to our plugin in a parsed mkdocs.yml, or None if it is absent."""
    plugins = config.get("plugins") if isinstance(config, dict) else None
    entries = plugins.items() if isinstance(plugins, dict) else (
        (plugin_name(p), p[plugin_name(p)] if isinstance(p, dict) and p else {}) for p in plugins or ())
    for name, options in entries:
        if name == PLUGIN_NAME:
            return dict(options or {})
    return None
