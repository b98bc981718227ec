"""Execute an audit notebook with papermill (input paths as parameters) and export it to HTML (rules execute_notebook_*)."""

import logging
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from ddn_pipeline.logs import run

log = logging.getLogger("execute_notebook")


def main(smk):
    (name,) = smk.params.notebook
    notebook = Path(smk.scriptdir).parent / "notebooks" / name
    parameters = {name: str(Path(smk.input[name]).resolve()) for name in smk.params.parameters}
    papermill.execute_notebook(
        str(notebook),
        smk.output.notebook,
        parameters=parameters,
        kernel_name="python3",
        cwd=str(Path(smk.output.notebook).parent),
        progress_bar=False,
    )
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(smk.output.notebook, as_version=4))
    Path(smk.output.html).write_text(body, encoding="utf-8")
    log.info("executed %s with %s", notebook, parameters)


run(main, globals().get("snakemake"))
