"""Which library modules a script uses, so that its rule is out of date when one of them changes.

Snakemake tracks a rule's script but not the modules the script imports; the workflow lists these as inputs.
"""

import functools
import os
import re
import sys
from pathlib import Path

PACKAGE = "ddn_pipeline"


# Import statements of the package, at any indentation (lazy imports too). Read as text, not parsed: the workflow
# asks for every script's modules each time it is read, and a line that only looks like an import (in a docstring)
# can only add a dependency, never hide one.
_FROM = re.compile(rf"^[ \t]*from[ \t]+{PACKAGE}(?:\.(\w+))?[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#]*)", re.MULTILINE)


def _imported_names(text):
    """Modules of the package named by the import statements of a file's text."""
    for module, names in _FROM.findall(text):
        if module:
            yield module
        else:
            yield from (name.split()[0] for name in names.strip("()").replace("\n", " ").split(",") if name.strip())
    for names in _IMPORT.findall(text):
        yield from re.findall(rf"\b{PACKAGE}\.(\w+)", names)


@functools.cache
def _file_imports(path):
    """The package modules one file names in its imports. Cached: a workflow asks for the same modules' imports
    once per rule, and the files do not change while it is read."""
    return tuple(_imported_names(path.read_text(encoding="utf-8")))


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
