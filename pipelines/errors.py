"""Errors a user can act on. Their text is shown as it is: no tracebacks for bad input."""


class LoadRefused(Exception):
    """A whole file or kind is unusable, so nothing is loaded and the database stays as it was."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class UsageError(Exception):
    """A command-line request that cannot be answered (unknown metric, option, grouping, tier)."""
