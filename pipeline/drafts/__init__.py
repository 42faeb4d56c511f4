"""Drafts that come back: a hiring manager's Word edits, tracked changes and comments merged into
the role they were built from (`rolepack merge`)."""
