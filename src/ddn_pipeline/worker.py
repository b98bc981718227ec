"""A preloaded worker for the rules' Python scripts: pandas, matplotlib and geopandas are imported once per run
instead of once per job (each import costs a job about a second of start-up). Optional (config: worker), and only
for Snakemake's local executor.

A long-lived server, private to its user, listens on a Unix socket. For each job it forks a child, with those
libraries already imported, and the child runs the script as `python SCRIPT` would: the job's folder, environment,
umask, SIGINT disposition and standard streams. Snakemake's own process sends its `script:` jobs there (use_for_jobs,
through PythonScript.execute_script, the one Snakemake hook this uses); `python -m ddn_pipeline.worker SCRIPT [ARGS]`
(or `-m MODULE [ARGS]`) does the same from a shell.

Private as a build daemon's socket is (Gradle's, Bazel's):
- the socket lives in a folder only its user may enter (mode 0700: $XDG_RUNTIME_DIR/ddn-worker, or
  $TMPDIR/ddn-worker-UID), which is refused if it is a symlink, another user's, or open to others; the socket
  itself is 0600 whatever the umask, and no file there is opened through a symlink;
- both ends check the other's user id (SO_PEERCRED) and refuse any other;
- a job's child dies with the server (PR_SET_PDEATHSIG) and its client then fails the job; a job whose client goes
  (a cancelled job, a killed Snakemake) is killed with its process group; an idle server stops after IDLE_SECONDS.

A child has the interpreter start-up of its server, so a job runs only in a server started as its own interpreter
would be: the socket's name carries a digest of the interpreter, its import path (with each folder's modification
time, which changes when a package is installed), the start-up variables (PYTHON*, the locale) and this file, and a
job whose start-up differs gets a server of its own. A job that still would not run as in a fresh interpreter takes
Snakemake's own path: one whose rule asks for more than one thread (a preloaded numerical library has fixed its
thread pools), or that runs in a conda environment, container, environment module or shadow folder.

The server holds no module of this project: a child forgets every ddn_pipeline module before it runs, so each job
runs the project's code as it is on disk. Each job's CPU time and peak memory are appended to
.snakemake/ddn-worker/usage.tsv in the job's working folder and fill its Snakemake benchmark record.
"""

import gc
import marshal
import os
import signal
import socket
import stat
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
    "pyarrow.dataset",
    "pyreadr",
    "nbformat",
    "nbconvert",
    "papermill",
)
IDLE_SECONDS = float(os.environ.get("DDN_WORKER_IDLE_SECONDS", "20"))
START_TIMEOUT_SECONDS = 120
MODULE = "ddn_pipeline.worker"  # also when run as __main__ (python -m)
PACKAGE = MODULE.split(".")[0]
# variables the interpreter reads as it starts (a child of the server has the server's start): a server per value
STARTUP_VARIABLE_PREFIX = "PYTHON"
LOCALE_VARIABLES = ("LC_ALL", "LC_CTYPE", "LANG")
_HEADER = struct.Struct("!I")
_STARTED = struct.Struct("!i")  # the child's process id
_REPLY = struct.Struct("!idqqq")  # exit code, CPU seconds, peak RSS in KiB, 512-byte blocks read and written
_PEER = struct.Struct("3i")  # struct ucred: pid, uid, gid
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class WorkerUnavailable(Exception):
    """No server can be reached safely: the job runs without it."""


class WorkerLost(Exception):
    """The server stopped while it ran a job: the job failed."""


# ---- where the server listens


