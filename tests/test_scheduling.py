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


def test_chain_lengths_follow_the_longest_chain_of_waiting_jobs():
    from ddn_pipeline.scheduling import chain_lengths

    # a -> b -> d, a -> c, e alone: a waits longest
    waiting = {"a": ["b", "c"], "b": ["d"], "c": [], "d": [], "e": []}
    assert chain_lengths(waiting) == {"a": 3, "b": 2, "c": 1, "d": 1, "e": 1}
    long_chain = {i: [i + 1] for i in range(5000)} | {5000: []}  # deeper than Python's recursion limit
    assert chain_lengths(long_chain)[0] == 5001


def test_chain_lengths_break_ties_within_a_priority_never_across_priorities():
    from ddn_pipeline.scheduling import with_chain_lengths

    highest = 2**63 - 1
    priorities = {"a": 0, "b": 0, "c": 0, "short": 0, "urgent": 5, "later": 10, "targeted": highest}
    waiting = {"a": ["b"], "b": ["c"], "c": [], "short": [], "urgent": [], "later": [], "targeted": []}
    ranked = with_chain_lengths(priorities, waiting, keep=highest)
    assert ranked["a"] > ranked["b"] > ranked["c"] == ranked["short"]
    assert 0 < ranked["short"] and ranked["a"] < 5 < ranked["urgent"] < 10 < ranked["later"] < 15  # gap: 5
    assert ranked["targeted"] == highest
    assert with_chain_lengths({"x": 0.5, "y": 0.75}, {"x": ["y"], "y": []}) == {"x": 0.5 + 2 / 12, "y": 0.75 + 1 / 12}


def test_a_wakeup_timer_starts_only_when_none_is_due_by_then(monkeypatch):
    from ddn_pipeline import scheduling

    class Scheduler:
        def __init__(self):
            self.timers = []

        def _schedule_reevalutation(self, delay):
            self.timers.append(delay)

    now = [100.0]
    monkeypatch.setattr(scheduling.time, "monotonic", lambda: now[0])
    scheduling.coalesced_wakeups(Scheduler)
    scheduling.coalesced_wakeups(Scheduler)  # once only
    first, second = Scheduler(), Scheduler()
    first._schedule_reevalutation(1)
    first._schedule_reevalutation(1)  # one is due at 101
    first._schedule_reevalutation(10)  # ... which is before 110
    second._schedule_reevalutation(1)  # each scheduler has its own timers
    now[0] = 100.5
    first._schedule_reevalutation(0.25)  # due at 100.75, before the pending one at 101: started
    now[0] = 101.5  # both have fired
    first._schedule_reevalutation(1)
    assert first.timers == [1, 0.25, 1]
    assert second.timers == [1]


def test_snakemake_starts_the_longest_chain_first_and_still_wakes_for_rate_limited_jobs(tmp_path):
    """A real Snakemake run, one core: the chain a1 -> a2 -> a3 starts before b, which Snakemake alone would start
    first (a bigger input, the same priority; once a2 is done, a3 and b have chains of one length, and b goes first); with a rate limit of two jobs a second, the run still ends (the
    held-back jobs need the scheduler's wake-up timers)."""
    import subprocess
    import sys

    from conftest import ROOT

    (tmp_path / "big.txt").write_text("x" * 100_000, encoding="utf-8")
    (tmp_path / "Snakefile").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'src')!r})\n"
        "if config.get('tuned'):\n"
        "    from ddn_pipeline.scheduling import tune_snakemake\n"
        "    tune_snakemake()\n"
        "rule all:\n    input: 'a3.txt', 'b.txt'\n"
        "rule a1:\n    output: 'a1.txt'\n    shell: 'echo a1 >> order.txt; touch {output}'\n"
        "rule a2:\n    input: 'a1.txt'\n    output: 'a2.txt'\n    shell: 'echo a2 >> order.txt; touch {output}'\n"
        "rule a3:\n    input: 'a2.txt'\n    output: 'a3.txt'\n    shell: 'echo a3 >> order.txt; touch {output}'\n"
        "rule b:\n    input: 'big.txt'\n    output: 'b.txt'\n    shell: 'echo b >> order.txt; touch {output}'\n",
        encoding="utf-8",
    )

    def order(*options):
        for done in tmp_path.glob("*.txt"):
            if done.name != "big.txt":
                done.unlink()
        command = [sys.executable, "-m", "snakemake", "--cores", "1", "--scheduler", "greedy", *options]
        subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, timeout=30)
        return (tmp_path / "order.txt").read_text(encoding="utf-8").split()

    assert order("--config", "tuned=1", "--max-jobs-per-timespan", "2/1s") == ["a1", "a2", "b", "a3"]
    assert order()[0] == "b"  # without: the test would pass by chance


def test_tune_snakemake_changes_each_thing_once_in_a_fresh_interpreter():
    import subprocess
    import sys

    from conftest import ROOT

    program = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r})\n"
        "from ddn_pipeline.scheduling import tune_snakemake\n"
        "tune_snakemake(); tune_snakemake()\n"
        "from snakemake.dag import DAG\n"
        "from snakemake.scheduling import job_scheduler as js\n"
        "assert DAG.update_priority.with_chain_lengths and not hasattr(DAG.update_priority.__wrapped__, '__wrapped__')\n"
        "assert js.JobScheduler._schedule_reevalutation.coalesced\n"
        "assert not hasattr(js.JobScheduler._schedule_reevalutation.__wrapped__, '__wrapped__')\n"
        "assert js.threading.Timer(1, print).daemon\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
