"""The error every renderer raises for a document it cannot make."""


class RenderError(Exception):
    """A document could not be made; the message names what and where."""
