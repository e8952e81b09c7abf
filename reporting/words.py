"""Small helpers for plain-English sentences written from numbers."""


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 vacancy', '3 vacancies' (give the plural when it is not word + 's'), with thousands separators."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
