"""Small helpers for AppTest page tests."""


def open_page(app, path: str):
    """Run the app, switch to one page (AppTest runs one page at a time) and check nothing failed."""
    at = app.run()
    at.switch_page(path).run()
    assert not at.exception
    return at


def page_text(at) -> str:
    """Everything a reader sees as text: markdown, captions and information boxes."""
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])
