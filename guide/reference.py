"""MkDocs hook of the manual: the options page, made from the option schema at build time.

The page lives in memory only, so the manual cannot disagree with ``promo_packet.options`` and
nothing is written into the docs folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from promo_packet import options

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

OPTIONS_PAGE = "reference/options.md"

INTRODUCTION = """\
# Options

The plugin's options go under `promo-packet` in the packet's `mkdocs.yml`:

```yaml
plugins:
  - search
  - promo-packet:
      person: Priya Raman
      current_level: senior
      target_level: staff            # required
      audience: !ENV [PROMO_AUDIENCE, sponsor]
      password: !ENV PROMO_PASSWORD  # never the password itself
```

The plugin, `promo check` and `promo gen` read them through one schema and check them the same
way: a wrong value, or an option the schema does not know (a misspelt `pasword:` would otherwise
build without one), is an error naming `promo-packet.<option>`. Paths are relative to
`mkdocs.yml`. Where an environment variable is named, setting it turns the option away from its
default whatever the file says (`PROMO_PDF=0` skips the PDF), never back to it.

This page is generated from the schema when the manual is built.

"""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, OPTIONS_PAGE, content=INTRODUCTION + options.options_reference()))
    return files
