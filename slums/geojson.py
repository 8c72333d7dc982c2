"""Validation of slum area outlines (GeoJSON Polygon / MultiPolygon inside Indonesia)."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_OUTLINE_BYTES = 2 * 1024 * 1024
# Indonesia's bounding box, with a small margin: lon 94.0–141.1, lat −11.1–6.3.
MIN_LON, MAX_LON, MIN_LAT, MAX_LAT = 94.0, 141.1, -11.1, 6.3


def parse_outline(text: str) -> dict | None:
    """The outline's geometry from pasted or uploaded GeoJSON text; None when empty.

    Accepts a Polygon or MultiPolygon geometry, or a Feature / FeatureCollection holding
    exactly one of them (what drawing tools export). Raises ValidationError naming what
    is wrong."""
    if text is None or not str(text).strip():
        return None
    if len(text.encode("utf-8")) > MAX_OUTLINE_BYTES:
        raise ValidationError(_("The outline is larger than 2 MB."))
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            _("The outline is not valid JSON: %(error)s") % {"error": error}
        ) from None
    return validate_geometry(_unwrap(data))


def _unwrap(data):
    if not isinstance(data, dict):
        raise ValidationError(_("The outline must be a GeoJSON object."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ValidationError(_("The outline must hold exactly one feature."))
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict):
        raise ValidationError(_("The outline has no geometry."))
    return data


def validate_geometry(geometry: dict) -> dict:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) and coordinates else None
    else:
        raise ValidationError(_("The outline must be a Polygon or a MultiPolygon."))
    if not polygons:
        raise ValidationError(_("The outline has no coordinates."))
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("The outline has no coordinates."))
        for ring in polygon:
            _check_ring(ring)
    return {"type": kind, "coordinates": coordinates}


def _check_ring(ring):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of the outline needs at least 4 positions."))
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position)
        ):
            raise ValidationError(_("Each position must be [longitude, latitude]."))
        lon, lat = position[0], position[1]
        if not (MIN_LON <= lon <= MAX_LON and MIN_LAT <= lat <= MAX_LAT):
            raise ValidationError(
                _("The position [%(lon)s, %(lat)s] lies outside Indonesia (lon, lat order?).")
                % {"lon": lon, "lat": lat}
            )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("Each ring must be closed: its last position must equal its first.")
        )
