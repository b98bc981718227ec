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


def test_without_importing_blocks_a_library_in_its_call_and_thread_only(tmp_path, monkeypatch):
    import sys
    import threading

    from ddn_pipeline.dependencies import without_importing

    (tmp_path / "heavy_library.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "heavy_library", raising=False)
    seen_elsewhere = []

    def look():
        try:
            import heavy_library  # noqa: F401
        except ModuleNotFoundError:
            found = False
        else:
            found = True
        # meanwhile another thread imports it as usual
        other = threading.Thread(target=lambda: seen_elsewhere.append(__import__("heavy_library").VALUE))
        other.start()
        other.join()
        return found

    assert without_importing(look, ["heavy_library"])() is False
    assert seen_elsewhere == [1]
    assert without_importing(look, ["heavy_library"])() is True  # imported by then: not blocked
    assert without_importing(lambda: __import__("heavy_library").VALUE, ["heavy_library"])() == 1
    sys.modules.pop("heavy_library")
    assert look() is True  # outside a wrapped call nothing is blocked
