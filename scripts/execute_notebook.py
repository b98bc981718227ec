"""Execute an audit notebook with papermill (input paths as parameters) and export it to self-contained HTML
(rules execute_notebook_*)."""

import logging
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from ddn_pipeline.files import write_bytes_atomic
from ddn_pipeline.logs import run
from ddn_pipeline.notebooks import made_deterministic

log = logging.getLogger("execute_notebook")


def main(smk):
    notebooks = Path(smk.scriptdir).parent / "notebooks"
    notebook = notebooks / smk.params.notebook
    # paths as the work folder sees them (results/...), and the notebook run from there: readable, and the same
    # wherever the folder lies
    parameters = {name: str(smk.input[name]) for name in smk.params.parameters}
    executed = papermill.execute_notebook(
        str(notebook),
        smk.output.notebook,
        parameters=parameters,
        kernel_name="python3",
        cwd=str(Path.cwd()),
        progress_bar=False,
        # written once at the end (or at a failing cell), not after every cell: nobody watches this one run
        request_save_on_cell_execute=False,
        # the kernel's own start-up and shutdown chatter (its transport, the interrupt it gets as it is shut down)
        # is not the notebook's business; a failing cell still stops the run through papermill
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    made_deterministic(executed, input_name=f"notebooks/{notebook.name}")
    text = nbformat.writes(executed)
    write_bytes_atomic((text if text.endswith("\n") else text + "\n").encode("utf-8"), smk.output.notebook)
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(notebooks)], template_file="offline.html.j2")
    body, _ = exporter.from_notebook_node(executed)
    write_bytes_atomic(body.encode("utf-8"), smk.output.html)
    log.info("executed %s with %s", notebook.name, parameters)


run(main, globals().get("snakemake"))
