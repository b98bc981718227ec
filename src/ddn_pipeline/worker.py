"""A preloaded worker for the rules' Python scripts: pandas, matplotlib and geopandas are imported once per run
instead of once per job (each import costs a job about a second of start-up).

A job's command is `python -m ddn_pipeline.worker SCRIPT [ARGS]` (or `-m MODULE [ARGS]`), a small client. It hands
the script, its working folder, environment, umask and standard streams to a long-lived server over a Unix socket.
The server forks a child with those libraries already imported, and the child runs the script as `python SCRIPT`
(or `python -m MODULE`) would. The client waits and exits with the child's status; an interrupt (SIGINT) to the
client reaches the child, and if the client is killed (a cancelled job), the server kills the child.

The server holds no module of this project: a child forgets every ddn_pipeline module before it runs, so each job
runs the project's code as it is on disk. The server does keep the project's modules compiled, each with the
modification time and size of the file it was compiled from, and a child imports a module from that code only
while its file still has both (what a .pyc file would give, which PYTHONDONTWRITEBYTECODE leaves unwritten).

A `script:` job of the workflow skips the client, and so does a rule's shell command that names the worker (the
retrievals'): Snakemake's own process sends the request (use_for_jobs), and passes an interrupt on to the child.

The socket's name carries a digest of the interpreter, its import path (with each folder's modification time, which
changes when a package is installed) and this file, so a changed environment gets a new server. A server exits when
it has had no job for IDLE_SECONDS.

Without a server (DDN_WORKER=0, no Unix sockets, or the server cannot start) the client runs the script itself, as
before. DDN_WORKER_IDLE_SECONDS sets the idle time. Each job's CPU time and peak memory, measured by the server, are
appended to .snakemake/ddn-worker/usage.tsv in the job's working folder. The Snakemake benchmark file of a job sent
from Snakemake's process has them too; that of a job whose command starts the client sees only the client.
"""

# The client (the retrievals' and the notebook kernels' command) imports only built-in modules: `socket` and
# `signal` would cost it more than the rest of its work (their enum classes), so it uses their C cores, `_socket`
# and `_signal`; the server, started once, imports the full modules.
import _signal
import _socket
import gc
import marshal
import os
import struct
import sys
import time

PRELOAD = (  # in this order, between requests: the first jobs (retrievals) need only yaml
    "yaml",
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "matplotlib",
    "matplotlib.pyplot",
    "shapely",
    "geopandas",
    "snakemake.script",
    "snakemake.iocontainers",
    "snakemake.logging",
    "snakemake.shell",
    # what some jobs import on top (about 0.2-0.5 s each): parquet datasets (most jobs), R data (the rda cleans),
    # the notebooks' execution and conversion (the notebook and report jobs) and their kernels (0.16 s each)
    "pyarrow.dataset",
    "pyreadr",
    "nbformat",
    "nbconvert",
    "papermill",
    "ipykernel.kernelapp",
)
IDLE_SECONDS = float(os.environ.get("DDN_WORKER_IDLE_SECONDS", "20"))
START_TIMEOUT_SECONDS = 120
MODULE = "ddn_pipeline.worker"  # also when run as __main__ (python -m)
PACKAGE = MODULE.split(".")[0]
_HEADER = struct.Struct("!I")
_STARTED = struct.Struct("!i")  # the child's process id
_REPLY = struct.Struct("!idqqq")  # exit code, CPU seconds, peak RSS in KiB, 512-byte blocks read and written


class WorkerUnavailable(Exception):
    pass


def socket_path(import_path):
    """Where the server for this interpreter, import path (a fresh interpreter's sys.path[1:]) and worker code
    listens."""
    import hashlib

    key = hashlib.sha256()
    for part in (sys.executable, *import_path):
        key.update(part.encode())
        key.update(str(os.stat(part).st_mtime_ns if os.path.isdir(part) else "").encode())
    with open(__file__, "rb") as code:
        key.update(code.read())
    folder = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return os.path.join(folder, f"ddn-worker-{os.getuid()}-{key.hexdigest()[:16]}.sock")


