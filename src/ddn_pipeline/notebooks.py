"""An executed audit notebook as its inputs alone decide it, before it is written and exported (rules
execute_notebook_*): the same inputs give the same .ipynb and .html bytes, whatever the timing of the run."""


def made_deterministic(notebook, input_name=None):
    """notebook (an executed nbformat notebook), changed in place and returned: papermill's injected cell keeps one
    id (papermill gives it a random one), each cell's printed text comes as one output per stream
    (joined_streams), and the input notebook is named as input_name (papermill records its absolute path, a
    machine's folder layout)."""
    papermill = notebook.get("metadata", {}).get("papermill")
    if input_name is not None and papermill is not None and "input_path" in papermill:
        papermill["input_path"] = input_name
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.get("outputs"):
            cell["outputs"] = joined_streams(cell["outputs"])
    return notebook


def joined_streams(outputs):
    """outputs with each run of consecutive stream outputs of one name (stdout, stderr) joined into the first. The
    kernel sends what a cell prints in pieces, cut wherever its flush timer fires: the same print() calls came out
    as one block in one run and as two in another, when the machine was busier. Before a display, the kernel sends
    what was printed, so joining runs never moves text past a table or a figure."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = _text(previous["text"]) + _text(output["text"])
        else:
            joined.append(output)
    return joined


def _text(text):
    return "".join(text) if isinstance(text, list) else text  # nbformat may keep a stream's text as lines
