class PipelineError(Exception):
    """An expected failure with a message meant for the user: it names the file, the place and what was expected."""
