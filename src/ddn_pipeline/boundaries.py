"""Boundaries from R `sf` objects (.rda) and ward 2017 shapes dissolved from LSOA 2011."""

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.rda import read_rda

log = logging.getLogger(__name__)

BRITISH_NATIONAL_GRID = 27700
# a coverage's union has the area of its parts, up to rounding (1e-15 relative on England's wards)
COVERAGE_AREA_TOLERANCE = 1e-9


class BoundaryError(PipelineError):
    pass


def _ring(matrix):
    """An sf ring: a column-major n x 2 matrix of coordinates."""
    return matrix.value.reshape(2, -1).T


def _multipolygons(items):
    """sf (MULTI)POLYGONs as shapely MultiPolygons, built in one call from their rings (shapely's ragged arrays):
    a Polygon object per part would cost seconds for England's LSOAs."""
    rings, ring_ends, polygon_ends, geometry_ends = [], [0], [0], [0]
    for sfg in items:
        polygons = [sfg] if "POLYGON" in sfg.attr("class").value else sfg.value  # MULTIPOLYGON: a list of polygons
        for polygon in polygons:
            for ring in polygon.value:
                rings.append(_ring(ring))
                ring_ends.append(ring_ends[-1] + len(rings[-1]))
            polygon_ends.append(len(rings))
        geometry_ends.append(len(polygon_ends) - 1)
    offsets = tuple(np.asarray(ends, dtype=np.int64) for ends in (ring_ends, polygon_ends, geometry_ends))
    coordinates = np.ascontiguousarray(np.concatenate(rings), dtype=float)
    return shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coordinates, offsets)


def read_sf_rda(path, code_column):
    """The first object of an .rda holding an sf data frame of (MULTI)POLYGONs in EPSG:4326, as a GeoDataFrame."""
    try:
        frame = next(iter(read_rda(path).values()))
        columns = dict(zip(frame.attr("names").value, frame.value))
        codes = columns[code_column].value
        geometries = _multipolygons(columns["geometry"].value)
    except KeyError as error:
        raise BoundaryError(
            f"{path}: no column {error} in the sf object; expected {code_column} and geometry"
        ) from None
    except (AttributeError, TypeError, ValueError, IndexError) as error:
        raise BoundaryError(f"{path}: not an sf object of polygons ({type(error).__name__}: {error})") from None
    return gpd.GeoDataFrame({code_column: codes}, geometry=geometries, crs=4326)


def union_by_code(codes, geometries):
    """(codes in order, the union of each code's geometries): the shapes GeoDataFrame.dissolve gives; see
    coverage_union for how they are unioned."""
    shapes = pd.Series(list(geometries), dtype=object)
    unions = shapes.groupby(codes.reset_index(drop=True), sort=True).agg(lambda part: coverage_union(part.to_numpy()))
    return unions.index.to_series().reset_index(drop=True), unions.to_numpy()


def coverage_union(shapes):
    """The union of shapes. LSOAs tile England without overlaps, neighbours sharing their edges vertex for vertex:
    a coverage, which GEOS unions by dropping the shared edges, four times as fast as a general union, to the same
    shape (the same vertices, a ring perhaps starting at another one). Shapes that are not a coverage (overlapping,
    or an edge meeting part of another) make it fail or give an invalid shape, or one whose area is not the sum of
    theirs: those get the general union."""
    try:
        union = shapely.coverage_union_all(shapes)
    except shapely.errors.GEOSException:
        return shapely.union_all(shapes)
    area = shapely.area(shapes).sum()
    if union.is_valid and abs(union.area - area) <= COVERAGE_AREA_TOLERANCE * area:
        return union
    return shapely.union_all(shapes)


def dissolve_wards(lsoas, lookup):
    """Ward 2017 shapes: LSOA 2011 polygons dissolved by the best-fit lookup, one (multi)polygon per ward."""
    joined = lsoas.merge(lookup[["lsoa11_code", "ward17_code"]], on="lsoa11_code", how="inner", validate="one_to_one")
    missing = len(lookup) - len(joined)
    if missing:
        raise BoundaryError(f"{missing} LSOAs of the ward lookup have no boundary; expected all {len(lookup):,}")
    joined = joined.to_crs(BRITISH_NATIONAL_GRID)
    codes, shapes = union_by_code(joined["ward17_code"], joined.geometry.to_numpy())
    wards = gpd.GeoDataFrame({"ward17_code": codes}, geometry=shapely.make_valid(shapes), crs=joined.crs)
    log.info("dissolved %d LSOAs into %d wards", len(joined), len(wards))
    return wards
