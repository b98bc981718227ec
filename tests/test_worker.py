"""The preloaded worker runs a script as a fresh interpreter would: output, exit status, environment, folder, and
the project's modules as they are on disk; a cancelled job's child is killed."""

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, with_sigint

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


def test_a_job_has_its_clients_sigint_whatever_the_servers(tmp_path, worker_env):
    """A job handles SIGINT as `python SCRIPT` run by its client would: ignored where the client ignores it (started
    in the background by a shell), a KeyboardInterrupt otherwise, whichever client started the server."""
    (tmp_path / "disposition.py").write_text(
        "import signal\nprint(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)\n", encoding="utf-8"
    )
    (tmp_path / "nothing.py").write_text("", encoding="utf-8")
    worker_env["DDN_WORKER_IDLE_SECONDS"] = "10"
    for number, server_start in enumerate(("ignore", "default")):
        runtime = tmp_path / f"r{number}"  # short: a Unix socket's path has at most 107 bytes
        runtime.mkdir()
        env = {**worker_env, "XDG_RUNTIME_DIR": str(runtime)}
        started = run(
            with_sigint(server_start, [sys.executable, "-m", "ddn_pipeline.worker", "nothing.py"]), env, tmp_path
        )
        assert started.returncode == 0 and list(runtime.glob("ddn-worker-*.sock")), started.stderr
        for client in ("ignore", "default"):
            fresh = run(with_sigint(client, [sys.executable, "disposition.py"]), env, tmp_path)
            worker = run(
                with_sigint(client, [sys.executable, "-m", "ddn_pipeline.worker", "disposition.py"]), env, tmp_path
            )
            assert worker.stdout == fresh.stdout == f"{client == 'ignore'}\n", (server_start, client)


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
        # as in a terminal, even where the tests run in the background
        with_sigint("default", [sys.executable, "-m", "ddn_pipeline.worker", str(script)]),
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


# what bash itself sets for the command it runs: a job run without a shell (in the worker) does not have them
BASH_OWN_VARIABLES = {"_", "PWD", "OLDPWD", "SHLVL"}


