"""The console stays readable: long messages are shortened there and kept whole in the rule's log."""

import logging

from ddn_pipeline.logs import CONSOLE_WIDTH, ConsoleFormatter


def record(level, message):
    return logging.LogRecord("rule", level, __file__, 1, message, None, None)


def test_long_lines_are_shortened_on_the_console_with_where_the_rest_is():
    formatter = ConsoleFormatter("logs/report/build_report.log")
    text = formatter.format(record(logging.INFO, "short\n" + "x" * 1000))
    first, second = text.split("\n")
    assert first.endswith("short") and len(second) == CONSOLE_WIDTH
    accented = formatter.format(record(logging.WARNING, "±" * 400))
    assert len(accented.encode()) <= CONSOLE_WIDTH and accented.endswith("build_report.log)")
    assert second.endswith(" ... (in full in logs/report/build_report.log)")


def test_errors_are_never_shortened():
    message = "table.csv, row 12, column 'code': " + "y" * 500
    assert message in ConsoleFormatter("log").format(record(logging.ERROR, message))
