"""The audit notebooks execute on a tiny fixture (papermill, parameters injected)."""

import json

import pandas as pd
import pytest
from conftest import ROOT
from PIL import Image

papermill = pytest.importorskip("papermill")


def tiny_png(path):
    """A figure as the pipeline writes it: the PNG and its caption beside it."""
    Image.new("RGB", (4, 4), "white").save(path)
    path.with_suffix(".caption.md").write_text("A white square.\n", encoding="utf-8")
    return str(path)


def run(notebook, tmp_path, parameters):
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    cells = json.loads(output.read_text())["cells"]
    errors = [
        o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []
    return cells


def test_classification_notebook(tmp_path):
    files = {
        "rank_check": pd.DataFrame({"metric": ["largest_rank_difference"], "value": [3]}),
        "groups": pd.DataFrame(
            {
                "ward17_code": ["W1", "W2"],
                "imd_rank": [1.0, 2.0],
                "cni_rank": [1.0, 2.0],
                "published_ddn": [True, False],
                "reproduced_ddn": [True, True],
            }
        ),
        "reproduction": pd.DataFrame({"ward17_code": ["W1", "W2"], "agreement": ["both", "reproduced_only"]}),
        "sensitivity": pd.DataFrame({"population": ["p"], "on_both": [1]}),
        "summary": pd.DataFrame({"breakdown": ["group", "ddn_by_region"], "group": ["ddn", "ddn"], "wards": [1, 1]}),
    }
    parameters = {}
    for name, frame in files.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        parameters[name] = str(tmp_path / f"{name}.csv")
    parameters["figure"] = tiny_png(tmp_path / "f.png")
    cells = run("classification.ipynb", tmp_path, parameters)
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in cells)


def test_benchmark_notebook(tmp_path):
    comparison = pd.DataFrame(
        {
            "id": ["population"],
            "statistic": ["People"],
            "ddn": [2.3e6],
            "other_deprived": [5e6],
            "rest_of_england": [4e7],
            "england": [5e7],
            "published_claims": ["ddn = 2.3e6"],
            "difference": [0.0],
            "verdict": ["matches"],
            "definition": ["population"],
            "note": ["ok"],
            "source_url": ["https://example.org"],
        }
    )
    readable = pd.DataFrame(
        {
            "statistic": ["People living in DDNs"],
            "published": ["DDNs: 2,300,000"],
            "ours_ddn": ["2,334,856"],
            "ours_other_deprived": ["5,833,124"],
            "ours_england": ["54,728,204"],
            "verdict": ["Matches"],
            "detail": [""],
            "definition": ["people living in the group's wards"],
            "source": ["https://example.org"],
        }
    )
    parameters = {}
    for name, frame in {
        "comparison": comparison,
        "readable": readable,
        "sensitivity": comparison,
        "dictionary": pd.DataFrame({"indicator": ["population"]}),
        "not_computed": pd.DataFrame({"indicator": ["gva"], "reason": ["offline"]}),
        "coverage": pd.DataFrame({"bridge": ["b"], "share": [1.0]}),
    }.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        parameters[name] = str(tmp_path / f"{name}.csv")
    parameters["figure"] = tiny_png(tmp_path / "f.png")
    cells = run("benchmark.ipynb", tmp_path, parameters)
    shown = json.dumps([c.get("outputs", []) for c in cells])
    assert "People living in DDNs" in shown and "2,334,856" in shown and "our definition:** nan" not in shown


def test_printed_text_comes_as_one_output_whatever_the_kernels_flush_timing(tmp_path):
    """A cell that prints, waits past the kernel's flush interval and prints again gets its text in two stream
    outputs, where a quicker run gets one; joined, both runs give the same outputs, and text never moves past a
    display."""
    import nbformat

    from ddn_pipeline.notebooks import joined_streams, made_deterministic

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import time\nprint('a')\ntime.sleep(0.5)\nprint('b')\ndisplay('table')\nprint('c')")
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "in.ipynb")
    papermill.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), progress_bar=False)
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    outputs = executed.cells[-1].outputs
    assert [o["output_type"] for o in outputs] == ["stream", "stream", "display_data", "stream"]  # the premise
    made_deterministic(executed)
    assert [(o["output_type"], o.get("text")) for o in executed.cells[-1].outputs] == [
        ("stream", "a\nb\n"),
        ("display_data", None),
        ("stream", "c\n"),
    ]
    stdout, stderr, lines = (
        nbformat.v4.new_output("stream", name=n, text=t)
        for n, t in [("stdout", "x"), ("stderr", "y"), ("stdout", ["z\n", "w"])]
    )
    assert [o["text"] for o in joined_streams([stdout, stderr, lines])] == ["x", "y", ["z\n", "w"]]
    assert joined_streams([nbformat.v4.new_output("stream", name="stdout", text="x"), lines])[0]["text"] == "xz\nw"
