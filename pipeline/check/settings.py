"""Reading a content folder's `rolepack.yaml` (schema/settings), every problem located."""

from __future__ import annotations

from pathlib import Path

from pipeline.check.models import validate_model
from pipeline.problems import ContentError
from pipeline.schema.settings import Settings
from pipeline.source.yaml_reader import read_yaml

SETTINGS_FILE = "rolepack.yaml"


def load_settings(content: Path) -> Settings:
    """The folder's settings (none written: the defaults), or ContentError naming each problem."""
    file = content / SETTINGS_FILE
    if not file.is_file():
        return Settings()
    located = read_yaml(file)
    settings, problems = validate_model(Settings, located.data if located.data is not None else {}, [located])
    if settings is None:
        raise ContentError(problems)
    return settings
