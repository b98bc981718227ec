"""The R data reader: tables written by pyreadr, truncation, and the real sf boundaries against rdata."""

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import MIRROR

from ddn_pipeline.boundaries import BoundaryError, read_sf_rda
from ddn_pipeline.rda import RdaError, read_rda


def test_reads_a_data_frame(tmp_path):
    pyreadr = pytest.importorskip("pyreadr")
    path = tmp_path / "t.rda"
    pyreadr.write_rdata(
        str(path), pd.DataFrame({"code": ["E01000001", "E01000002"], "value": [1.5, -2.0]}), df_name="table"
    )
    frame = read_rda(path)["table"]
    columns = dict(zip(frame.attr("names").value, frame.value))
    assert columns["code"].value == ["E01000001", "E01000002"]
    assert np.array_equal(columns["value"].value, [1.5, -2.0])


def test_truncated_file(tmp_path):
    pyreadr = pytest.importorskip("pyreadr")
    path = tmp_path / "t.rda"
    pyreadr.write_rdata(str(path), pd.DataFrame({"value": np.arange(1000.0)}), df_name="table", compress=None)
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(RdaError, match="truncated or damaged"):
        read_rda(path)


def test_truncated_compressed_file(tmp_path):
    pyreadr = pytest.importorskip("pyreadr")
    path = tmp_path / "t.rda"
    pyreadr.write_rdata(str(path), pd.DataFrame({"value": np.arange(1000.0)}), df_name="table", compress="gzip")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(RdaError, match="truncated or damaged compressed R data"):
        read_rda(path)


def test_not_an_r_file(tmp_path):
    path = tmp_path / "t.rda"
    path.write_bytes(b"<html>not found</html>")
    with pytest.raises(RdaError, match="not an R data file"):
        read_rda(path)


def test_table_without_geometry_is_not_an_sf_object(tmp_path):
    pyreadr = pytest.importorskip("pyreadr")
    path = tmp_path / "t.rda"
    pyreadr.write_rdata(str(path), pd.DataFrame({"lsoa11_code": ["E01000001"]}), df_name="table")
    with pytest.raises(BoundaryError, match="no column 'geometry'"):
        read_sf_rda(path, "lsoa11_code")


@pytest.mark.integration
def test_sf_boundaries_agree_with_rdata():
    rdata = pytest.importorskip("rdata")
    path = MIRROR / "raw/boundaries/boundaries_ltla19.rda"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = rdata.read_rda(str(path))["boundaries_ltla19"]
    ours = read_sf_rda(path, "ltla19_code")
    assert ours["ltla19_code"].tolist() == list(reference["ltla19_code"])
    for index in (0, 100, 381):
        rings = [np.asarray(ring) for polygon in reference["geometry"].iloc[index] for ring in polygon]
        ours_rings = [np.asarray(r.coords) for p in ours.geometry.iloc[index].geoms for r in (p.exterior, *p.interiors)]
        assert len(rings) == len(ours_rings)
        assert all(np.array_equal(a, b) for a, b in zip(rings, ours_rings))
