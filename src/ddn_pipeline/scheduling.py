"""How Snakemake runs this workflow's jobs. Nothing here decides an output; the Snakefile applies it to Snakemake's
modules."""

import threading


def daemon_timers(module):
    """Timer threads that module starts (through its name `threading`) as daemon threads, which do not hold up the
    interpreter's exit while they wait; everything else of `threading` as it is."""

    class DaemonTimer(threading.Timer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.daemon = True

    threading_with_daemon_timers = type(threading)("threading")
    vars(threading_with_daemon_timers).update(vars(threading))
    threading_with_daemon_timers.Timer = DaemonTimer
    module.threading = threading_with_daemon_timers
