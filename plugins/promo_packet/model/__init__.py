"""The packet as data: evidence, the rubric, the plan, coverage and status, audiences, what changed.

Nothing here imports an engine, a template or a PDF library."""