def use_for_jobs(on, namespace=None):
    """On: run the `script:` jobs of this Snakemake process in the worker. Snakemake's job thread hands the script to
    the server itself, as the client would (no shell, no client interpreter), with the environment Snakemake gives a
    script's command (job_environment); its benchmark file holds the job's own use of CPU, memory and disk, as the
    kernel reports it when the job ends (fill_benchmark). A job run in a conda environment, container, environment
    module or shadow folder keeps Snakemake's own command.
    namespace: the Snakefile's globals, whose `shell` its rules' shell commands call: a command that names the worker
    (the retrieve rules') is sent likewise (shell_through_worker).
    Off: jobs whose command names the worker (the retrieve rules', the same either way, so that turning the worker
    off re-runs nothing) run their script or module themselves."""
    if not on:
        os.environ["DDN_WORKER"] = "0"
        return
    from snakemake.script import PythonScript

    snakemakes_own = PythonScript.execute_script
    if getattr(snakemakes_own, "through_worker", False):
        return
    # read while the Snakefile is read: later, jobs' threads may be creating files, and this process handles SIGINT
    inherited = inherited_state()
    if not inherited["sigint_ignored"]:  # ignored (a background run): its jobs ignore it too, as their commands would
        _forward_interrupts()

    def execute_script(self, fname, edit=False):
        if edit or self.conda_env or self.container_img or self.env_modules or self.shadow_dir or not available():
            return snakemakes_own(self, fname, edit)
        env = job_environment(os.environ, self.threads, self.resources)
        command = f"{sys.executable} -m {MODULE} {fname}"
        if not run_in_worker([fname], env, inherited, self.bench_record, command):
            return snakemakes_own(self, fname, edit)

    execute_script.through_worker = True
    PythonScript.execute_script = execute_script
    if namespace is not None and "shell" in namespace:
        namespace["shell"] = shell_through_worker(namespace["shell"], inherited)


def inherited_state():
    """What a command this process started now would inherit besides its environment: the umask (read by setting
    it, so while no other thread creates files) and whether SIGINT is ignored (read before this process sets its
    own handler)."""
    mask = os.umask(0)
    os.umask(mask)
    return {"umask": mask, "sigint_ignored": _signal.getsignal(_signal.SIGINT) == _signal.SIG_IGN}


def job_request(argv, env, import_path, inherited):
    """A job for the server: `SCRIPT [ARGS]` or `-m MODULE [ARGS]`, run in this folder with env, the import path a
    fresh `python` would have, and what it would inherit (inherited_state)."""
    return {"argv": argv, "cwd": os.getcwd(), "env": env, "path": import_path, **inherited}


def run_in_worker(argv, env, inherited, bench_record, command):
    """Run a job's `SCRIPT [ARGS]` or `-m MODULE [ARGS]` in the server from this process; fill its benchmark record
    and raise CalledProcessError (naming command) if it fails. False, having said why, if no server can be reached:
    the caller runs the job its own way."""
    import subprocess

    request = job_request(argv, env, fresh_import_path(env), inherited)
    script = module_of(argv) or argv[0]
    try:
        connection = connect(socket_path(request["path"]), env)
    except (OSError, WorkerUnavailable) as error:
        print(f"ddn-worker: running {script} without the worker ({error})", file=sys.stderr)
        return False
    running = []

    def started(pid):
        running.append(pid)
        _RUNNING.add(pid)

    try:
        usage = run_job(connection, request, started, script)
    finally:
        _RUNNING.difference_update(running)
    if bench_record is not None:
        fill_benchmark(bench_record, usage)
    if usage.code:
        raise subprocess.CalledProcessError(usage.code, command)
    return True


# what a rule function holds that Snakemake's shell() reads from its caller (snakemake/shell.py)
SHELL_CONTEXT = (
    "jobid",
    "is_shell",
    "conda_env",
    "conda_base_path",
    "container_img",
    "env_modules",
    "shadow_dir",
    "resources",
    "singularity_args",
    "threads",
    "runtime_paths",
    "is_python_script",
)