def private_folder():
    """This user's folder for the server's socket, lock and log, created 0700 if absent. WorkerUnavailable unless it
    is a real folder (not a symlink) owned by this user that no one else may enter, in a parent no one else may
    rename it in."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        parent, name = runtime, "ddn-worker"
    else:
        import tempfile

        parent, name = tempfile.gettempdir(), f"ddn-worker-{os.getuid()}"
    folder = os.path.join(parent, name)
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise WorkerUnavailable(f"cannot create {folder}: {error.strerror}") from None
    check_private(folder, parent)
    return folder


def check_private(folder, parent):
    info, above = os.lstat(folder), os.stat(parent)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise WorkerUnavailable(f"{folder} is not a folder (a symlink or a file): not used")
    if info.st_uid != os.getuid():
        raise WorkerUnavailable(f"{folder} belongs to user {info.st_uid}, not to {os.getuid()}: not used")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise WorkerUnavailable(f"{folder} is open to other users (mode {stat.S_IMODE(info.st_mode):o}): not used")
    if above.st_uid != os.getuid() and above.st_mode & 0o022 and not above.st_mode & stat.S_ISVTX:
        raise WorkerUnavailable(f"{parent} lets other users rename what it holds: not used")


def socket_path(import_path, env):
    """Where the server for this interpreter, import path (a fresh interpreter's sys.path[1:]), start-up variables
    and worker code listens."""
    import hashlib

    key = hashlib.sha256()
    for part in (sys.executable, *import_path):
        key.update(part.encode())
        key.update(str(os.stat(part).st_mtime_ns if os.path.isdir(part) else "").encode())
    for name, value in sorted(startup_variables(env).items()):
        key.update(f"{name}={value}\0".encode())
    with open(__file__, "rb") as code:
        key.update(code.read())
    return os.path.join(private_folder(), f"server-{key.hexdigest()[:16]}.sock")


def open_private(path, flags):
    """A file descriptor of path in the private folder, created 0600, never through a symlink."""
    return os.open(path, flags | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)


def peer_uid(connection):
    return _PEER.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEER.size))[1]


# ---- Snakemake's process


def hookable():
    """Snakemake's PythonScript.execute_script(self, fname, edit), on an object with the job's settings: where this
    Snakemake has it, the class; otherwise None."""
    import inspect

    try:
        from snakemake.script import PythonScript, ScriptBase
    except ImportError:
        return None
    method = getattr(PythonScript, "execute_script", None)
    if method is None or list(inspect.signature(method).parameters) != ["self", "fname", "edit"]:
        return None
    needed = {"conda_env", "container_img", "env_modules", "shadow_dir", "threads", "resources", "bench_record"}
    if not needed <= set(inspect.signature(ScriptBase.__init__).parameters):
        return None
    return PythonScript


_WARNED = []


def say_once(message):
    if message not in _WARNED:
        _WARNED.append(message)
        print(f"ddn-worker: {message}", file=sys.stderr)


def use_for_jobs(workflow):
    """Run this Snakemake process's `script:` jobs in the worker, if this run may: Snakemake's local executor, a real
    run (not a dry run), the worker available here and the hook present (otherwise a warning, once). Called from the
    Snakefile's onstart, when the executor is known. True if the worker is in use."""
    plugin = workflow.executor_plugin
    if plugin is None or plugin.name != "local" or not workflow.is_main_process or workflow.dryrun:
        return False
    if not available():
        return False
    script_class = hookable()
    if script_class is None:
        say_once("this Snakemake has no PythonScript.execute_script(fname, edit) to hand jobs over: running without")
        return False
    snakemakes_own = script_class.execute_script
    if getattr(snakemakes_own, "through_worker", False):
        return True
    # read before jobs' threads may create files, and before this process sets its own SIGINT handler
    inherited = inherited_state()
    if not inherited["sigint_ignored"]:  # ignored (a background run): its jobs ignore it too, as their commands would
        forward_interrupts()

    def execute_script(self, fname, edit=False):
        if edit or self.conda_env or self.container_img or self.env_modules or self.shadow_dir or self.threads > 1:
            return snakemakes_own(self, fname, edit)
        env = job_environment(os.environ, self.threads, self.resources)
        command = f"{sys.executable} -m {MODULE} {fname}"
        if not run_in_worker([fname], env, inherited, self.bench_record, command):
            return snakemakes_own(self, fname, edit)

    execute_script.through_worker = True
    script_class.execute_script = execute_script
    start_server_now()
    return True


def inherited_state():
    """What a command this process started now would inherit besides its environment: the umask (read by setting
    it, so while no other thread creates files) and whether SIGINT is ignored."""
    mask = os.umask(0)
    os.umask(mask)
    return {"umask": mask, "sigint_ignored": signal.getsignal(signal.SIGINT) == signal.SIG_IGN}


def startup_variables(env):
    """The variables of env that the interpreter reads as it starts, which its server must have been started with."""
    return {
        name: value
        for name, value in env.items()
        if name.startswith(STARTUP_VARIABLE_PREFIX) or name in LOCALE_VARIABLES
    }


def run_in_worker(argv, env, inherited, bench_record, command):
    """Run a job's `SCRIPT [ARGS]` or `-m MODULE [ARGS]` in the server; fill its benchmark record and raise
    CalledProcessError (naming command) if it fails, WorkerLost if the server stopped under it. False, having said
    why, if the job should not or cannot go there: the caller runs it its own way."""
    import subprocess

    script = module_of(argv) or argv[0]
    if _INTERRUPTED:
        raise KeyboardInterrupt  # this run was interrupted: no job starts after that
    import_path = fresh_import_path(env)
    try:
        connection = connect(socket_path(import_path, env), env)
    except (OSError, WorkerUnavailable) as error:
        say_once(f"running jobs without the worker ({error})")
        return False
    request = {"argv": argv, "cwd": os.getcwd(), "env": env, "path": import_path, **inherited}
    usage = run_job(connection, request, script)
    if bench_record is not None:
        fill_benchmark(bench_record, usage)
    if usage.code:
        raise subprocess.CalledProcessError(usage.code, command)
    return True


_RUNNING = set()  # the children of this process's jobs
_INTERRUPTED = []  # the interrupts this process has had


def forward_interrupts():
    """An interrupt (Ctrl-C) reaches the jobs' children, as it reaches a shell command in the terminal's process
    group, including a job whose child starts while the interrupt is handled; then this process handles it as
    before."""
    previous = signal.getsignal(signal.SIGINT)

    def forward(signum, frame):
        _INTERRUPTED.append(signum)
        for pid in list(_RUNNING):
            signal_group(pid, signum)
        if callable(previous):
            previous(signum, frame)

    try:
        signal.signal(signal.SIGINT, forward)
    except ValueError:
        pass  # not the main thread: interrupts stay with the caller alone


class Usage:
    """A finished job: its exit code, wall and CPU seconds, peak RSS (KiB), and 512-byte blocks read and written."""

    def __init__(self, code, wall, cpu, peak_kib, blocks_in, blocks_out):
        self.code, self.wall, self.cpu, self.peak_kib = code, wall, cpu, peak_kib
        self.blocks_in, self.blocks_out = blocks_in, blocks_out


def run_job(connection, request, script):
    """Send the request with this process's standard streams, wait for the child and record its usage (a Usage).
    The child is among _RUNNING while it runs, and gets every interrupt of this process (one that came while it
    started too)."""
    began = time.time()
    payload = marshal.dumps(request)
    child = None
    try:
        socket.send_fds(connection, [_HEADER.pack(len(payload)) + payload], [0, 1, 2])
        announced = receive(connection, _STARTED.size)
        if len(announced) == _STARTED.size:
            child = _STARTED.unpack(announced)[0]
            _RUNNING.add(child)
            for signum in _INTERRUPTED:
                signal_group(child, signum)
        reply = receive(connection, _REPLY.size)
    finally:
        _RUNNING.discard(child)
        connection.close()  # an unfinished job's child is then stopped by the server
    if len(reply) < _REPLY.size:
        raise WorkerLost(f"the worker stopped while it ran {script}; the job failed and its outputs are not kept")
    code, *measured = _REPLY.unpack(reply)
    usage = Usage(code, time.time() - began, *measured)
    record_usage(script, usage.wall, usage.cpu, usage.peak_kib)
    return usage


def fill_benchmark(record, usage):
    """A job's Snakemake benchmark record from what the kernel reported when the job's process ended. The kernel
    does not report virtual, unique or proportional memory: those columns say NA."""
    mib = 1024 * 1024
    record.running_time = usage.wall
    record.max_rss = usage.peak_kib / 1024
    record.max_vms = record.max_uss = record.max_pss = "NA"
    record.io_in, record.io_out = usage.blocks_in * 512 / mib, usage.blocks_out * 512 / mib
    record.cpu_time = usage.cpu
    record.cpu_usage = 100 * usage.cpu  # Snakemake's mean_load: cpu_usage / running_time, in percent
    record.data_collected = True


def start_server_now():
    """Start the server in the background, if none listens yet: it imports its libraries on a core that would
    otherwise idle while the first jobs (retrievals) run."""
    import tempfile
    import threading

    env = job_environment(os.environ, 1, {"tmpdir": tempfile.gettempdir()})  # as the first job will have it

    def start():
        try:
            connect(socket_path(fresh_import_path(env), env), env).close()  # the server ignores an empty request
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


_IMPORT_PATHS = {}  # start-up variables -> a fresh interpreter's sys.path[1:]


def fresh_import_path(env):
    """sys.path[1:] of `python` started with env: the import path a job's command would have had (asked of the
    interpreter once per setting of the start-up variables, which decide it)."""
    key = tuple(sorted(startup_variables(env).items()))
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


# ---- the command line client


def module_of(argv):
    """The module of a `-m MODULE [ARGS]` command line, or None for `SCRIPT [ARGS]`."""
    return argv[1] if argv[0] == "-m" else None


def available():
    """May jobs use the worker? Not with DDN_WORKER=0, nor where the server cannot watch its children."""
    return os.environ.get("DDN_WORKER") != "0" and hasattr(os, "pidfd_open") and sys.platform == "linux"


def main(argv):
    """`python -m ddn_pipeline.worker SCRIPT [ARGS]`: the script in the worker, or here where it cannot go there."""
    env = dict(os.environ)
    inherited = inherited_state()
    if not inherited["sigint_ignored"]:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        forward_interrupts()
    command = " ".join([sys.executable, "-m", MODULE, *argv])
    try:
        if available() and run_in_worker(argv, env, inherited, None, command):
            sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(128 + signal.SIGINT)
    except WorkerLost as error:
        sys.exit(f"ddn-worker: {error}")
    except Exception as error:  # noqa: BLE001 - CalledProcessError: the child's status is the command's
        sys.exit(getattr(error, "returncode", 1))
    os.execv(sys.executable, [sys.executable, *argv])


def connect(path, env):
    """A connection to this user's server at path, which is started (with env) if none listens there."""
    try:
        return connected(path)
    except OSError:
        pass
    import fcntl  # only when the server must be started

    lock = open_private(f"{path}.lock", os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one client starts the server; the others wait for it here
        try:
            return connected(path)
        except OSError:
            return start_server(path, env)
    finally:
        os.close(lock)


def connected(path):
    """A connection to the socket at path, if a process of this user listens there; otherwise OSError or
    WorkerUnavailable (another user's)."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    try:
        connection.connect(path)
        uid = peer_uid(connection)
    except OSError:
        connection.close()
        raise
    if uid != os.getuid():
        connection.close()
        raise WorkerUnavailable(f"the socket {path} is served by user {uid}, not {os.getuid()}: not used")
    return connection


def start_server(path, env):
    import subprocess

    log = open_private(f"{path}.log", os.O_WRONLY | os.O_APPEND)
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", MODULE, "--serve", path],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            cwd="/",
            env=env,
            start_new_session=True,  # not in the job's process group: it outlives the job, not its idle time
        )
    finally:
        os.close(log)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise WorkerUnavailable(f"the server stopped at start (exit {server.returncode}; see {path}.log)")
        try:
            return connected(path)
        except OSError:
            time.sleep(0.02)
    raise WorkerUnavailable(f"the server did not start within {START_TIMEOUT_SECONDS} s")


def receive(connection, size):
    """size bytes from a stream socket, or fewer if the other end closes (or resets) it first."""
    data = b""
    while len(data) < size:
        try:
            chunk = connection.recv(size - len(data))
        except ConnectionResetError:
            break
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


def signal_group(pid, signum):
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


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


def listen(path):
    """A socket listening at path, 0600 whatever the umask, in the private folder it was given."""
    check_private(os.path.dirname(path), os.path.dirname(os.path.dirname(path)))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    staging = f"{path}.{os.getpid()}"
    mask = os.umask(0o177)
    try:
        listener.bind(staging)
    finally:
        os.umask(mask)
    os.chmod(staging, 0o600)
    listener.listen(64)
    os.rename(staging, path)  # clients see the socket only once it listens
    return listener


class Job:
    """A request, in the child forked to run it."""

    def __init__(self, request, fds):
        self.request, self.fds = request, fds


def serve(path):
    """Serve jobs until idle. In a child forked for a job, return its Job (the child then runs it, outside the
    server's loop and clean-up)."""
    import ctypes
    import selectors

    server = os.getpid()

    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: a child only calls it
    listener = listen(path)
    bound = os.stat(path).st_ino
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    jobs = {}  # pidfd -> (pid, connection)
    stopping = False
    preloads = list(PRELOAD)  # imported while no request waits: a job that comes first imports what it needs
    try:
        while True:
            events = selector.select(timeout=0 if preloads else None if jobs else 0 if stopping else IDLE_SECONDS)
            if not events and preloads:
                preload(preloads.pop(0))
                continue
            if not events and not jobs:
                if stopping:
                    return
                # idle: no new client can find this server once its socket is gone, but one may have just
                # connected, so the queue is served once more before the server stops
                unlink_if_ours(path, bound)
                stopping = True
                continue
            for key, _ in events:
                if key.fileobj is listener:
                    connection, _ = listener.accept()
                    if peer_uid(connection) != os.getuid():
                        connection.close()  # another user's: refused, unheard
                        continue
                    inherited = [listener, selector, *(c for _, c in jobs.values())]
                    pid = start_job(connection, inherited, list(jobs), libc)
                    if isinstance(pid, Job):
                        return pid  # in the child: its job runs once the server's frames are left
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
                        signal_group(key.data, signal.SIGTERM)
                else:
                    finish_job(key.fileobj, jobs.pop(key.fileobj), selector)
    finally:
        if os.getpid() == server:
            unlink_if_ours(path, bound)
            for pid, _ in jobs.values():
                signal_group(pid, signal.SIGKILL)


def finish_job(pidfd, job, selector):
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


def unlink_if_ours(path, inode):
    try:
        if os.stat(path).st_ino == inode:
            os.unlink(path)
    except FileNotFoundError:
        pass


def start_job(connection, inherited, inherited_fds, libc):
    """Read one request and fork its child: the child's pid (None for an empty request) in the server, the Job in
    the child."""
    message, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
    if len(message) < _HEADER.size or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    (size,) = _HEADER.unpack_from(message)
    body = message[_HEADER.size :]
    request = marshal.loads(body + receive(connection, size - len(body)))
    # the server's objects out of the child's garbage collections: a collection writes to every object it visits,
    # and each write copies a shared page into the child (a fork shares the server's memory until it is written)
    gc.freeze()
    server = os.getpid()
    pid = os.fork()
    if pid:
        # its own process group from now on, whichever of the two runs first: a signal to the group then reaches it
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child has set it already, or is gone
        for fd in fds:
            os.close(fd)
        try:
            connection.sendall(_STARTED.pack(pid))
        except OSError:
            pass  # the client is gone: the server's loop sees it and stops the child
        return pid
    try:
        # the job dies with the server; a server gone before this call leaves the child to init: it stops itself
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != server:
            os._exit(1)
        os.setpgid(0, 0)  # the job and whatever it starts are stopped together
        for inherited_object in (connection, *inherited):
            inherited_object.close()
        for fd in inherited_fds:
            os.close(fd)
    except BaseException:  # noqa: BLE001 - a child must never go on as the server
        os._exit(1)
    return Job(request, fds)


def run_child(job):
    """Run the job's script or module as `python` would, and return its exit status."""
    import io
    import runpy
    import traceback

    request = job.request
    for target, fd in enumerate(job.fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=os.isatty(1), write_through=False)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), errors="backslashreplace", line_buffering=True)
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    # SIGINT as `python` started by the client would have it, whatever the server's was: a KeyboardInterrupt, or
    # ignored where the client ignores it (a command started in the background)
    signal.signal(signal.SIGINT, signal.SIG_IGN if request["sigint_ignored"] else signal.default_int_handler)
    os.environ.clear()
    os.environ.update(request["env"])
    argv = request["argv"]
    module = module_of(argv)
    # sys.path[0] as the interpreter sets it: the working folder for -m, the script's folder for a script
    sys.path[:] = [os.getcwd() if module else os.path.dirname(os.path.realpath(argv[0])), *request["path"]]
    sys.argv = [module, *argv[2:]] if module else list(argv)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    try:
        if module:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(os.path.realpath(argv[0]), run_name="__main__")
    except SystemExit as exit:
        if exit.code is None:
            return 0
        if isinstance(exit.code, int):
            return exit.code
        print(exit.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # as the interpreter does, with the shell's status for "stopped by SIGINT"
        traceback.print_exc()
        return 128 + signal.SIGINT
    except BaseException:  # noqa: BLE001 - as the interpreter does: any uncaught exception, its traceback and 1
        traceback.print_exc()
        return 1
    return 0


def finish_child(code):
    """End a job's child with code as an interpreter ends: once its other threads (not daemons) are done, its logs
    closed and its output flushed. Then os._exit, as a multiprocessing child ends: the interpreter's own tear-down
    of every object the server had imported took 0.08-0.09 s of CPU per job (10 s a run), and exit handlers a job
    registers with atexit are not run (no script of this project registers one)."""
    import logging
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        job = serve(sys.argv[2])
        if job is not None:
            finish_child(run_child(job))
    elif len(sys.argv) > 1:
        main(sys.argv[1:])
    else:
        sys.exit("usage: python -m ddn_pipeline.worker SCRIPT [ARGS...] | -m MODULE [ARGS...]")
