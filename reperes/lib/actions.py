"""What every app's actions share."""


class ActionRefused(Exception):
    """A rule forbids the change; the message says why, in French, for the user. Views catch it
    and show the message; nothing has been written."""
