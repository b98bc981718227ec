"""The preloaded worker runs a script as a fresh interpreter would: output, exit status, environment, folder, and
the project's modules as they are on disk; a cancelled job's child is killed."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = """
import os, sys
print("out", sys.argv[1:], os.getcwd(), os.environ.get("DDN_TEST_VALUE"), __name__)
print("err", "ddn_pipeline" in sys.modules, file=sys.stderr)
if sys.argv[1] == "message":
    sys.exit("stopped with a message")
if sys.argv[1] == "raise":
    raise ValueError("a fault")
sys.exit(int(sys.argv[1]))
"""


@pytest.fixture
def worker_env(tmp_path):
    """Each test its own server (socket under tmp_path), which stops two idle seconds after its last job."""
    runtime = tmp_path / "run"
    runtime.mkdir()
    yield {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "DDN_WORKER_IDLE_SECONDS": "2",
        "PYTHONPATH": str(ROOT / "src"),
        "DDN_TEST_VALUE": "from-the-client",
    }


def run(command, env, cwd):
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, check=False)


@pytest.mark.parametrize("argument", ["0", "3", "message", "raise"])
def test_a_script_runs_as_in_a_fresh_interpreter(tmp_path, worker_env, argument):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    fresh = run([sys.executable, str(script), argument], worker_env, tmp_path)
    through_worker = run([sys.executable, "-m", "ddn_pipeline.worker", str(script), argument], worker_env, tmp_path)
    assert through_worker.returncode == fresh.returncode
    assert through_worker.stdout == fresh.stdout
    assert f"out ['{argument}'] {tmp_path} from-the-client __main__" in through_worker.stdout
    # the server's own import of the package is forgotten: the script imports the project's code from disk
    assert through_worker.stderr.splitlines()[0] == "err False"
    if argument == "raise":
        assert "ValueError: a fault" in through_worker.stderr and "Traceback" in through_worker.stderr
    else:
        assert through_worker.stderr == fresh.stderr
    assert list((tmp_path / "run").glob("ddn-worker-*.sock")), "the job did not go through a server"
    usage = (tmp_path / ".snakemake" / "ddn-worker" / "usage.tsv").read_text().splitlines()
    assert usage[0] == "script\twall_s\tcpu_s\tmax_rss_mb" and usage[1].startswith("script.py\t")


def test_a_module_runs_as_with_python_dash_m(tmp_path, worker_env):
    """`-m MODULE` (the retrieve rules' command): argv, sys.path[0], __name__ and exit status as `python -m` gives."""
    (tmp_path / "job_module.py").write_text(
        "import sys\nprint(sys.argv, sys.path[0], __name__)\nsys.exit(int(sys.argv[1]))\n", encoding="utf-8"
    )
    fresh = run([sys.executable, "-m", "job_module", "5", "b"], worker_env, tmp_path)
    through_worker = run(
        [sys.executable, "-m", "ddn_pipeline.worker", "-m", "job_module", "5", "b"], worker_env, tmp_path
    )
    assert through_worker.returncode == fresh.returncode == 5
    assert through_worker.stdout == fresh.stdout
    assert f"'5', 'b'] {tmp_path} __main__" in through_worker.stdout
    usage = (tmp_path / ".snakemake" / "ddn-worker" / "usage.tsv").read_text().splitlines()
    assert usage[1].startswith("job_module\t")


def test_a_job_leaves_the_servers_objects_out_of_its_garbage_collections(tmp_path, worker_env):
    """A full collection in a job would write to every object the server holds, copying their shared pages."""
    script = tmp_path / "job.py"
    script.write_text("import gc\nprint(gc.get_freeze_count())\n", encoding="utf-8")
    through_worker = run([sys.executable, "-m", "ddn_pipeline.worker", str(script)], worker_env, tmp_path)
    assert through_worker.returncode == 0
    assert int(through_worker.stdout) > 0  # a fresh interpreter has none frozen


def test_without_the_worker_no_server_starts(tmp_path, worker_env):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    result = run(
        [sys.executable, "-m", "ddn_pipeline.worker", str(script), "4"], {**worker_env, "DDN_WORKER": "0"}, tmp_path
    )
    assert result.returncode == 4 and "from-the-client" in result.stdout
    assert not list((tmp_path / "run").glob("ddn-worker-*.sock"))


def test_a_cancelled_job_is_killed_and_an_idle_server_stops(tmp_path, worker_env):
    script = tmp_path / "sleeper.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, sys, time
            open(sys.argv[1], "w").write(str(os.getpid()))
            time.sleep(60)
            """
        ),
        encoding="utf-8",
    )
    pid_file = tmp_path / "child.pid"
    client = subprocess.Popen(
        [sys.executable, "-m", "ddn_pipeline.worker", str(script), str(pid_file)], env=worker_env, cwd=tmp_path
    )
    deadline = time.monotonic() + 60
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    assert child != client.pid
    client.send_signal(signal.SIGTERM)
    client.wait(timeout=10)
    assert wait_until(lambda: not alive(child)), "the job's child outlived its cancelled client"
    assert wait_until(lambda: not list((tmp_path / "run").glob("ddn-worker-*.sock"))), "the idle server did not stop"


def test_an_interrupt_reaches_the_script(tmp_path, worker_env):
    """SIGINT to the client (Ctrl-C, or Jupyter interrupting a kernel) is a KeyboardInterrupt in the script."""
    script = tmp_path / "waiter.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            try:
                print("waiting", flush=True)
                time.sleep(60)
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                raise
            """
        ),
        encoding="utf-8",
    )
    client = subprocess.Popen(
        [sys.executable, "-m", "ddn_pipeline.worker", str(script)],
        env=worker_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert client.stdout.readline() == "waiting\n"
    client.send_signal(signal.SIGINT)
    out, err = client.communicate(timeout=30)
    assert out == "interrupted\n", err
    assert "KeyboardInterrupt" in err
    assert client.returncode == 128 + signal.SIGINT


def test_a_notebook_kernel_runs_in_the_worker(tmp_path, worker_env):
    """papermill with kernel_manager_class(): the kernel is a child of the worker's server, and the notebook runs."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import os\nprint(open(f'/proc/{os.getppid()}/cmdline').read().split(chr(0))[2:4], 6 * 7)"
        )
    ]
    nbformat.write(notebook, tmp_path / "in.ipynb")
    program = (
        "import papermill\n"
        "from ddn_pipeline.worker import kernel_manager_class\n"
        "papermill.execute_notebook('in.ipynb', 'out.ipynb', kernel_name='python3', progress_bar=False,\n"
        "                           kernel_manager_class=kernel_manager_class())\n"
    )
    result = run([sys.executable, "-c", program], worker_env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "['ddn_pipeline.worker', '--serve'] 42\n"


def test_snakemake_script_jobs_run_through_the_worker(tmp_path, worker_env):
    """A `script:` rule's job goes through the worker when the worker is on, and writes the same bytes."""
    (tmp_path / "job.py").write_text(
        "import pandas as pd\n"
        "pd.DataFrame({'rule': [snakemake.rule], 'value': [snakemake.params.value]}).to_csv(snakemake.output[0], index=False)\n",
        encoding="utf-8",
    )
    snakefile = tmp_path / "Snakefile"
    snakefile.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "src")!r})
            if config.get("worker"):
                from ddn_pipeline.worker import use_for_jobs
                use_for_jobs(True)

            rule table:
                output: "table.csv"
                params: value=7
                script: "job.py"
            """
        ),
        encoding="utf-8",
    )
    outputs = {}
    for worker in (True, False):
        workdir = tmp_path / f"worker-{worker}"
        result = subprocess.run(
            [sys.executable, "-m", "snakemake", "-s", str(snakefile), "--directory", str(workdir), "--cores", "1"]
            + (["--config", "worker=1"] if worker else []),
            capture_output=True,
            text=True,
            env=worker_env,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        outputs[worker] = (workdir / "table.csv").read_bytes()
        assert (workdir / ".snakemake" / "ddn-worker" / "usage.tsv").exists() == worker
    assert outputs[True] == outputs[False] == b"rule,value\ntable,7\n"


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def wait_until(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_jobs_ending_together_write_one_usage_header(tmp_path, monkeypatch):
    import multiprocessing

    from ddn_pipeline import worker

    monkeypatch.chdir(tmp_path)
    for _ in range(5):  # each round: a new file that many jobs, released together, write at once
        usage = tmp_path / ".snakemake" / "ddn-worker" / "usage.tsv"
        usage.unlink(missing_ok=True)
        start = multiprocessing.Barrier(16)
        jobs = [multiprocessing.Process(target=_record_after, args=(start, worker, i)) for i in range(16)]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join(timeout=30)
        lines = usage.read_text().splitlines()
        assert lines[0] == "script\twall_s\tcpu_s\tmax_rss_mb"
        assert sorted(lines[1:]) == sorted(f"job{i}.py\t1.00\t0.50\t1.0" for i in range(16))


def _record_after(start, worker, index):
    start.wait()
    worker.record_usage(f"job{index}.py", 1.0, 0.5, 1024)


def test_a_library_that_cannot_be_imported_does_not_stop_the_server():
    from ddn_pipeline import worker

    worker.preload("ddn_no_such_library")  # the server would stop here, failing the jobs it was running
    assert "ddn_no_such_library" not in sys.modules
    sys.modules.pop("colorsys", None)
    worker.preload("colorsys")
    assert "colorsys" in sys.modules


def test_a_job_imports_the_servers_compiled_code_only_while_the_file_is_unchanged(tmp_path):
    from importlib.machinery import SourceFileLoader

    from ddn_pipeline.worker import ProjectCode

    module = tmp_path / "module.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    project = ProjectCode(str(tmp_path))
    project.refresh()
    compile_from_file = SourceFileLoader.get_code
    try:
        project.use_for_imports()
        loader = SourceFileLoader("module", str(module))
        assert loader.get_code("module") is project.compiled[str(module)][2]
        module.write_text("VALUE = 2\n", encoding="utf-8")  # the same size: the modification time tells
        os.utime(module, ns=(time.time_ns(), time.time_ns() + 1_000_000))
        assert 2 in loader.get_code("module").co_consts
        project.refresh()
        assert loader.get_code("module") is project.compiled[str(module)][2]
        module.unlink()
        project.refresh()
        assert project.compiled == {}
    finally:
        SourceFileLoader.get_code = compile_from_file
