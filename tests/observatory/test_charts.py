"""The tile-grid map of the regions (reperes.observatory.charts.tile_map): its classes and legend."""

from reperes.observatory.charts import SHADES, tile_map


def cell(value, shown=True):
    return {"value": value, "shown": shown, "explanation": "" if shown else "trop peu de structures"}


def test_five_classes_between_the_smallest_and_the_largest_value():
    drawn = tile_map({"53": cell(1.0), "52": cell(3.5), "11": cell(None, shown=False)}, unit="sur 5")
    assert [step["from"] for step in drawn["legend"]] == ["1", "1,5", "2", "2,5", "3"]
    assert drawn["range"] == "De 1 à 3,5"
    tiles = {tile["code"]: tile for tile in drawn["tiles"]}
    assert tiles["53"]["fill"] == SHADES[0] and tiles["52"]["fill"] == SHADES[-1]
    assert tiles["11"]["text"] == "s" and tiles["75"]["text"] == "—"


def test_a_single_value_has_one_class_not_five_alike():
    drawn = tile_map({"52": cell(1.8), "53": cell(None, shown=False)}, unit="sur 5")
    assert [step["from"] for step in drawn["legend"]] == ["1,8"]
    assert drawn["range"] == "Une seule valeur : 1,8"


def test_no_value_shown_has_no_legend():
    assert tile_map({"53": cell(None, shown=False)}, unit="")["legend"] == []
