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
    """Each test its own server (socket under tmp_path/run), which stops two idle seconds after its last job."""
    yield {
        **os.environ,
        "XDG_RUNTIME_DIR": str(short_folder(tmp_path, "run")),
        "DDN_WORKER_IDLE_SECONDS": "2",
        "PYTHONPATH": str(ROOT / "src"),
        "DDN_TEST_VALUE": "from-the-client",
    }


def short_folder(tmp_path, name):
    """A new folder tmp_path/name reached by a short path (a symlink in /tmp): a Unix socket's path has at most 107
    bytes, and pytest's folders are long."""
    import tempfile

    folder = tmp_path / name
    folder.mkdir()
    link = Path(tempfile.mkdtemp(prefix="w", dir="/tmp")) / "r"
    link.symlink_to(folder)
    return link


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
    assert list((Path(worker_env["XDG_RUNTIME_DIR"])).glob("ddn-worker/server-*.sock")), (
        "the job did not go through a server"
    )
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
    assert not list((Path(worker_env["XDG_RUNTIME_DIR"])).glob("ddn-worker/server-*.sock"))


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
    assert wait_until(lambda: not list((Path(worker_env["XDG_RUNTIME_DIR"])).glob("ddn-worker/server-*.sock"))), (
        "the idle server did not stop"
    )


def test_a_job_has_its_clients_sigint_whatever_the_servers(tmp_path, worker_env):
    """A job handles SIGINT as `python SCRIPT` run by its client would: ignored where the client ignores it (started
    in the background by a shell), a KeyboardInterrupt otherwise, whichever client started the server."""
    (tmp_path / "disposition.py").write_text(
        "import signal\nprint(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)\n", encoding="utf-8"
    )
    (tmp_path / "nothing.py").write_text("", encoding="utf-8")
    worker_env["DDN_WORKER_IDLE_SECONDS"] = "10"
    for number, server_start in enumerate(("ignore", "default")):
        runtime = short_folder(tmp_path, f"r{number}")
        env = {**worker_env, "XDG_RUNTIME_DIR": str(runtime)}
        started = run(
            with_sigint(server_start, [sys.executable, "-m", "ddn_pipeline.worker", "nothing.py"]), env, tmp_path
        )
        assert started.returncode == 0 and list(runtime.glob("ddn-worker/server-*.sock")), started.stderr
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


# what bash itself sets for the command it runs: a job run without a shell (in the worker) does not have them
BASH_OWN_VARIABLES = {"_", "PWD", "OLDPWD", "SHLVL"}


def snakemake_workflow(tmp_path, rules):
    snakefile = tmp_path / "Snakefile"
    snakefile.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "src")!r})
            from ddn_pipeline import worker
            onstart:  # as the pipeline's Snakefile does
                if config.get("worker"):
                    worker.use_for_jobs(workflow)
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


def test_ddn_worker_0_and_a_dry_run_start_no_server(tmp_path, worker_env):
    """DDN_WORKER=0 runs Snakemake's script jobs in fresh interpreters, as it does the client's; a dry run starts no
    server ahead of its jobs (it has none to run), while a run does."""
    (tmp_path / "job.py").write_text("open(snakemake.output[0], 'w').write('done')\n", encoding="utf-8")
    snakefile = snakemake_workflow(tmp_path, 'rule done:\n    output: "done.txt"\n    script: "job.py"\n')
    sockets = Path(worker_env["XDG_RUNTIME_DIR"])
    dry = run(snakemake_command(snakefile, tmp_path / "dry", True, "-n"), worker_env, tmp_path)
    assert dry.returncode == 0, dry.stderr[-2000:]
    time.sleep(1)
    assert not list(sockets.glob("ddn-worker/server-*.sock"))
    workdir = tmp_path / "off"
    off = run(snakemake_command(snakefile, workdir, True), {**worker_env, "DDN_WORKER": "0"}, tmp_path)
    assert off.returncode == 0, off.stderr[-2000:]
    assert (workdir / "done.txt").read_text() == "done"
    assert not (workdir / ".snakemake" / "ddn-worker" / "usage.tsv").exists()
    assert not list(sockets.glob("ddn-worker/server-*.sock"))
    on = run(snakemake_command(snakefile, tmp_path / "on", True), worker_env, tmp_path)
    assert on.returncode == 0, on.stderr[-2000:]
    assert list(sockets.glob("ddn-worker/server-*.sock"))


