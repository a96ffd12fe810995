"""Geometry for server-side SVG charts. Pure functions; templates draw the result."""

import math
from dataclasses import dataclass


def fmt(number):
    """A coordinate for SVG: a dot as decimal separator, whatever the locale."""
    return f"{number:.1f}"


@dataclass
class Point:
    x: float
    y: float

    def __str__(self):
        return f"{fmt(self.x)},{fmt(self.y)}"

    @property
    def sx(self):
        return fmt(self.x)

    @property
    def sy(self):
        return fmt(self.y)


def polar(cx, cy, radius, index, count):
    """The point at `radius` on axis `index` of `count`, the first axis pointing up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return Point(cx + radius * math.cos(angle), cy + radius * math.sin(angle))


# Series colours, as SVG attributes so that every renderer (browsers, WeasyPrint) draws them.
PALETTE = ["#1d5c57", "#b5651d", "#3a6ea5", "#7a3e9d"]


def wrap(label, width=14):
    """Split a label into lines of about `width` characters, on spaces."""
    lines, current = [], ""
    for word in label.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def radar(labels, series, *, maximum, size=340, margin=115, rings=None):
    """Everything a radar template needs.

    labels: axis labels; series: [(name, [value or None per axis])]; values from 0 to maximum.
    Returns a dict with the view box, rings (polygons), axes (lines and label anchors) and one
    polygon per series (None values are drawn at 0).
    """
    count = len(labels)
    rings = rings or int(maximum)
    width = size + 2 * margin
    height = size + 130
    cx, cy, radius = width / 2, height / 2, size / 2

    def polygon(values):
        return " ".join(
            str(polar(cx, cy, radius * (min(max(v or 0, 0), maximum) / maximum), i, count))
            for i, v in enumerate(values)
        )

    axes = []
    for i, label in enumerate(labels):
        end = polar(cx, cy, radius, i, count)
        anchor_point = polar(cx, cy, radius + 14, i, count)
        if abs(anchor_point.x - cx) < 1:
            anchor = "middle"
        else:
            anchor = "start" if anchor_point.x > cx else "end"
        lines = wrap(label)
        line_height = 20
        if anchor_point.y < cy - 1:  # above the centre: the block ends at the anchor
            first_dy = -line_height * (len(lines) - 1) - 4
        elif anchor_point.y > cy + 1:  # below: the block starts under the anchor
            first_dy = 16
        else:
            first_dy = 6 - line_height * (len(lines) - 1) / 2
        axes.append(
            {
                "end": end,
                "label": label,
                "text": anchor_point,
                "anchor": anchor,
                "lines": [
                    {"text": line, "dy": fmt(first_dy if n == 0 else line_height)}
                    for n, line in enumerate(lines)
                ],
            }
        )
    return {
        "width": width,
        "height": height,
        "center": Point(cx, cy),
        "rings": [
            {"points": polygon([maximum * r / rings] * count), "value": maximum * r / rings}
            for r in range(1, rings + 1)
        ],
        "axes": axes,
        "series": [
            {
                "name": name,
                "points": polygon(values),
                "index": n,
                "color": PALETTE[n % len(PALETTE)],
                "opacity": "0.22" if n == 0 else "0.12",
                "dots": [
                    polar(cx, cy, radius * (min(max(v or 0, 0), maximum) / maximum), i, count)
                    for i, v in enumerate(values)
                ],
            }
            for n, (name, values) in enumerate(series)
        ],
    }


def diagram(flows, *, size=440, margin=70, span=5):
    """The information diagram: two axes from -span to +span, a dot per flow today, another
    where it should be, and an arrow between them. flows: [(label, (x, y), (x, y) or None)]."""
    width = size + 2 * margin
    height = size + 2 * margin
    half = size / 2

    def to_svg(x, y):
        return Point(margin + half + x / span * half, margin + half - y / span * half)

    items = []
    for n, (label, current, target) in enumerate(flows, start=1):
        now = to_svg(*current)
        then = to_svg(*target) if target else None
        tip = None
        if then is not None:
            # The arrow stops at the edge of the target's dot, so that its head shows.
            dx, dy = then.x - now.x, then.y - now.y
            length = math.hypot(dx, dy) or 1
            tip = Point(then.x - dx / length * 13, then.y - dy / length * 13)
        items.append({"number": n, "label": label, "now": now, "then": then, "tip": tip})
    return {
        "width": width,
        "height": height,
        "left": fmt(margin),
        "right": fmt(margin + size),
        "top": fmt(margin),
        "bottom": fmt(margin + size),
        "middle_x": fmt(margin + half),
        "middle_y": fmt(margin + half),
        "items": items,
    }
