"""Boundaries from R `sf` objects (.rda, read with rdata's parser) and ward 2017 shapes dissolved from LSOA 2011."""

import logging

import geopandas as gpd
import numpy as np
import shapely

from ddn_pipeline.errors import PipelineError

log = logging.getLogger(__name__)

BRITISH_NATIONAL_GRID = 27700


class BoundaryError(PipelineError):
    pass


def _deref(node):
    from rdata.parser import RObjectType

    return node.referenced_object if node is not None and node.info.type == RObjectType.REF else node


def _attributes(node):
    """An R pairlist of attributes as {name: value}."""
    from rdata.parser import RObjectType

    out = {}
    while node is not None and node.info.type == RObjectType.LIST:
        tag = _deref(node.tag)
        if tag is not None and tag.info.type == RObjectType.SYM:
            out[tag.value.value.decode()] = node.value[0]
        node = node.value[1] if len(node.value) > 1 else None
    return out


def _strings(vector):
    return [None if item.value is None else item.value.decode() for item in vector.value]


def _ring(vector):
    """An sf ring: a column-major n x 2 matrix of coordinates."""
    values = vector.value
    half = len(values) // 2
    return np.column_stack([values[:half], values[half:]])


def _geometry(sfg):
    from rdata.parser import RObjectType

    polygons = [sfg] if sfg.value[0].info.type == RObjectType.REAL else sfg.value
    return shapely.MultiPolygon([shapely.Polygon(_ring(p.value[0]), [_ring(h) for h in p.value[1:]]) for p in polygons])


def read_sf_rda(path, code_column):
    """The first object of an .rda holding an sf data frame of (MULTI)POLYGONs in EPSG:4326, as a GeoDataFrame."""
    import rdata

    try:
        frame = rdata.parser.parse_file(path).object.value[0]
        names = _strings(_attributes(frame.attributes)["names"])
        columns = dict(zip(names, frame.value))
        codes = _strings(columns[code_column])
        geometries = [_geometry(item) for item in columns["geometry"].value]
    except KeyError as error:
        raise BoundaryError(
            f"{path}: no column {error} in the sf object; expected {code_column} and geometry"
        ) from None
    except Exception as error:  # noqa: BLE001 - any parser failure means an unreadable file
        raise BoundaryError(f"{path}: cannot be read as an R sf object ({type(error).__name__}: {error})") from None
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
