"""The pipeline's CSV writer writes what pandas' to_csv writes, byte for byte, fast where it can and through pandas
where it cannot."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ddn_pipeline.files import csv_text, write_csv


def pandas_bytes(frame):
    return frame.to_csv(index=False).encode("utf-8")


@pytest.mark.parametrize("text_dtype", ["str", "string", object])
def test_numbers_flags_and_text_are_written_as_pandas_writes_them(tmp_path, text_dtype):
    frame = pd.DataFrame(
        {
            "name": pd.Series(["Bristol, City of", 'say "hi"', "", None, "Ynys Môn", " spaced "], dtype=text_dtype),
            "share": [0.1, np.nan, -0.0, np.inf, 1e16, 1.2345678901234567e-05],
            "count": np.arange(6, dtype=np.int64) - 2,
            "ddn": [True, False, True, True, False, False],
            "a, quoted name": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    assert csv_text(frame) is not None  # written from its columns, not through pandas
    write_csv(frame, tmp_path / "table.csv")
    assert (tmp_path / "table.csv").read_bytes() == pandas_bytes(frame)
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]  # no temporary file left


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"only": [np.nan, 1.5]}),  # a row of one empty field is quoted
        pd.DataFrame({"text": ["two\nlines", "x"], "n": [1.0, 2.0]}),
        pd.DataFrame({"arrow": pd.array([1.0, None], dtype=pd.ArrowDtype(pa.float64())), "n": [1.0, 2.0]}),
        pd.DataFrame({"nullable": pd.array([1, None], dtype="Int64"), "n": [1.0, 2.0]}),
        pd.DataFrame({"when": pd.to_datetime(["2024-01-01", "2024-02-01"]), "n": [1.0, 2.0]}),
        pd.DataFrame({"mixed": ["a", 2], "n": [1.0, 2.0]}),
        pd.DataFrame({"small": np.array([1.5, 2.5], dtype=np.float32), "n": [1.0, 2.0]}),
    ],
)
def test_other_tables_go_through_pandas(tmp_path, frame):
    assert csv_text(frame) is None
    write_csv(frame, tmp_path / "table.csv")
    assert (tmp_path / "table.csv").read_bytes() == pandas_bytes(frame)


def test_random_tables_are_written_as_pandas_writes_them():
    rng = np.random.default_rng(1)
    characters = list("ab ,\"';é\t")
    for _ in range(200):
        rows = int(rng.integers(0, 6))
        frame = pd.DataFrame(
            {
                "text": [
                    "".join(rng.choice(characters, int(rng.integers(0, 5)))) if rng.random() > 0.2 else None
                    for _ in range(rows)
                ],
                "value": np.where(
                    rng.random(rows) > 0.2, rng.standard_normal(rows) * 10.0 ** rng.integers(-8, 20), np.nan
                ),
                "count": rng.integers(-5, 5, rows),
            }
        )
        for dtype in ("str", "string", object):
            typed = frame.astype({"text": dtype})
            assert csv_text(typed) == typed.to_csv(index=False)