def test_an_interrupt_to_snakemake_reaches_its_jobs_in_the_worker(tmp_path, worker_env):
    """Ctrl-C reaches a job's shell command through the terminal's process group; a job run in the worker is not
    in that group, so Snakemake's process passes the interrupt on: the job stops, and so does the run."""
    (tmp_path / "waiter.py").write_text(
        textwrap.dedent(
            """
            import os, time
            open("started", "w").write(str(os.getpid()))
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
    # nothing the run started outlives it: the job's child is gone, and the idle server stops
    assert wait_until(lambda: not alive(int((workdir / "started").read_text())))
    sockets = Path(worker_env["XDG_RUNTIME_DIR"], "ddn-worker")
    assert wait_until(lambda: not list(sockets.glob("server-*.sock")) and not server_pids_under(sockets))


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


# ---- private to its user


def nobody():
    import pwd

    return pwd.getpwnam("nobody")


# an interpreter the user nobody may run (a virtual environment's may sit in root's home, closed to others); the
# programs it runs need only the standard library
NOBODY_PYTHON = "/usr/bin/python3"


def as_nobody():
    """subprocess options: the child runs as the user nobody (the tests run as root in CI)."""
    user = nobody()
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


needs_root = pytest.mark.skipif(os.getuid() != 0, reason="dropping to another user needs root (CI runs as root)")


@pytest.fixture
def reachable_env(worker_env):
    """worker_env with its runtime folder where another user may look (pytest's folders are closed to them)."""
    import shutil
    import tempfile

    runtime = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    runtime.chmod(0o755)
    yield {**worker_env, "XDG_RUNTIME_DIR": str(runtime)}
    shutil.rmtree(runtime, ignore_errors=True)


def started_server(worker_env, tmp_path, umask=0o022):
    """Run one job through the worker with umask; the socket its server listens on."""
    (tmp_path / "nothing.py").write_text("", encoding="utf-8")
    launcher = f"import os, sys; os.umask({umask}); os.execv(sys.argv[1], sys.argv[1:])"
    command = [sys.executable, "-c", launcher, sys.executable, "-m", "ddn_pipeline.worker", "nothing.py"]
    result = run(command, {**worker_env, "DDN_WORKER_IDLE_SECONDS": "30"}, tmp_path)
    assert result.returncode == 0, result.stderr
    sockets = list(Path(worker_env["XDG_RUNTIME_DIR"]).glob("ddn-worker/server-*.sock"))
    assert len(sockets) == 1, result.stderr
    return sockets[0]


def test_under_umask_0000_the_folder_is_0700_and_the_socket_0600(tmp_path, worker_env):
    import stat

    socket_file = started_server(worker_env, tmp_path, umask=0)
    assert stat.S_IMODE(socket_file.parent.lstat().st_mode) == 0o700
    assert stat.S_IMODE(socket_file.lstat().st_mode) == 0o600
    for other in socket_file.parent.iterdir():
        assert stat.S_IMODE(other.lstat().st_mode) & 0o077 == 0, other


@needs_root
def test_another_user_cannot_connect_even_under_umask_0000(tmp_path, reachable_env):
    socket_file = started_server(reachable_env, tmp_path, umask=0)
    probe = "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); print('connected')"
    other = subprocess.run(
        [NOBODY_PYTHON, "-c", probe, str(socket_file)], **as_nobody(), capture_output=True, text=True
    )
    assert other.returncode != 0 and "PermissionError" in other.stderr, other


@needs_root
def test_the_server_refuses_another_users_request_even_where_the_folder_is_open(tmp_path, reachable_env):
    """Both ends check the other's uid: with the folder and socket opened up by hand, a request from another user
    is closed unheard, and its script never runs."""
    socket_file = started_server(reachable_env, tmp_path)
    socket_file.parent.chmod(0o755)
    socket_file.chmod(0o666)
    marker = tmp_path / "ran"
    (tmp_path / "job.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    probe = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT / "src")!r})
        from ddn_pipeline import worker
        connection = __import__("socket").socket(__import__("socket").AF_UNIX)
        connection.connect({str(socket_file)!r})
        request = {{"argv": [{str(tmp_path / "job.py")!r}], "cwd": "/", "env": {{}}, "path": sys.path[1:],
                    "umask": 0o022, "sigint_ignored": False}}
        try:
            worker.run_job(connection, request, "job.py")
        except worker.WorkerLost:
            print("refused")
        """
    )
    other = subprocess.run(
        [NOBODY_PYTHON, "-c", probe], **as_nobody(), capture_output=True, text=True, cwd="/", check=False
    )
    assert other.stdout.strip() == "refused", other.stderr
    assert not marker.exists()


@needs_root
def test_a_socket_served_by_another_user_is_not_used(tmp_path, reachable_env):
    """A socket planted where the server's would be, by another user: the client sends it nothing (not its
    environment, not its streams) and runs the job itself."""
    worker_env = reachable_env
    shared = Path(worker_env["XDG_RUNTIME_DIR"], "shared")
    shared.mkdir()
    shared.chmod(0o777)
    from_client = shared / "seen"
    socket_file = started_server(worker_env, tmp_path)
    stop_server(socket_file)
    plant = textwrap.dedent(
        f"""
        import os, socket
        listener = socket.socket(socket.AF_UNIX)
        listener.bind("planted.sock")
        listener.listen(1)
        print("ready", flush=True)
        connection, _ = listener.accept()
        open({str(from_client)!r}, "wb").write(connection.recv(1 << 16))
        """
    )
    planter = subprocess.Popen(
        [NOBODY_PYTHON, "-c", plant], **as_nobody(), cwd=shared, stdout=subprocess.PIPE, text=True
    )
    try:
        assert planter.stdout.readline() == "ready\n"
        os.rename(shared / "planted.sock", socket_file)
        (tmp_path / "job.py").write_text("import os\nprint('ran in', os.getppid() != 1)\n", encoding="utf-8")
        result = run(
            [sys.executable, "-m", "ddn_pipeline.worker", "job.py"], {**worker_env, "DDN_SECRET": "s3cret"}, tmp_path
        )
    finally:
        planter.kill()
    assert result.returncode == 0 and result.stdout == "ran in True\n", result.stderr
    assert "served by user" in result.stderr
    assert not from_client.exists() or b"s3cret" not in from_client.read_bytes()


def stop_server(socket_file):
    for pid in server_pids(socket_file):
        os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not server_pids(socket_file))
    socket_file.unlink(missing_ok=True)


def server_pids_under(folder):
    sockets = {str(path).split(".sock")[0] + ".sock" for path in folder.glob("server-*.sock*")}
    return [pid for socket_file in sockets for pid in server_pids(Path(socket_file))]


def server_pids(socket_file):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                words = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--serve" in words and str(socket_file).encode() in words and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("kind", ["symlink", "open", "other_owner"])
def test_a_folder_that_is_not_private_is_refused(tmp_path, worker_env, kind):
    """The socket folder is refused if it is a symlink, open to others, or another user's: the job runs without the
    worker, and says why."""
    runtime = Path(worker_env["XDG_RUNTIME_DIR"])
    folder = runtime / "ddn-worker"
    if kind == "symlink":
        target = tmp_path / "elsewhere"
        target.mkdir(mode=0o700)
        folder.symlink_to(target)
    else:
        folder.mkdir(mode=0o700)
        if kind == "open":
            folder.chmod(0o777)
        elif os.getuid() == 0:
            os.chown(folder, nobody().pw_uid, -1)
        else:
            pytest.skip("another user's folder needs root to make (CI runs as root)")
    (tmp_path / "job.py").write_text("print('done')\n", encoding="utf-8")
    result = run([sys.executable, "-m", "ddn_pipeline.worker", "job.py"], worker_env, tmp_path)
    assert result.returncode == 0 and result.stdout == "done\n"
    assert "without the worker" in result.stderr and "not used" in result.stderr
    assert not list(folder.glob("server-*")) if kind != "symlink" else not list(target.iterdir())


def test_a_planted_symlink_for_the_lock_is_not_followed(tmp_path, worker_env):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    path = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ddn_pipeline import worker; import os; env = dict(os.environ); "
            "print(worker.socket_path(worker.fresh_import_path(env), env))",
        ],
        env=worker_env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    Path(f"{path}.lock").symlink_to(victim)
    (tmp_path / "job.py").write_text("print('done')\n", encoding="utf-8")
    result = run([sys.executable, "-m", "ddn_pipeline.worker", "job.py"], worker_env, tmp_path)
    assert result.returncode == 0 and result.stdout == "done\n"
    assert victim.read_text() == "keep me"
    assert not Path(path).exists()


def test_jobs_die_with_the_server_and_fail(tmp_path, worker_env):
    """Killing the server mid-job kills the job's child before it writes anything more, and the job fails."""
    script = tmp_path / "slow.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, sys, time
            open("child.pid", "w").write(str(os.getpid()))
            time.sleep(3)
            open("late-output.txt", "w").write("written after the server died")
            """
        ),
        encoding="utf-8",
    )
    client = subprocess.Popen(
        [sys.executable, "-m", "ddn_pipeline.worker", str(script)],
        env=worker_env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert wait_until(lambda: (tmp_path / "child.pid").exists() and (tmp_path / "child.pid").read_text())
    child = int((tmp_path / "child.pid").read_text())
    (socket_file,) = Path(worker_env["XDG_RUNTIME_DIR"]).glob("ddn-worker/server-*.sock")
    stop_server(socket_file)
    _, err = client.communicate(timeout=30)
    assert client.returncode != 0 and "the worker stopped" in err
    assert wait_until(lambda: not alive(child))
    time.sleep(3.5)
    assert not (tmp_path / "late-output.txt").exists()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2, 0.4])
def test_an_interrupt_at_any_moment_of_a_jobs_start_reaches_it(tmp_path, worker_env, delay):
    """Ctrl-C to the client however soon after its start: the job never completes its work, and the client exits
    as a Python interrupted by SIGINT does."""
    started_server(worker_env, tmp_path)
    (tmp_path / "work.py").write_text("import time\ntime.sleep(1.5)\nopen('finished', 'w').close()\n", encoding="utf-8")
    client = subprocess.Popen(
        with_sigint("default", [sys.executable, "-m", "ddn_pipeline.worker", "work.py"]),
        env=worker_env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    client.send_signal(signal.SIGINT)
    client.wait(timeout=30)
    time.sleep(2)
    assert not (tmp_path / "finished").exists()
    assert client.returncode in (128 + signal.SIGINT, -signal.SIGINT, 1)


@pytest.mark.parametrize(
    "variable, value, program",
    [
        ("PYTHONHASHSEED", "7", "print(hash('ddn'))"),
        ("PYTHONUTF8", "1", "import sys; print(sys.flags.utf8_mode)"),
        ("PYTHONWARNINGS", "error::UserWarning", "import sys; print(sys.warnoptions)"),
    ],
)
def test_a_job_has_its_own_interpreter_start_up_variables(tmp_path, worker_env, variable, value, program):
    """A job whose environment sets a start-up variable runs as a fresh interpreter with it would: in a server
    started with it, never one started without."""
    started_server(worker_env, tmp_path)  # a server without the variable is up
    (tmp_path / "job.py").write_text(program + "\n", encoding="utf-8")
    env = {**worker_env, variable: value}
    fresh = run([sys.executable, "job.py"], env, tmp_path)
    through_worker = run([sys.executable, "-m", "ddn_pipeline.worker", "job.py"], env, tmp_path)
    assert through_worker.stdout == fresh.stdout and through_worker.returncode == 0, through_worker.stderr
    assert len(list(Path(worker_env["XDG_RUNTIME_DIR"]).glob("ddn-worker/server-*.sock"))) == 2


def fake_workflow(executor="local", main=True, dryrun=False):
    from types import SimpleNamespace

    return SimpleNamespace(executor_plugin=SimpleNamespace(name=executor), is_main_process=main, dryrun=dryrun)


def test_the_worker_serves_only_snakemakes_local_executor(monkeypatch):
    from snakemake.script import PythonScript

    from ddn_pipeline import worker

    own = PythonScript.execute_script
    monkeypatch.setattr(worker, "start_server_now", lambda: None)
    for workflow in (fake_workflow("slurm"), fake_workflow(main=False), fake_workflow(dryrun=True)):
        assert worker.use_for_jobs(workflow) is False
        assert PythonScript.execute_script is own


def test_without_the_hook_the_run_warns_once_and_goes_on(monkeypatch, capsys):
    from snakemake.script import PythonScript

    from ddn_pipeline import worker

    monkeypatch.setattr(PythonScript, "execute_script", lambda self, path: None)  # another Snakemake's shape
    monkeypatch.setattr(worker, "_WARNED", [])
    assert worker.use_for_jobs(fake_workflow()) is False
    assert worker.use_for_jobs(fake_workflow()) is False
    assert capsys.readouterr().err.count("running without") == 1


def test_a_rule_with_more_than_one_thread_takes_snakemakes_own_path(tmp_path, worker_env):
    (tmp_path / "job.py").write_text(
        "import os\nopen(snakemake.output[0], 'w').write(os.environ['OPENBLAS_NUM_THREADS'])\n", encoding="utf-8"
    )
    snakefile = snakemake_workflow(
        tmp_path,
        """
        rule one:
            output: "one.txt"
            threads: 1
            script: "job.py"
        rule two:
            output: "two.txt"
            threads: 2
            script: "job.py"
        """,
    )
    workdir = tmp_path / "work"
    command = snakemake_command(snakefile, workdir, True, "one.txt", "two.txt")
    command[command.index("--cores") + 1] = "2"
    result = run(command, worker_env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (workdir / "two.txt").read_text() == "2"
    usage = (workdir / ".snakemake" / "ddn-worker" / "usage.tsv").read_text().splitlines()
    assert len(usage) == 2  # the header and the one-thread job: the two-thread job ran as Snakemake runs it


def test_a_job_ends_as_an_interpreter_does_its_threads_done_and_output_flushed(tmp_path, worker_env):
    """The child waits for the job's other threads (not daemons) and flushes its output before it exits; exit
    handlers the job registers with atexit are not run, as in a multiprocessing child (worker.finish_child)."""
    (tmp_path / "job.py").write_text(
        textwrap.dedent(
            """
            import atexit, sys, threading, time
            def late():
                time.sleep(0.5)
                open("thread-done", "w").close()
            threading.Thread(target=late).start()
            atexit.register(lambda: open("atexit-ran", "w").close())
            sys.stdout.write("no newline at the end")
            """
        ),
        encoding="utf-8",
    )
    started_server(worker_env, tmp_path)
    result = run([sys.executable, "-m", "ddn_pipeline.worker", "job.py"], worker_env, tmp_path)
    assert result.returncode == 0 and result.stdout == "no newline at the end", result.stderr
    assert (tmp_path / "thread-done").exists()
    assert not (tmp_path / "atexit-ran").exists()
