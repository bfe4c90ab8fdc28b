"""The map of Thüringen's districts, drawn on the server as inline SVG.

The outlines are projected once per process (functools.cache) and turned into SVG path data; a
request only combines them with the partner counts of one aggregate query.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from koss.core.collation import german_sort_key

from .models import PlanningRegion, Region

GEOJSON = Path(__file__).parent / "data" / "thueringen-kreise.geojson"
SOURCE_NOTE = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
SOURCE_URL = "https://www.bkg.bund.de"

MAP_WIDTH = 600
PADDING = 6

# Shading steps by the partners working in a district: (lowest count, CSS class, legend label).
SHADES = [
    (0, "shade-0", _("keine Partner")),
    (1, "shade-1", _("1 Partner")),
    (2, "shade-2", _("2 bis 3 Partner")),
    (4, "shade-3", _("4 bis 6 Partner")),
    (7, "shade-4", _("7 und mehr Partner")),
]

PLANNING_REGION_FROM_GEOJSON = {label: value for value, label in PlanningRegion.choices}


@dataclass(frozen=True)
class DistrictShape:
    ags: str
    name: str
    planning_region: str
    path: str
    label_x: int
    label_y: int


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    districts: tuple  # of DistrictShape, in GeoJSON order


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@cache
def map_geometry():
    """Project the outlines (equirectangular, scaled for Thüringen's latitude) into SVG paths."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    points = [
        point for feature in features for ring in _rings(feature["geometry"]) for point in ring
    ]
    min_lon = min(lon for lon, _lat in points)
    max_lon = max(lon for lon, _lat in points)
    min_lat = min(lat for _lon, lat in points)
    max_lat = max(lat for _lon, lat in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = (MAP_WIDTH - 2 * PADDING) / ((max_lon - min_lon) * x_scale)
    height = round((max_lat - min_lat) * scale) + 2 * PADDING

    def project(lon, lat):
        return (
            round((lon - min_lon) * x_scale * scale) + PADDING,
            round((max_lat - lat) * scale) + PADDING,
        )

    districts = []
    for feature in features:
        properties = feature["properties"]
        commands, largest = [], []
        for ring in _rings(feature["geometry"]):
            projected = [project(lon, lat) for lon, lat in ring]
            # Relative moves keep the markup small; consecutive duplicates are dropped.
            steps = [f"M{projected[0][0]} {projected[0][1]}"]
            for (x0, y0), (x1, y1) in pairwise(projected):
                if (x1, y1) != (x0, y0):
                    steps.append(f"l{x1 - x0} {y1 - y0}")
            commands.append("".join(steps) + "z")
            if len(projected) > len(largest):
                largest = projected
        label_x = round(sum(x for x, _y in largest) / len(largest))
        label_y = round(sum(y for _x, y in largest) / len(largest))
        districts.append(
            DistrictShape(
                ags=properties["ags"],
                name=properties["name"],
                planning_region=PLANNING_REGION_FROM_GEOJSON[properties["planning_region"]],
                path="".join(commands),
                label_x=label_x,
                label_y=label_y,
            )
        )
    return MapGeometry(width=MAP_WIDTH, height=height, districts=tuple(districts))


def shade_for(count):
    return next(css for lowest, css, _label in reversed(SHADES) if count >= lowest)


@dataclass
class MapDistrict:
    shape: DistrictShape
    region: Region  # annotated with_partner_counts()

    @property
    def based(self):
        return self.region.based

    @property
    def active(self):
        return self.region.active

    @property
    def shade(self):
        return shade_for(self.region.active)


def partner_map(current_region=None):
    """The districts with the published partners based and working there, grouped by planning
    region, and the statewide and nationwide ones.

    Costs one query whatever the number of partners: the regions with their counts.
    """
    regions = list(Region.objects.in_display_order().with_partner_counts())
    by_ags = {region.ags: region for region in regions if region.ags}
    geometry = map_geometry()
    groups = []
    for value, label in PlanningRegion.choices:
        districts = [
            MapDistrict(shape=shape, region=by_ags[shape.ags])
            for shape in geometry.districts
            if shape.planning_region == value and shape.ags in by_ags
        ]
        districts.sort(key=lambda district: german_sort_key(district.region.name))
        groups.append(
            {
                "value": value,
                "label": label,
                "districts": districts,
                "total": sum(district.based for district in districts),
            }
        )
    beyond = [
        {"region": region, "count": region.based} for region in regions if not region.is_district
    ]
    statewide = next(
        (item["count"] for item in beyond if item["region"].kind == Region.Kind.STATEWIDE), 0
    )
    return {
        "geometry": geometry,
        "groups": groups,
        "beyond": beyond,
        "statewide": statewide,
        "current": current_region,
        "shades": SHADES,
        "source_note": SOURCE_NOTE,
        "source_url": SOURCE_URL,
    }
