"""Which library modules a script uses: direct, transitive, lazy and `from package import module` imports."""

from ddn_pipeline.dependencies import imported_modules


def test_imports_are_followed_through_the_package(tmp_path):
    package = tmp_path / "ddn_pipeline"
    package.mkdir()
    (package / "a.py").write_text("from ddn_pipeline.b import thing\n")
    (package / "b.py").write_text("def thing():\n    import ddn_pipeline.c\n")
    (package / "c.py").write_text("import pandas\n")
    (package / "unused.py").write_text("")
    (package / "d.py").write_text("")
    script = tmp_path / "script.py"
    script.write_text("import os\nfrom ddn_pipeline.a import x\nfrom ddn_pipeline import d\nfrom . import unused\n")
    assert [p.name for p in imported_modules(script, package)] == ["a.py", "b.py", "c.py", "d.py"]


def test_a_script_of_the_project_depends_on_what_it_imports():
    from conftest import ROOT

    modules = {
        p.name for p in imported_modules(ROOT / "scripts" / "classify_ddn_ward17.py", ROOT / "src" / "ddn_pipeline")
    }
    assert {"classify.py", "logs.py", "errors.py", "files.py"} <= modules
    assert "retrieve.py" not in modules and "figures.py" not in modules
