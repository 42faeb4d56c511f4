"""The command line: commands.py parses and calls the pipeline, output.py prints and exits."""

from pipeline.cli.commands import app, main

__all__ = ["app", "main"]
