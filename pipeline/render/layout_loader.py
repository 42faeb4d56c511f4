"""Templates come from inside the layouts folder, and only from there.

Jinja's FileSystemLoader opens a template file by name, so a template that is a symbolic link (or
sits in a linked folder) to somewhere outside `layouts/` would be read and printed into a document.
This loader opens what FileSystemLoader finds only when the file, every link resolved, is inside
the folder it was asked to load from; anything else is a layout error naming the template.
"""

from __future__ import annotations

from pathlib import Path

import jinja2


class LayoutsOnly(jinja2.FileSystemLoader):
    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self._root = Path(folder).resolve()

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        try:
            target = Path(filename).resolve(strict=True)
        except (OSError, RuntimeError):
            target = None
        if target is None or not target.is_relative_to(self._root):
            raise jinja2.TemplateNotFound(template, f"layouts/{template} is a link to a file outside the layouts "
                                                    f"folder ({target or 'a loop'}); a template must be a file in it")
        return source, filename, uptodate
