"""Geometry of the dashboard's charts, drawn by the templates as SVG on the server.

No script and no CDN: the numbers become rectangles and a polyline here, the template
writes the SVG elements (with a title and role="img"), and the same numbers stand in a
table beside each chart. Coordinates are in the viewBox; the SVG scales to the width of
a phone.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 120
ROW_HEIGHT = 22
BAR_HEIGHT = 14
VALUE_SPACE = 70  # room right of the longest bar for its number


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    display: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    target_x: float | None = None  # horizontal bars: the target's vertical line
    target_y: float | None = None  # columns: the target's horizontal line
    target_label: str = ""
    points: str = ""  # a line chart's polyline
    dots: list[dict] = field(default_factory=list)
    axis_y: float = 0
    plot_left: float = 0
    plot_right: float = 0


def _display(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def horizontal_bars(items: list[tuple[str, float]], *, target: float | None = None) -> Chart:
    """One bar per item (a ward), longest = the largest of the values and the target."""
    top = max([value for _label, value in items] + [target or 0, 1])
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    chart = Chart(width=WIDTH, height=ROW_HEIGHT * len(items) + 24)
    for index, (label, value) in enumerate(items):
        y = 8 + index * ROW_HEIGHT
        width = span * value / top
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                text_x=round(LABEL_WIDTH + width + 6, 1),
                text_y=y + BAR_HEIGHT - 2,
                display=_display(value),
            )
        )
    if target:
        chart.target_x = round(LABEL_WIDTH + span * target / top, 1)
        chart.target_label = _display(target)
    chart.axis_y = chart.height - 12
    return chart


def columns(items: list[tuple[str, float]], *, height: int = 220) -> Chart:
    """One column per item (a month), labels under them."""
    left, right, top_pad, bottom_pad = 40, 10, 20, 30
    plot_height = height - top_pad - bottom_pad
    top = max([value for _label, value in items] + [1])
    slot = (WIDTH - left - right) / max(len(items), 1)
    chart = Chart(width=WIDTH, height=height, plot_left=left, plot_right=WIDTH - right)
    chart.axis_y = top_pad + plot_height
    for index, (label, value) in enumerate(items):
        bar_height = plot_height * value / top
        x = left + index * slot + slot * 0.15
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(chart.axis_y - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                text_x=round(x + slot * 0.35, 1),
                text_y=round(chart.axis_y - bar_height - 4, 1),
                display=_display(value),
            )
        )
    return chart


def line(
    items: list[tuple[str, float]], *, target: float | None = None, height: int = 220
) -> Chart:
    """A polyline over the items (months), with a dot and a number at each."""
    chart = columns(items, height=height)
    top_pad, plot_height = 20, height - 50
    top = max([value for _label, value in items] + [target or 0, 1])
    points = []
    for bar in chart.bars:
        y = round(top_pad + plot_height - plot_height * bar.value / top, 1)
        cx = bar.text_x
        points.append(f"{cx},{y}")
        chart.dots.append(
            {"x": cx, "y": y, "label": bar.label, "display": bar.display, "text_y": y - 8}
        )
    chart.points = " ".join(points)
    if target:
        chart.target_y = round(top_pad + plot_height - plot_height * target / top, 1)
        chart.target_label = _display(target)
    return chart
