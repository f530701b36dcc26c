"""Files on disk to located values: YAML within a budget, front matter, folders walked under
guard, mkdocs.yml read without MkDocs, git history. Everything a user wrote comes in here."""
