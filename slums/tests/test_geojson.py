import json

import pytest
from django.core.exceptions import ValidationError

from slums.geojson import parse_outline

RING = [
    [111.578, -7.618],
    [111.582, -7.618],
    [111.582, -7.622],
    [111.578, -7.622],
    [111.578, -7.618],
]
POLYGON = {"type": "Polygon", "coordinates": [RING]}


def text(data):
    return json.dumps(data)


def test_polygon_is_accepted():
    assert parse_outline(text(POLYGON)) == POLYGON


def test_multipolygon_is_accepted():
    multi = {"type": "MultiPolygon", "coordinates": [[RING], [RING]]}
    assert parse_outline(text(multi))["type"] == "MultiPolygon"


def test_feature_and_single_feature_collection_give_their_geometry():
    feature = {"type": "Feature", "properties": {}, "geometry": POLYGON}
    assert parse_outline(text(feature)) == POLYGON
    collection = {"type": "FeatureCollection", "features": [feature]}
    assert parse_outline(text(collection)) == POLYGON


def test_empty_outline_is_none():
    assert parse_outline("  ") is None


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("{not json", "not valid JSON"),
        (text([1, 2]), "GeoJSON object"),
        (text({"type": "Point", "coordinates": [111.5, -7.6]}), "Polygon or a MultiPolygon"),
        (text({"type": "Polygon", "coordinates": [RING[:-1]]}), "closed"),
        (text({"type": "Polygon", "coordinates": [[RING[0], RING[1], RING[0]]]}), "4 positions"),
        (text({"type": "Polygon", "coordinates": [[[-7.618, 111.578]] * 4]}), "outside Indonesia"),
        (text({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}), "outside"),
        (text({"type": "Polygon", "coordinates": [[["a", "b"]] * 4]}), "longitude, latitude"),
        (text({"type": "Polygon", "coordinates": []}), "no coordinates"),
        (text({"type": "FeatureCollection", "features": []}), "exactly one"),
    ],
)
def test_bad_outlines_get_a_clear_message(data, fragment):
    with pytest.raises(ValidationError) as error:
        parse_outline(data)
    assert fragment in " ".join(error.value.messages)


def test_outline_larger_than_2_mb_is_refused():
    huge = json.dumps({**POLYGON, "padding": "x" * (2 * 1024 * 1024)})
    with pytest.raises(ValidationError, match="2 MB"):
        parse_outline(huge)
