"""The pipeline's CSV writer: pandas' to_csv, written atomically."""

import numpy as np
import pandas as pd

from ddn_pipeline.files import write_csv


def test_a_table_is_written_as_pandas_writes_it_and_no_temporary_file_is_left(tmp_path):
    frame = pd.DataFrame(
        {
            "name": pd.Series(["Bristol, City of", 'say "hi"', "", None, "Ynys Môn", " spaced "], dtype="string"),
            "share": [0.1, np.nan, -0.0, np.inf, 1e16, 1.2345678901234567e-05],
            "count": np.arange(6, dtype=np.int64) - 2,
            "ddn": [True, False, True, True, False, False],
        }
    )
    write_csv(frame, tmp_path / "table.csv")
    assert (tmp_path / "table.csv").read_bytes() == frame.to_csv(index=False).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
