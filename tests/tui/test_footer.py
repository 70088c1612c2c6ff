"""The one-line footer: the screen's keys as shown, followed as they change, and clickable."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from review_tui.tui.app import ReviewApp
from review_tui.tui.footer import KeyFooter
from review_tui.tui.reviewer import ReviewerScreen
from tests.credentials import sign_in_roles
from tests.tui.test_reviewer import SIZE, template, workspace  # noqa: F401 - shared demo


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,f3", "count('f2')", "Add"),
        Binding("f5", "count('f5')", "Hidden", show=False),
        Binding("f4", "nothing", "Never"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counted: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield KeyFooter()

    def action_count(self, what: str) -> None:
        self.counted.append(what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "nothing" else True  # None: shown, but disabled


async def test_each_shown_action_once_with_its_first_key_and_a_disabled_one_dimmed():
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        line = footer.render()
        assert line.plain.startswith(" f2 Add  f4 Never ")
        assert "Hidden" not in line.plain and "f3" not in line.plain
        never = line.plain.index(" f4 ")
        assert any("dim" in str(span.style) and span.start <= never < span.end
                   for span in line.spans)


class Typing(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f6,question_mark", "nothing('help')", "Help", key_display="?"),
        Binding("s", "nothing('seal')", "Seal"),
        Binding("slash", "nothing('filter')", "Filter"),
        Binding("ctrl+s", "nothing('submit')", "Submit"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield KeyFooter()

    def action_nothing(self, what: str) -> None:
        pass


async def test_while_typing_a_key_that_would_go_into_the_field_is_not_shown():
    app = Typing()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        assert isinstance(app.focused, Input)
        shown = {key.description: key for key in footer.keys}
        assert (shown["Help"].display, shown["Help"].enabled) == ("f6", True)  # not "?"
        assert "Seal" not in shown and "Filter" not in shown  # "s", "/" go into the field
        assert shown["Submit"].enabled and shown["Submit"].display == "^s"
        app.set_focus(None)  # nothing to type into: the keys as declared
        await pilot.pause()
        shown = {key.description: key for key in footer.keys}
        assert shown["Help"].display == "?" and shown["Seal"].enabled and "Filter" in shown


async def test_the_reviewer_is_offered_f1_for_help_and_it_opens_it(workspace):  # noqa: F811
    from review_tui.tui.help import HelpScreen

    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert " f1 Help " in footer.render().plain and " ? " not in footer.render().plain
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # whose key list says the same
        assert ("f1", "Help") in [(key.key, key.description) for key in app.screen.keys]


async def test_clicking_a_key_presses_it_and_a_disabled_key_does_nothing():
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        await pilot.click(KeyFooter, offset=(2, 0))  # on " f2 Add "
        await pilot.pause()
        assert app.counted == ["f2"]
        assert footer.key_at(2).key == "f2" and footer.key_at(70) is None
        x = footer.render().plain.index(" f4 ") + 1
        await pilot.click(KeyFooter, offset=(x, 0))
        await pilot.click(KeyFooter, offset=(70, 0))  # past the last key
        await pilot.pause()
        assert app.counted == ["f2"] and app.query_one("#field", Input).value == ""


async def test_the_reviewer_moves_to_the_next_entry_by_clicking_its_key(workspace):  # noqa: F811
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewerScreen) and screen.index == 0
        footer = screen.query_one(KeyFooter)
        x = footer.render().plain.index("Next entry")
        await pilot.click(KeyFooter, offset=(x, 0))
        await pilot.pause()
        assert screen.index == 1


async def test_a_footer_too_narrow_for_every_key_keeps_help_last(workspace):  # noqa: F811
    from review_tui.tui.chair import ChairScreen

    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="chair")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChairScreen)
        footer = app.screen.query_one(KeyFooter)
        line = footer.render().plain
        assert line.rstrip().endswith("… ? Help") and line.startswith(" g Agenda  a Attendance  d ")
        assert "q Quit" not in line and footer.key_at(line.index("? Help")).action == "help"
        await pilot.resize_terminal(220, 24)  # wide enough: every key, no ellipsis
        await pilot.pause()
        line = footer.render().plain
        assert "…" not in line and "q Quit" in line


async def test_a_message_is_a_bar_across_the_screen_that_cuts_no_wide_character(workspace):  # noqa: F811
    """Issue 23, point 15: a message over the divider between the text and the form blanked
    the Chinese characters across it (「匯入   例推薦名冊」, Textual's compositor: see
    tui/wide_chars.py). A message is now a bar across the screen above the keys, and
    every character of it is drawn."""
    from textual.widgets._toast import Toast, ToastRack

    from review_tui.tui import wide_chars

    message = ("已寫出簽署的評分表：/tmp/sheet-J01.json。請交給召集人匯入。"
               "此評分表尚未送出（已評 0/20 件），召集人匯入後仍算「評分中」。")
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.notify(message)
        await pilot.pause()
        await pilot.pause()
        toast = app.screen.get_child_by_type(ToastRack).query_one(Toast)
        footer = app.screen.query_one(KeyFooter)
        assert (toast.region.x, toast.region.width) == (0, 80)
        assert toast.region.bottom == footer.region.y  # just above the keys, hiding none

        def drawn() -> str:
            lines = app.screen._compositor.render_strips()[toast.region.y:toast.region.bottom]
            return "".join("".join(line.text.replace("▌", "").split()) for line in lines)

        assert "".join(message.split()) in drawn()
        wide_chars.uninstall()  # Textual's own compositor: the same screen loses characters
        try:
            assert "".join(message.split()) not in drawn()
        finally:
            wide_chars.install()
