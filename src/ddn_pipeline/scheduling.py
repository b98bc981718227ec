"""How Snakemake runs this workflow's jobs: which ready job starts first, how often the scheduler wakes, and when
its process may exit. Nothing here decides an output. The Snakefile calls tune_snakemake()."""

import functools
import itertools
import threading
import time


def tune_snakemake():
    """Apply the changes below to Snakemake's scheduler, each where this version of Snakemake has what it changes
    (otherwise Snakemake schedules as it would without them). Once per process: a second call changes nothing."""
    import snakemake.api  # noqa: F401  (snakemake.dag imports only after it: a cycle of Snakemake's own)
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.scheduling import job_scheduler

    if hasattr(job_scheduler, "threading"):
        daemon_timers(job_scheduler)
    if hasattr(job_scheduler.JobScheduler, "_schedule_reevalutation"):
        coalesced_wakeups(job_scheduler.JobScheduler)
    if hasattr(DAG, "update_priority") and hasattr(Job, "HIGHEST_PRIORITY"):
        longest_chains_first(DAG, keep=Job.HIGHEST_PRIORITY)


def daemon_timers(module):
    """Timer threads that module starts (through its name `threading`) as daemon threads, which do not hold up the
    interpreter's exit while they wait; everything else of `threading` as it is. Snakemake's scheduler starts one
    after each round (see coalesced_wakeups), and the interpreter's exit waited for the last, up to a second after
    the last job: at exit, no scheduler is left to wake."""

    class DaemonTimer(threading.Timer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.daemon = True

    threading_with_daemon_timers = type(threading)("threading")
    vars(threading_with_daemon_timers).update(vars(threading))
    threading_with_daemon_timers.Timer = DaemonTimer
    module.threading = threading_with_daemon_timers


def coalesced_wakeups(scheduler_class):
    """A scheduler of scheduler_class starts a wake-up timer only when none of its pending ones is due by then.
    Snakemake ends each round of scheduling with a timer that wakes it for another round a second later (the
    --max-jobs-per-timespan span, in case the rate limit held a job back), and that round starts the next timer:
    each finished job started a chain of rounds, one a second until the run ended. Most of the rounds of a run
    (hundreds, each weighing every ready job's input files) found nothing to do, as a round runs anyway whenever
    a job finishes. A wake-up still comes when each caller asks for it, or earlier."""
    start_timer = scheduler_class._schedule_reevalutation
    if getattr(start_timer, "coalesced", False):
        return
    lock = threading.Lock()
    due = {}  # scheduler -> when its pending timers fire (monotonic seconds)

    @functools.wraps(start_timer)
    def start_timer_unless_one_is_due(scheduler, delay):
        now = time.monotonic()
        with lock:
            pending = [when for when in due.get(scheduler, ()) if when > now]
            if any(when <= now + delay for when in pending):
                due[scheduler] = pending
                return
            due[scheduler] = [*pending, now + delay]
        start_timer(scheduler, delay)

    start_timer_unless_one_is_due.coalesced = True
    scheduler_class._schedule_reevalutation = start_timer_unless_one_is_due


def chain_lengths(waiting):
    """Each job's chain length: 1 for a job no job waits for, else 1 + the longest chain length of the jobs that
    wait for it (waiting: job -> the jobs that need its output). Without recursion: a chain may be long."""
    length = {}
    for job in waiting:
        stack = [job]
        while stack:
            current = stack[-1]
            if current in length:
                stack.pop()
                continue
            pending = [after for after in waiting.get(current, ()) if after not in length]
            if pending:
                stack.extend(pending)
                continue
            length[current] = 1 + max((length[after] for after in waiting.get(current, ())), default=0)
            stack.pop()
    return length


def with_chain_lengths(priorities, waiting, keep=None):
    """priorities (job -> its rule's priority) with each job's chain length (chain_lengths) added as a fraction of
    the smallest gap between two priorities: among ready jobs of one priority, the one that the longest chain of
    jobs waits for starts first, and a higher priority still comes first whatever the chains. A job whose priority
    is keep (Snakemake's --prioritize) keeps it."""
    length = chain_lengths(waiting)
    distinct = sorted(set(priorities.values()) - {keep})
    gap = min((higher - lower for lower, higher in itertools.pairwise(distinct)), default=1)
    step = gap / (max(length.values(), default=0) + 1)
    return {job: p if p == keep else p + length.get(job, 1) * step for job, p in priorities.items()}


def longest_chains_first(dag_class, keep):
    """Snakemake's DAG gives each job to run its rule's priority plus its chain length (with_chain_lengths over the
    jobs to run). Left to itself, Snakemake breaks ties by the size of a job's input, which put every retrieval (no
    input) after every other ready job, and then by the order of a set: the start of a long chain could wait
    behind short jobs, and its end then ran alone on one core while the other idled."""
    update_priority = dag_class.update_priority
    if getattr(update_priority, "with_chain_lengths", False):
        return

    @functools.wraps(update_priority)
    def update_priority_with_chain_lengths(dag):
        update_priority(dag)
        if not (isinstance(getattr(dag, "_priority", None), dict) and hasattr(dag, "depending")):
            return  # a Snakemake that keeps them otherwise: its own order
        to_run = set(dag.needrun_jobs())
        waiting = {job: [after for after in dag.depending.get(job, ()) if after in to_run] for job in to_run}
        dag._priority.update(with_chain_lengths({job: dag._priority[job] for job in to_run}, waiting, keep))

    update_priority_with_chain_lengths.with_chain_lengths = True
    dag_class.update_priority = update_priority_with_chain_lengths
