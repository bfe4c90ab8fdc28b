"""The partner directory as open data: CSV for spreadsheets (German Excel opens it as it is:
UTF-8 with a byte order mark, semicolons) and GeoJSON for GIS (RFC 7946).

Both are built from the directory's filtered queryset, so a download holds what the list shows.
"""

import csv
import io
import json
from functools import cache

from django.utils.translation import gettext as _

from koss.core.links import public_url

from .map import GEOJSON, SOURCE_NOTE, _rings

# A cell that starts like this is a formula to a spreadsheet; it is written as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@cache
def district_points():
    """A point inside each district (by AGS), as (longitude, latitude): the centroid of its
    largest outline, which lies inside every one of Thüringen's districts (tested)."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    points = {}
    for feature in features:
        ring = max(_rings(feature["geometry"]), key=len)
        points[feature["properties"]["ags"]] = _centroid(ring)
    return points


def _centroid(ring):
    area = x_sum = y_sum = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        x_sum += (x0 + x1) * cross
        y_sum += (y0 + y1) * cross
    return (round(x_sum / (3 * area), 5), round(y_sum / (3 * area), 5))


def position(partner):
    """(longitude, latitude, source) of a partner: its address's position, else its district's
    point, else None (statewide and nationwide partners without an address position)."""
    if partner.has_position:
        return float(partner.longitude), float(partner.latitude), "adresse"
    point = district_points().get(partner.region.ags) if partner.region.ags else None
    if point is None:
        return None
    return *point, "kreis"


def _columns():
    return [
        (_("Name"), lambda p: p.name),
        (_("Kurzname"), lambda p: p.short_name),
        (_("Art"), lambda p: p.get_kind_display()),
        (_("Ebene"), lambda p: p.get_level_display()),
        (_("Region"), lambda p: p.region.name),
        (_("Kreisschlüssel"), lambda p: p.region.ags or ""),
        (_("Themen"), lambda p: ", ".join(topic.name for topic in p.topics.all())),
        (_("Kurzbeschreibung"), lambda p: p.summary),
        (_("Straße und Hausnummer"), lambda p: p.street),
        (_("PLZ"), lambda p: p.postal_code),
        (_("Ort"), lambda p: p.city),
        (_("Telefon"), lambda p: p.phone),
        (_("E-Mail"), lambda p: p.email),
        (_("Website"), lambda p: p.website),
        (_("Seite im Partnernetzwerk"), lambda p: public_url(p.get_absolute_url())),
        (_("Breitengrad"), lambda p: _german_number(p.latitude)),
        (_("Längengrad"), lambda p: _german_number(p.longitude)),
    ]


def _german_number(value):
    return "" if value is None else str(value).replace(".", ",")


def _as_text(value):
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def partners_csv(partners):
    """The partners as CSV text for German spreadsheets, with a byte order mark."""
    columns = _columns()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading for heading, _value in columns])
    for partner in partners:
        writer.writerow([_as_text(value(partner)) for _heading, value in columns])
    return "\ufeff" + out.getvalue()


def partners_geojson(partners, licence):
    """The partners as a GeoJSON FeatureCollection; where a point stands for the district, its
    property `lage` says so, and the outlines' source is named."""
    features = []
    for partner in partners:
        point = position(partner)
        features.append(
            {
                "type": "Feature",
                "id": partner.slug,
                "geometry": None
                if point is None
                else {"type": "Point", "coordinates": [point[0], point[1]]},
                "properties": {
                    "name": partner.name,
                    "kurzname": partner.short_name,
                    "art": partner.get_kind_display(),
                    "ebene": partner.get_level_display(),
                    "region": partner.region.name,
                    "kreisschluessel": partner.region.ags or "",
                    "themen": [topic.name for topic in partner.topics.all()],
                    "kurzbeschreibung": partner.summary,
                    "strasse": partner.street,
                    "plz": partner.postal_code,
                    "ort": partner.city,
                    "telefon": partner.phone,
                    "email": partner.email,
                    "website": partner.website,
                    "url": public_url(partner.get_absolute_url()),
                    "lage": {"adresse": "Adresse", "kreis": "Mittelpunkt des Kreises"}.get(
                        point[2] if point else None, "unbekannt"
                    ),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        # Foreign members (RFC 7946, 6.1): what a GIS user has to name and may do.
        "lizenz": {"name": licence.name, "url": licence.url},
        "namensnennung": licence.attribution,
        "quelle_kreismittelpunkte": SOURCE_NOTE,
        "features": features,
    }
