"""`rolepack import`: job descriptions kept as DOCX, Markdown, HTML or plain text, made into role files.

intake (bounded, decoded bytes) → readers, docx_reader, html_reader (one per format, to the neutral
outline of blocks.py) → normalise (hand-typed structure, emoji out) → labelled (`Location:` and
other facts, read by facts.py) → structure (title, sections) → mapping (headings.yaml slots, free
sections, fallbacks) and inferred (guessed employment type and location) → writer (the YAML) →
command (validate, write, report). The public entry is `import_files`.
"""

from pipeline.importing.command import ImportResult, import_files

__all__ = ["ImportResult", "import_files"]