def shell_through_worker(snakemakes_shell, inherited):
    """Snakemake's shell(), except that a rule's command `python -m ddn_pipeline.worker ARGS` (the retrieve rules')
    goes to the server from this process, as a script job does (run_in_worker): no shell and no client interpreter,
    whose start-up was most of a retrieval's cost. Only a plain command line (no shell syntax, each argument quoted
    as Snakemake's :q quotes it) whose `python` is this interpreter goes so, and not in a conda environment,
    container, environment module or shadow folder; any other command runs as Snakemake runs it."""
    import inspect

    from snakemake.utils import format as snakemake_format

    class shell(snakemakes_shell):
        def __new__(cls, cmd, *args, bench_record=None, **kwargs):
            job = inspect.currentframe().f_back.f_locals  # the rule function's, as Snakemake's shell() reads them
            command = snakemake_format(cmd, *args, stepout=2, **kwargs)  # in the rule function's names
            env = job_environment(os.environ, job.get("threads", 1), job.get("resources") or {})
            env.update(kwargs.get("additional_envvars") or {})
            argv = _worker_arguments(command, job, kwargs, env)
            if argv is not None and run_in_worker(argv, env, inherited, bench_record, command):
                return None
            context = {name: job[name] for name in SHELL_CONTEXT if name in job}
            # formatted already: its braces escaped, Snakemake's formatting gives it back as it is
            escaped = command.replace("{", "{{").replace("}", "}}")
            return snakemakes_shell(escaped, bench_record=bench_record, **{**context, **kwargs})

    return shell


def _worker_arguments(command, job, kwargs, env):
    """The worker's arguments of a command `python -m ddn_pipeline.worker ARGS` that may skip the shell, or None."""
    import shlex
    import shutil

    if not available() or kwargs.get("iterable") or kwargs.get("read"):
        return None
    if any(job.get(name) for name in ("conda_env", "container_img", "env_modules", "shadow_dir")):
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if len(words) < 4 or words[1:3] != ["-m", MODULE] or shlex.join(words) != command.strip():
        return None  # another command, or shell syntax (pipes, redirections, variables, globs) a shell must read
    if shutil.which(words[0], path=env.get("PATH")) != sys.executable:
        return None
    return words[3:]


def fill_benchmark(record, usage):
    """A job's Snakemake benchmark record from what the kernel reported when the job's process ended (exact, where
    Snakemake samples a process every half second and misses jobs shorter than that). The kernel does not report
    virtual, unique or proportional memory: those columns say NA."""
    mib = 1024 * 1024
    record.running_time = usage.wall
    record.max_rss = usage.peak_kib / 1024
    record.max_vms = record.max_uss = record.max_pss = "NA"
    record.io_in, record.io_out = usage.blocks_in * 512 / mib, usage.blocks_out * 512 / mib
    record.cpu_time = usage.cpu
    record.cpu_usage = 100 * usage.cpu  # Snakemake's mean_load: cpu_usage / running_time, in percent
    record.data_collected = True


def start_server_now():
    """Start the server for this process's jobs in the background, if none listens yet: it imports its libraries
    while Snakemake builds the DAG, on a core that would otherwise idle, rather than while the first jobs run (and
    import the same libraries themselves, as the server is not ready yet)."""
    import tempfile
    import threading

    env = job_environment(os.environ, 1, {"tmpdir": tempfile.gettempdir()})  # as the first job will have it

    def start():
        try:
            connect(socket_path(fresh_import_path(env)), env).close()  # the server ignores an empty request
        except (OSError, WorkerUnavailable):
            pass  # the first job tries again, and says why if it cannot

    threading.Thread(target=start, daemon=True, name="ddn-worker-start").start()


# what Snakemake's shell() adds to the environment of a job's command (snakemake/shell.py)
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "GOTO_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
TMPDIR_VARIABLES = ("TMPDIR", "TMP", "TEMPDIR", "TEMP")


def job_environment(environ, threads, resources):
    """The environment Snakemake's shell() gives a job's command: this process's, with the job's thread count and
    temporary folder."""
    env = dict(environ)
    env.update(dict.fromkeys(THREAD_VARIABLES, str(threads)))
    tmpdir = resources.get("tmpdir", None)
    if tmpdir:
        env.update(dict.fromkeys(TMPDIR_VARIABLES, tmpdir))
    return env


_IMPORT_PATHS = {}  # the PYTHON* variables -> a fresh interpreter's sys.path[1:]


def fresh_import_path(env):
    """sys.path[1:] of `python` started with env: the import path a job's command would have had (asked of the
    interpreter once per setting of the PYTHON* variables, which decide it)."""
    key = tuple(sorted((name, value) for name, value in env.items() if name.startswith("PYTHON")))
    if key not in _IMPORT_PATHS:
        import subprocess

        shown = subprocess.run(
            [sys.executable, "-c", "import marshal, sys; sys.stdout.buffer.write(marshal.dumps(sys.path[1:]))"],
            env=env,
            capture_output=True,
            check=True,
        )
        _IMPORT_PATHS[key] = marshal.loads(shown.stdout)
    return _IMPORT_PATHS[key]


