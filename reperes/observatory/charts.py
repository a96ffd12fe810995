"""Geometry of the observatory's charts, drawn server-side by SVG templates
(templates/observatory/bars.svg and tile_map.svg): pure functions of a table column as shown.

A hidden cell is never drawn as a figure: a bar is absent and says « masqué », a tile is hatched
and labelled « s ». The table beside each chart is its accessible equivalent.
"""

from functools import cache
from pathlib import Path

import yaml

from reperes.lib.svg import fmt, wrap
from reperes.organisations import reference

TILE_GRID_FILE = Path(__file__).parent / "data" / "tile_grid.yaml"

# Five shades of the house teal, light to dark; text turns white on the two darkest.
SHADES = ["#e3f0ee", "#b9dad4", "#7fb8ae", "#3f8c80", "#1d5c57"]
HIDDEN_FILL = "hatch"  # the template points it at its own pattern
NO_DATA_FILL = "#f4f2ed"


def scale_maximum(values, unit):
    """The end of the value axis: 5 for scores out of 5, 100 for shares, else the largest value."""
    values = [v for v in values if v is not None]
    largest = max(values, default=0)
    if "/5" in unit.replace(" ", "") or "sur 5" in unit:
        return max(5, largest)
    if "%" in unit:
        return max(100, largest)
    return largest or 1


