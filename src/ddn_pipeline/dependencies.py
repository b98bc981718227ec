"""Which library modules a script uses, so that its rule is out of date when one of them changes.

Snakemake tracks a rule's script but not the modules the script imports; the workflow lists these as inputs.
"""

import ast
import functools
import os
import sys
from pathlib import Path

PACKAGE = "ddn_pipeline"


def _imported_names(tree):
    """Modules of the package named by the import statements of a parsed file, at any depth (lazy imports too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(f"{PACKAGE}."):
                    yield alias.name.split(".")[1]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == PACKAGE:
                yield from (alias.name for alias in node.names)
            elif node.module.startswith(f"{PACKAGE}."):
                yield node.module.split(".")[1]


@functools.cache
def _file_imports(path):
    """The package modules one file names in its imports. Cached: a workflow asks for the same modules' imports
    once per rule, and the files do not change while it is read."""
    return tuple(_imported_names(ast.parse(path.read_text(encoding="utf-8"))))


def imported_modules(source, package_dir):
    """The package's module files that source imports, directly or through other modules of the package, sorted."""
    package_dir = Path(package_dir)
    found = set()
    pending = [Path(source)]
    while pending:
        for name in _file_imports(pending.pop()):
            module = package_dir / f"{name}.py"
            if module.is_file() and module not in found:
                found.add(module)
                pending.append(module)
    return sorted(found)


def export_job_environment(library):
    """Jobs this process starts import the library from this folder, and `python` in their commands is this
    process's interpreter (a conda environment of --sdm conda puts its own first when it activates)."""
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(library), os.environ.get("PYTHONPATH")]))
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