_RUNNING = set()  # the children of this process's in-process jobs


def _forward_interrupts():
    """An interrupt (Ctrl-C) reaches the in-process jobs' children, as it reaches a job's shell command in the
    terminal's process group; then this process handles it as before."""
    previous = _signal.getsignal(_signal.SIGINT)

    def forward(signum, frame):
        for pid in list(_RUNNING):
            _signal_group(pid, signum)
        if callable(previous):
            previous(signum, frame)

    try:
        _signal.signal(_signal.SIGINT, forward)
    except ValueError:
        pass  # not the main thread: interrupts stay Snakemake's alone


def kernel_manager_class():
    """A Jupyter kernel manager (for papermill) whose Python kernels start in the worker, pandas already imported:
    the kernel is `python -m ddn_pipeline.worker -m ipykernel_launcher ...` instead of `python -m ipykernel_launcher
    ...`. The kernel's name, and so the executed notebook, stay the same."""
    from jupyter_client import AsyncKernelManager

    class WorkerKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            command = super().format_kernel_cmd(extra_arguments)
            if command[1:3] == ["-m", "ipykernel_launcher"]:
                return [command[0], "-m", MODULE, *command[1:]]
            return command

    return WorkerKernelManager


# ---- client


def module_of(argv):
    """The module of a `-m MODULE [ARGS]` command line, or None for `SCRIPT [ARGS]`."""
    return argv[1] if argv[0] == "-m" else None


def available():
    """May jobs use the worker? Not with DDN_WORKER=0, nor where the server cannot watch its children."""
    return os.environ.get("DDN_WORKER") != "0" and hasattr(os, "pidfd_open")


def main(argv):
    script = module_of(argv) or argv[0]
    if not available():
        run_here(argv)
    try:
        connection = connect(socket_path(sys.path[1:]), os.environ)
    except (OSError, WorkerUnavailable) as error:
        print(f"ddn-worker: running {script} without the worker ({error})", file=sys.stderr)
        run_here(argv)
    request = job_request(argv, dict(os.environ), sys.path[1:], inherited_state())
    # an interrupt reaches the child, as it would the process itself (Jupyter interrupts a kernel so); one that
    # comes before the server has said which child is the job's waits for it
    child, interrupts = [], []

    def forward(signum, _):
        interrupts.append(signum)
        for pid in child:
            _signal_group(pid, signum)

    def started(pid):
        child.append(pid)
        for signum in interrupts:
            _signal_group(pid, signum)

    _signal.signal(_signal.SIGINT, forward)
    try:
        usage = run_job(connection, request, started, script)
    except WorkerUnavailable as error:
        sys.exit(f"ddn-worker: {error}")
    sys.exit(usage.code)


class Usage:
    """A finished job: its exit code, wall and CPU seconds, peak RSS (KiB), and 512-byte blocks read and written."""

    def __init__(self, code, wall, cpu, peak_kib, blocks_in, blocks_out):
        self.code, self.wall, self.cpu, self.peak_kib = code, wall, cpu, peak_kib
        self.blocks_in, self.blocks_out = blocks_in, blocks_out


def run_job(connection, request, started, script):
    """Send the request with this process's standard streams, tell started() the child's process id, wait for the
    child and record its usage (a Usage)."""
    began = time.time()
    payload = marshal.dumps(request)
    # socket.send_fds, without importing socket: the standard streams go with the request
    standard_streams = struct.pack("3i", 0, 1, 2)
    message = _HEADER.pack(len(payload)) + payload
    try:
        connection.sendmsg([message], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, standard_streams)])
        announced = receive(connection, _STARTED.size)
        if len(announced) == _STARTED.size:
            started(_STARTED.unpack(announced)[0])
        reply = receive(connection, _REPLY.size)
    finally:
        connection.close()  # in Snakemake's process too: an unfinished job's child is then stopped by the server
    if len(reply) < _REPLY.size:
        raise WorkerUnavailable(f"the worker stopped while running {script}")
    code, *measured = _REPLY.unpack(reply)
    usage = Usage(code, time.time() - began, *measured)
    record_usage(script, usage.wall, usage.cpu, usage.peak_kib)
    return usage


def run_here(argv):
    os.execv(sys.executable, [sys.executable, *argv])


