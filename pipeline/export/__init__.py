"""From validated content to files on disk: what to build, building it, and writing it safely."""
