"""Plain: text shown exactly as given (never markup), broken into lines as Chinese is set."""

from __future__ import annotations

from textual.app import App, ComposeResult

from review_tui.tui.plain import Plain
from review_tui.tui.reading import NO_LINE_START

# At 20 cells the tenth character of each sentence is a full stop or a comma: Rich's own
# wrapping starts lines with them.
TEXT = "委員會已完成彌封作業，請確認。" * 6 + "[/b] C:\\[2026]"


class PlainApp(App[None]):
    CSS = "Plain { width: 20; }"

    def compose(self) -> ComposeResult:
        yield Plain(TEXT)


def drawn(widget: Plain) -> list[str]:
    return [strip.text.rstrip() for strip in widget.render_lines(widget.region.reset_offset)]


async def test_lines_never_start_with_closing_punctuation_and_nothing_is_lost():
    app = PlainApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        plain = app.query_one(Plain)
        lines = [line for line in drawn(plain) if line]
        assert len(lines) > 5
        assert not [line for line in lines if line[:1] in NO_LINE_START]
        assert "".join("".join(line.split()) for line in lines) == "".join(TEXT.split())
        assert plain.text == TEXT


async def test_an_update_with_a_string_is_shown_as_written():
    app = PlainApp()
    async with app.run_test() as pilot:
        plain = app.query_one(Plain)
        plain.update("[b]不是粗體[/b]")
        await pilot.pause()
        assert drawn(plain)[0] == "[b]不是粗體[/b]" and plain.text == "[b]不是粗體[/b]"
