"""Keep Chinese characters whole where a message or a drop-down lies over other widgets.

Textual's compositor cuts every screen line at the left and right edge of every widget on
it, and cuts each widget's line at all of those places, even where the widget on top
covers both sides of the cut. A double-width character across such a cut is split by
``Segment.divide`` into two blank cells: a toast over the table's column divider showed
「匯入   例推薦名冊」 (Textual issue #6357, open in 8.2). Here a widget's line is cut only
where what is visible changes hands, between this widget and one already on top of it;
everything else of it stays one piece. Where a widget really is covered the cut stays (a
character half under a dialog cannot be drawn whole).

:func:`install` replaces ``Compositor._render_chops`` once; it leaves Textual alone when
the compositor is not the one this was written against (a test then fails and says so).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)  # claims a bucket whose cells a wider piece before it already draws
_ORIGINAL = Compositor._render_chops


def _render_chops(self: Compositor, crop: Region,
                  is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
    """Textual's ``_render_chops``, cutting a widget's line only where ownership changes."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            edges = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            if len(edges) < 2:
                continue
            # Painting front to back: a bucket still empty is this widget's to fill.
            free = [line.get(cut) is None for cut in edges[:-1]]
            starts = [0] + [i for i in range(1, len(free)) if free[i] != free[i - 1]]
            ends = [*starts[1:], len(free)]
            pieces = strip.divide([edges[end] - render_x for end in ends])
            for start, end, piece in zip(starts, ends, pieces, strict=False):
                if not free[start]:
                    continue
                line[edges[start]] = piece
                for covered in edges[start + 1:end]:
                    line[covered] = _EMPTY
    return chops  # type: ignore[return-value]  # every bucket is filled, as Textual's


def install() -> bool:
    """Use :func:`_render_chops` in every screen's compositor; False (nothing changed)
    when Textual's compositor does not have the shape it was written for."""
    needed = ("cuts", "_get_renders", "_render_chops")
    if not all(hasattr(Compositor, name) for name in needed):
        return False
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Textual's own behaviour back (for the test that shows the difference)."""
    Compositor._render_chops = _ORIGINAL  # type: ignore[method-assign]