def connect(path, env):
    """A connection to the server at path, which is started (with env) if none listens there."""
    try:
        return _connected(path)
    except OSError:
        pass
    import fcntl  # only when the server must be started

    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one client starts the server; the others wait for it here
        try:
            return _connected(path)
        except OSError:
            return _start_server(path, env)


def _connected(path):
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        raise
    return connection


def _start_server(path, env):
    import subprocess

    with open(f"{path}.log", "ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", MODULE, "--serve", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            cwd="/",
            env=env,
            start_new_session=True,  # not in the job's process group: it outlives the job
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise WorkerUnavailable(f"the server stopped at start (exit {server.returncode}; see {path}.log)")
        try:
            return _connected(path)
        except OSError:
            time.sleep(0.02)
    raise WorkerUnavailable(f"the server did not start within {START_TIMEOUT_SECONDS} s")


def receive(connection, size):
    """size bytes from a stream socket, or fewer if the other end closes first."""
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def record_usage(script, wall, cpu, peak_kib):
    import fcntl

    usage = os.path.join(".snakemake", "ddn-worker", "usage.tsv")
    try:
        os.makedirs(os.path.dirname(usage), exist_ok=True)
        with open(usage, "a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)  # jobs end together: one of them writes the header, first
            if os.fstat(out.fileno()).st_size == 0:
                out.write("script\twall_s\tcpu_s\tmax_rss_mb\n")
            out.write(f"{os.path.basename(script)}\t{wall:.2f}\t{cpu:.2f}\t{peak_kib / 1024:.1f}\n")
    except OSError:
        pass  # a usage line is a convenience; the job's result stands without it


# ---- server


def preload(name):
    """Import a library for the jobs to come. One that cannot be imported is left to the jobs that need it, which
    then fail with their own error, as without the worker; the server goes on."""
    import importlib

    try:
        module = importlib.import_module(name)
    except ImportError:
        return
    if name == "matplotlib":
        module.use("Agg")


class ProjectCode:
    """The project's modules compiled, by file: (modification time in ns, size, code object)."""

    def __init__(self, folder):
        self.folder = folder
        self.compiled = {}

    def refresh(self):
        """Compile the modules that are new or changed since the last refresh; forget deleted ones."""
        from importlib.machinery import SourceFileLoader

        present = {}
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".py") and entry.is_file():
                stat = entry.stat()
                present[entry.path] = (stat.st_mtime_ns, stat.st_size)
        for path in set(self.compiled) - set(present):
            del self.compiled[path]
        for path, stamp in present.items():
            if self.compiled.get(path, (None, None))[:2] != stamp:
                with open(path, "rb") as source:
                    data = source.read()
                try:
                    code = SourceFileLoader("", path).source_to_code(data, path)
                except SyntaxError:
                    self.compiled.pop(path, None)  # the job's own import reports it
                    continue
                self.compiled[path] = (*stamp, code)

    def use_for_imports(self):
        """From now on (in a child), import a module of the project from its compiled code while its file is
        unchanged; otherwise compile it as usual."""
        from importlib.machinery import SourceFileLoader

        compiled = self.compiled
        compile_from_file = SourceFileLoader.get_code

        def get_code(loader, fullname):
            path = loader.get_filename(fullname)
            known = compiled.get(path)
            if known is not None:
                try:
                    stat = os.stat(path)
                except OSError:
                    stat = None
                if stat is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
                    return known[2]
            return compile_from_file(loader, fullname)

        SourceFileLoader.get_code = get_code


def serve(path):
    import selectors
    import signal
    import socket

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staging = f"{path}.{os.getpid()}"
    listener.bind(staging)
    listener.listen(64)
    os.rename(staging, path)  # clients see the socket only once it listens
    bound = os.stat(path).st_ino
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    jobs = {}  # pidfd -> (pid, connection)
    stopping = False
    # the libraries are imported while no request waits: a job that comes first imports what it needs itself
    project = ProjectCode(os.path.dirname(os.path.abspath(__file__)))
    preloads = [PRELOAD[0], project.refresh, *PRELOAD[1:]]  # the project's code is what the first jobs need
    try:
        while True:
            events = selector.select(timeout=0 if preloads else None if jobs else 0 if stopping else IDLE_SECONDS)
            if not events and preloads:
                task = preloads.pop(0)
                if callable(task):
                    task()
                else:
                    preload(task)
                continue
            if not events and not jobs:
                if stopping:
                    return
                # idle: no new client can find this server once its socket is gone, but one may have just
                # connected, so the queue is served once more before the server stops
                _unlink_if_ours(path, bound)
                stopping = True
                continue
            for key, _ in events:
                if key.fileobj is listener:
                    connection, _ = listener.accept()
                    inherited = [listener, selector, *(c for _, c in jobs.values())]
                    pid = _start_job(connection, inherited, list(jobs), project)
                    if pid is None:
                        connection.close()
                        continue
                    pidfd = os.pidfd_open(pid)
                    jobs[pidfd] = (pid, connection)
                    selector.register(pidfd, selectors.EVENT_READ)
                    selector.register(connection, selectors.EVENT_READ, data=pid)
                elif key.data is not None:  # the client closed its end: the job was cancelled
                    if key.data in {pid for pid, _ in jobs.values()}:
                        selector.unregister(key.fileobj)
                        _signal_group(key.data, signal.SIGTERM)
                else:
                    _finish_job(key.fileobj, jobs.pop(key.fileobj), selector)
    finally:
        _unlink_if_ours(path, bound)


def _finish_job(pidfd, job, selector):
    """Reap a job's child and tell its client the exit status and the child's resource use."""
    pid, connection = job
    selector.unregister(pidfd)
    os.close(pidfd)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    reply = _REPLY.pack(
        code if code >= 0 else 128 - code,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss,
        usage.ru_inblock,
        usage.ru_oublock,
    )
    try:
        selector.unregister(connection)
    except KeyError:
        pass  # already gone: the job was cancelled
    try:
        connection.sendall(reply)
    except OSError:
        pass
    connection.close()


def _unlink_if_ours(path, inode):
    try:
        if os.stat(path).st_ino == inode:
            os.unlink(path)
    except FileNotFoundError:
        pass


def _signal_group(pid, signum):
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def _start_job(connection, inherited, inherited_fds, project):
    """Read one request and fork its child; the child never returns from here."""
    import socket

    message, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
    if len(message) < _HEADER.size or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    (size,) = _HEADER.unpack_from(message)
    body = message[_HEADER.size :]
    request = marshal.loads(body + receive(connection, size - len(body)))
    if project.compiled:  # once compiled (between requests), kept up to date with the files
        project.refresh()
    # the server's objects out of the child's garbage collections: a collection writes to every object it visits,
    # and each write copies a shared page into the child (a fork shares the server's memory until it is written)
    gc.freeze()
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        try:
            connection.sendall(_STARTED.pack(pid))
        except OSError:
            pass  # the client is gone: the server's loop sees it and stops the child
        return pid
    try:
        os.setpgid(0, 0)  # the job and whatever it starts are killed together
        for inherited_object in (connection, *inherited):
            inherited_object.close()
        for fd in inherited_fds:
            os.close(fd)
        project.use_for_imports()
        _run_child(request, fds)
    finally:
        os._exit(1)  # a child never returns into the server's loop


def _run_child(request, fds):
    import atexit
    import io
    import runpy
    import traceback

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=os.isatty(1), write_through=False)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), errors="backslashreplace", line_buffering=True)
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    # SIGINT as `python` started by the client would have it, whatever the server's was: a KeyboardInterrupt, or
    # ignored where the client ignores it (a command started in the background)
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN if request["sigint_ignored"] else _signal.default_int_handler)
    os.environ.clear()
    os.environ.update(request["env"])
    argv = request["argv"]
    module = module_of(argv)
    # sys.path[0] as the interpreter sets it: the working folder for -m, the script's folder for a script
    sys.path[:] = [os.getcwd() if module else os.path.dirname(os.path.realpath(argv[0])), *request["path"]]
    sys.argv = [module, *argv[2:]] if module else list(argv)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    code = 0
    try:
        if module:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(os.path.realpath(argv[0]), run_name="__main__")
    except SystemExit as exit:
        if exit.code is None:
            code = 0
        elif isinstance(exit.code, int):
            code = exit.code
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:  # as the interpreter does, with the shell's status for "stopped by SIGINT"
        traceback.print_exc()
        code = 128 + _signal.SIGINT
    except BaseException:  # noqa: BLE001 - as the interpreter does: any uncaught exception, its traceback and 1
        traceback.print_exc()
        code = 1
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    elif len(sys.argv) > 1:
        main(sys.argv[1:])
    else:
        sys.exit("usage: python -m ddn_pipeline.worker SCRIPT [ARGS...] | -m MODULE [ARGS...]")
