"""Boundaries from R `sf` objects (.rda) and ward 2017 shapes dissolved from LSOA 2011."""

import logging

import geopandas as gpd
import shapely

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.rda import read_rda

log = logging.getLogger(__name__)

BRITISH_NATIONAL_GRID = 27700


class BoundaryError(PipelineError):
    pass


def _ring(matrix):
    """An sf ring: a column-major n x 2 matrix of coordinates."""
    return matrix.value.reshape(2, -1).T


def _geometry(sfg):
    classes = sfg.attr("class").value
    polygons = [sfg] if "POLYGON" in classes else sfg.value  # MULTIPOLYGON: a list of polygons
    return shapely.MultiPolygon([shapely.Polygon(_ring(p.value[0]), [_ring(h) for h in p.value[1:]]) for p in polygons])


def read_sf_rda(path, code_column):
    """The first object of an .rda holding an sf data frame of (MULTI)POLYGONs in EPSG:4326, as a GeoDataFrame."""
    try:
        frame = next(iter(read_rda(path).values()))
        columns = dict(zip(frame.attr("names").value, frame.value))
        codes = columns[code_column].value
        geometries = [_geometry(item) for item in columns["geometry"].value]
    except KeyError as error:
        raise BoundaryError(
            f"{path}: no column {error} in the sf object; expected {code_column} and geometry"
        ) from None
    except (AttributeError, TypeError, ValueError, IndexError) as error:
        raise BoundaryError(f"{path}: not an sf object of polygons ({type(error).__name__}: {error})") from None
    return gpd.GeoDataFrame({code_column: codes}, geometry=geometries, crs=4326)


def dissolve_wards(lsoas, lookup):
    """Ward 2017 shapes: LSOA 2011 polygons dissolved by the best-fit lookup, one (multi)polygon per ward."""
    joined = lsoas.merge(lookup[["lsoa11_code", "ward17_code"]], on="lsoa11_code", how="inner", validate="one_to_one")
    missing = len(lookup) - len(joined)
    if missing:
        raise BoundaryError(f"{missing} LSOAs of the ward lookup have no boundary; expected all {len(lookup):,}")
    wards = joined.to_crs(BRITISH_NATIONAL_GRID).dissolve("ward17_code", as_index=False)[["ward17_code", "geometry"]]
    wards["geometry"] = shapely.make_valid(wards.geometry.values)
    log.info("dissolved %d LSOAs into %d wards", len(joined), len(wards))
    return wards