def format_value(value):
    """A figure as written on a chart: integers plainly, others with one decimal and a comma."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:.1f}".replace(".", ",")


def bars(items, *, unit, label_width=210, bar_width=330, row_height=30):
    """Horizontal bars. items: [(label, cell as ReleaseTable.present gives it)]."""
    maximum = scale_maximum([c["value"] for _label, c in items if c and c["shown"]], unit)
    width = label_width + bar_width + 70
    rows = []
    y = 10
    for label, cell in items:
        lines = wrap(label, 30)[:2]
        height = row_height if len(lines) == 1 else row_height + 14
        shown = bool(cell and cell["shown"] and cell["value"] is not None)
        length = bar_width * min(max(cell["value"], 0), maximum) / maximum if shown else 0
        rows.append(
            {
                "label": label,
                "lines": [{"text": line, "dy": fmt(0 if n == 0 else 15)} for n, line in enumerate(lines)],
                "label_y": fmt(y + height / 2 + 5 - 7 * (len(lines) - 1)),
                "bar_y": fmt(y + (height - 18) / 2),
                "bar_length": fmt(length),
                "text_x": fmt(label_width + length + 6),
                "text_y": fmt(y + height / 2 + 5),
                "shown": shown,
                "hidden": bool(cell and not cell["shown"]),
                "text": format_value(cell["value"])
                if shown
                else ("s (masqué)" if cell and not cell["shown"] else "—"),
            }
        )
        y += height
    return {
        "width": width,
        "height": fmt(y + 28),
        "axis_x": fmt(label_width),
        "label_x": fmt(label_width - 8),
        "axis_end": fmt(label_width + bar_width),
        "axis_y": fmt(y + 4),
        "scale_y": fmt(y + 20),
        "maximum": format_value(maximum),
        "rows": rows,
    }


@cache
def tile_grid():
    """The tile positions of data/tile_grid.yaml, checked against the 18 regions of the reference."""
    data = yaml.safe_load(TILE_GRID_FILE.read_text(encoding="utf-8"))
    regions = dict(reference.choices("regions"))
    tiles = [{**tile, "overseas": False} for tile in data["metropole"]] + [
        {**tile, "row": data["overseas_row"], "overseas": True} for tile in data["overseas"]
    ]
    codes = [str(tile["code"]) for tile in tiles]
    if sorted(codes) != sorted(regions) or len(set(codes)) != len(codes):
        raise ValueError(f"{TILE_GRID_FILE} : il faut une tuile et une seule par région de la référence.")
    places = [(tile["column"], tile["row"]) for tile in tiles]
    if len(set(places)) != len(places):
        raise ValueError(f"{TILE_GRID_FILE} : deux régions occupent la même case.")
    for tile in tiles:
        tile["code"] = str(tile["code"])
        tile["name"] = regions[tile["code"]]
    return {"columns": data["columns"], "rows": data["rows"], "tiles": tiles}


def tile_map(cells_by_region, *, unit, size=66, gap=6, margin=8):
    """The tile-grid map: cells_by_region {region code: cell as ReleaseTable.present gives it}.

    Each tile is shaded in one of five classes of equal width between the smallest and the
    largest shown value, with its value written on it; a hidden tile is hatched and says « s »;
    a region without a row in the table is pale and says « — ».
    """
    grid = tile_grid()
    values = [c["value"] for c in cells_by_region.values() if c and c["shown"] and c["value"] is not None]
    low, high = min(values, default=0), max(values, default=0)
    step = (high - low) / len(SHADES) if high > low else 0

    def shade(value):
        if not step:
            return len(SHADES) - 2
        return min(int((value - low) / step), len(SHADES) - 1)

    overseas_gap = 26  # room for the « Outre-mer » heading above the last row
    tiles = []
    for tile in grid["tiles"]:
        cell = cells_by_region.get(tile["code"])
        x = margin + tile["column"] * (size + gap)
        y = margin + tile["row"] * (size + gap) + (overseas_gap if tile["overseas"] else 0)
        if cell is None or (cell["shown"] and cell["value"] is None):
            fill, ink, text, state = NO_DATA_FILL, "#1f2a30", "—", "pas de données"
        elif not cell["shown"]:
            fill, ink, text, state = HIDDEN_FILL, "#1f2a30", "s", "masqué : " + cell["explanation"]
        else:
            level = shade(cell["value"])
            fill = SHADES[level]
            ink = "#ffffff" if level >= 3 else "#1f2a30"
            text = format_value(cell["value"])
            state = f"{text} {unit}".strip()
        tiles.append(
            {
                **tile,
                "x": fmt(x),
                "y": fmt(y),
                "size": fmt(size),
                "center_x": fmt(x + size / 2),
                "short_y": fmt(y + 22),
                "backing_x": fmt(x + size / 2 - 17),
                "backing_y": fmt(y + 8),
                "value_y": fmt(y + 48),
                "fill": fill,
                "ink": ink,
                "text": text,
                "title": f"{tile['name']} : {state}",
                "hidden": fill == HIDDEN_FILL,
            }
        )
    width = margin * 2 + grid["columns"] * (size + gap) - gap
    top_of_overseas = margin + (grid["rows"] - 1) * (size + gap)
    legend_y = top_of_overseas + overseas_gap + size + 24
    if step:
        legend = [
            {"x": fmt(margin + n * 44), "fill": colour, "from": format_value(low + n * step)}
            for n, colour in enumerate(SHADES)
        ]
    else:  # one value shown (or all alike): one class, not five saying the same
        legend = [{"x": fmt(margin), "fill": SHADES[shade(low)], "from": format_value(low)}]
    return {
        "width": width,
        "height": fmt(legend_y + 58),
        "tiles": tiles,
        "overseas_label_y": fmt(top_of_overseas + overseas_gap - 8),
        "margin": fmt(margin),
        "legend_y": fmt(legend_y),
        "legend_text_y": fmt(legend_y + 30),
        "hidden_text_y": fmt(legend_y + 12),
        "legend_second_y": fmt(legend_y + 50),
        "legend": legend if values else [],
        "low": format_value(low),
        "high": format_value(high),
        "range": (
            f"De {format_value(low)} à {format_value(high)}"
            if high > low
            else f"Une seule valeur : {format_value(low)}"
        ),
        "hidden_x": fmt(margin + len(SHADES) * 44 + 10),
        "hidden_text_x": fmt(margin + len(SHADES) * 44 + 36),
        "unit": unit,
    }
