class PipelineError(Exception):
    """An expected failure with a message meant for the user: it names the file, the place and what was expected."""


def require_values(frame, column, code_column, error, what):
    """Raise error (a PipelineError class) if column has gaps, saying how many rows and the code of the first:
    "<count> <what>, e.g. <code>"."""
    missing = frame[column].isna()
    if missing.any():
        raise error(f"{missing.sum()} {what}, e.g. {frame.loc[missing, code_column].iloc[0]}")