def snakemake_workflow(tmp_path, rules):
    snakefile = tmp_path / "Snakefile"
    snakefile.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "src")!r})
            if config.get("worker"):
                from ddn_pipeline import worker
                if not workflow.output_settings.dryrun and worker.available():  # as the Snakefile does
                    worker.start_server_now()
                worker.use_for_jobs(True, namespace=globals())
            """
        )
        + textwrap.dedent(rules),
        encoding="utf-8",
    )
    return snakefile


def snakemake_command(snakefile, workdir, worker, *targets):
    command = [sys.executable, "-m", "snakemake", "-s", str(snakefile), "--directory", str(workdir), "--cores", "1"]
    return command + list(targets) + (["--config", "worker=1"] if worker else [])


def test_snakemake_script_jobs_run_through_the_worker(tmp_path, worker_env):
    """A `script:` rule's job goes through the worker when the worker is on, and writes the same bytes; it sees the
    environment (thread count and temporary folder included), import path, folder and umask that Snakemake's own
    command gives it, its benchmark file measures the job's own process, and a failing job fails the run."""
    (tmp_path / "job.py").write_text(
        textwrap.dedent(
            """
            import json, os, sys
            import pandas as pd
            pd.DataFrame({'rule': [snakemake.rule], 'value': [snakemake.params.value]}).to_csv(snakemake.output.table, index=False)
            import time
            ballast = bytearray(300 * 2**20)  # written, so resident, and held past the benchmark's first samples
            ballast[:: 4096] = b"x" * len(ballast[:: 4096])
            time.sleep(1.5)
            mask = os.umask(0)
            seen = {"env": dict(os.environ), "path": sys.path, "cwd": os.getcwd(), "umask": mask}
            open(snakemake.output.seen, "w").write(json.dumps(seen))
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "fails.py").write_text("import sys\nsys.exit('the job says no')\n", encoding="utf-8")
    snakefile = snakemake_workflow(
        tmp_path,
        """
        rule table:
            output: table="table.csv", seen="seen.json"
            params: value=7
            threads: 1
            resources: tmpdir="job-tmp"
            benchmark: "benchmark.tsv"
            script: "job.py"

        rule fails:
            output: "never.txt"
            script: "fails.py"
        """,
    )
    # the server up before the runs: a job's command that starts the server has it among its children, and so in
    # its benchmark
    worker_env["DDN_WORKER_IDLE_SECONDS"] = "10"
    (tmp_path / "nothing.py").write_text("", encoding="utf-8")
    assert run([sys.executable, "-m", "ddn_pipeline.worker", "nothing.py"], worker_env, tmp_path).returncode == 0
    outputs, seen = {}, {}
    for worker in (True, False):
        workdir = tmp_path / f"worker-{worker}"
        result = run(snakemake_command(snakefile, workdir, worker, "table"), worker_env, tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs[worker] = (workdir / "table.csv").read_bytes()
        assert (workdir / ".snakemake" / "ddn-worker" / "usage.tsv").exists() == worker
        seen[worker] = json.loads((workdir / "seen.json").read_text())
        assert seen[worker].pop("cwd") == str(workdir)
        benchmark = dict(zip(*(line.split("\t") for line in (workdir / "benchmark.tsv").read_text().splitlines())))
        assert float(benchmark["max_rss"]) > 300, benchmark  # the job's process, not a client's
        assert float(benchmark["cpu_time"]) > 0, benchmark
        failed = run(snakemake_command(snakefile, workdir, worker, "fails"), worker_env, tmp_path)
        assert failed.returncode != 0
        assert "the job says no" in failed.stderr
        assert not (workdir / "never.txt").exists()
    assert outputs[True] == outputs[False] == b"rule,value\ntable,7\n"
    for worker in (True, False):
        seen[worker]["env"] = {k: v for k, v in seen[worker]["env"].items() if k not in BASH_OWN_VARIABLES}
        # the work folder, and the runtime cache folder Snakemake's script preamble adds, differ between the runs;
        # `import snakemake` appends a folder for pip packages of remote jobs, which the server's own earlier import
        # did in the server, not in the job
        seen[worker]["path"] = [
            re.sub(r"worker-\w+|/tmp\w{8}/", "*", entry)
            for entry in seen[worker]["path"]
            if entry != ".snakemake/pip-deployments"
        ]
    assert seen[True] == seen[False]
    assert seen[True]["env"]["OMP_NUM_THREADS"] == "1" and seen[True]["env"]["TMPDIR"] == "job-tmp"


def test_snakemake_shell_commands_naming_the_worker_skip_the_shell(tmp_path, worker_env):
    """A rule's shell command `python -m ddn_pipeline.worker ARGS` (the retrieve rules') goes to the server from
    Snakemake's process, without a shell (bash sets `_` to the command it runs) or a client, its benchmark the job's usage as the
    server measured it, and fails the run when its job fails. A command with shell syntax, or without the worker, and every
    command with the worker off, runs in a shell, braces and all."""
    (tmp_path / "shell_job.py").write_text(
        textwrap.dedent(
            """
            import json, os, sys
            if sys.argv[1] == "fail":
                sys.exit("the job says no")
            json.dump({"argv": sys.argv[1:], "command": os.environ.get("_")}, open(sys.argv[1], "w"))
            """
        ),
        encoding="utf-8",
    )
    snakefile = snakemake_workflow(
        tmp_path,
        """
        rule direct:
            output: "direct out.json"
            benchmark: "direct.tsv"
            shell: "python -m ddn_pipeline.worker -m shell_job {output:q}"

        rule piped:
            output: "piped.json"
            shell: "python -m ddn_pipeline.worker -m shell_job {output:q} | cat"

        rule braces:
            output: "braces.txt"
            shell: "printf '%s' '{{a}}' > {output:q}"

        rule fails:
            output: "never.json"
            shell: "python -m ddn_pipeline.worker -m shell_job fail"
        """,
    )
    # `python` in a job's command is this interpreter, as export_job_environment makes it in the pipeline
    env = {
        **worker_env,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(tmp_path)]),
        "_": "Snakemake's",
    }
    for worker in (True, False):
        workdir = tmp_path / f"worker-{worker}"
        targets = ["direct out.json", "piped.json", "braces.txt"]
        result = run(snakemake_command(snakefile, workdir, worker, *targets), env, tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
        direct = json.loads((workdir / "direct out.json").read_text())
        assert direct["argv"] == ["direct out.json"]
        assert (direct["command"] == "Snakemake's") == worker, direct
        assert json.loads((workdir / "piped.json").read_text())["command"] != "Snakemake's"
        assert (workdir / "braces.txt").read_text() == "{a}"
        benchmark = dict(zip(*(line.split("\t") for line in (workdir / "direct.tsv").read_text().splitlines())))
        # the kernel's account of the server's child, which has no virtual memory size, or Snakemake's samples
        assert (benchmark["max_vms"] == "NA") == worker, benchmark
        failed = run(snakemake_command(snakefile, workdir, worker, "never.json"), env, tmp_path)
        assert failed.returncode != 0
        assert "the job says no" in failed.stderr
        assert not (workdir / "never.json").exists()


def test_ddn_worker_0_and_a_dry_run_start_no_server(tmp_path, worker_env):
    """DDN_WORKER=0 runs Snakemake's script jobs in fresh interpreters, as it does the client's; a dry run starts no
    server ahead of its jobs (it has none to run), while a run does."""
    (tmp_path / "job.py").write_text("open(snakemake.output[0], 'w').write('done')\n", encoding="utf-8")
    snakefile = snakemake_workflow(tmp_path, 'rule done:\n    output: "done.txt"\n    script: "job.py"\n')
    sockets = tmp_path / "run"
    dry = run(snakemake_command(snakefile, tmp_path / "dry", True, "-n"), worker_env, tmp_path)
    assert dry.returncode == 0, dry.stderr[-2000:]
    time.sleep(1)
    assert not list(sockets.glob("ddn-worker-*.sock"))
    workdir = tmp_path / "off"
    off = run(snakemake_command(snakefile, workdir, True), {**worker_env, "DDN_WORKER": "0"}, tmp_path)
    assert off.returncode == 0, off.stderr[-2000:]
    assert (workdir / "done.txt").read_text() == "done"
    assert not (workdir / ".snakemake" / "ddn-worker" / "usage.tsv").exists()
    assert not list(sockets.glob("ddn-worker-*.sock"))
    on = run(snakemake_command(snakefile, tmp_path / "on", True), worker_env, tmp_path)
    assert on.returncode == 0, on.stderr[-2000:]
    assert list(sockets.glob("ddn-worker-*.sock"))


def test_an_interrupt_to_snakemake_reaches_its_jobs_in_the_worker(tmp_path, worker_env):
    """Ctrl-C reaches a job's shell command through the terminal's process group; a job run in the worker is not
    in that group, so Snakemake's process passes the interrupt on: the job stops, and so does the run."""
    (tmp_path / "waiter.py").write_text(
        textwrap.dedent(
            """
            import time
            open("started", "w").close()
            try:
                time.sleep(60)
            except KeyboardInterrupt:
                open("interrupted", "w").close()
                raise
            """
        ),
        encoding="utf-8",
    )
    snakefile = snakemake_workflow(tmp_path, 'rule wait:\n    output: "never.txt"\n    script: "waiter.py"\n')
    workdir = tmp_path / "work"
    snakemake = subprocess.Popen(
        with_sigint("default", snakemake_command(snakefile, workdir, True)),  # as in a terminal, even in the background
        env=worker_env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_until(lambda: (workdir / "started").exists(), seconds=60), "the job did not start"
    snakemake.send_signal(signal.SIGINT)  # to Snakemake's process alone, not to a process group
    snakemake.wait(timeout=30)
    assert (workdir / "interrupted").exists()
    assert snakemake.returncode != 0
    assert not (workdir / "never.txt").exists()


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
