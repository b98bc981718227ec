"""Scheduling helpers (ddn_pipeline.scheduling)."""


def test_daemon_timers_let_the_interpreter_exit_while_a_timer_waits(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    (tmp_path / "scheduler.py").write_text(
        "import threading\n"
        "def wake_later(): threading.Timer(60, print, ['woken']).start()\n"
        "def lock(): return threading.Lock()\n",
        encoding="utf-8",
    )
    program = (
        f"import sys; sys.path[:0] = [{str(tmp_path)!r}, {str(ROOT / 'src')!r}]\n"
        "import threading, scheduler\n"
        "from ddn_pipeline.scheduling import daemon_timers\n"
        "if sys.argv[1] == 'daemon': daemon_timers(scheduler)\n"
        "scheduler.lock().acquire()  # the rest of threading unchanged\n"
        "scheduler.wake_later()\n"
        "assert threading.Timer is not scheduler.threading.Timer or sys.argv[1] != 'daemon'\n"
        "print('done')\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", program, "daemon"], capture_output=True, text=True, timeout=30, check=True
    )
    assert finished.stdout == "done\n"
    # without it, the same program waits for the timer: the interpreter's exit joins every non-daemon thread
    try:
        subprocess.run([sys.executable, "-c", program, "plain"], check=True, capture_output=True, timeout=2)
    except subprocess.TimeoutExpired:
        pass
    else:
        raise AssertionError("a plain timer did not hold up the exit: the test proves nothing")
