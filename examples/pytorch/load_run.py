"""Read vanish's results into Python: one run (or one `vanish analyze` output), or a sweep.

    from load_run import load_run, load_sweep

    run = load_run("runs/example-adding/<run-id>")
    run["grad_log_norms_step0"]    # ln||dL/dh_t|| at initialization, (layers x directions, T)
    run["summary"]["blocks_at_start"][0]["decay_fit"]["factor_per_step"]

    sweep = load_sweep("runs/example-adding")   # runs.csv: a pandas DataFrame, or a list of dicts
"""
import csv
import json
import pathlib

import numpy as np

# runs.csv's columns that are not strings, and how to read them without pandas.
_INTEGERS = {"seed", "sequence_length", "hidden_size"}
_BOOLEANS = {"success"}
_FLOATS = {
    "final_loss_over_baseline", "decay_factor_start", "decay_factor_end",
    "sigma_max_start", "sigma_max_end", "spectral_radius_start", "spectral_radius_end",
}


def load_run(directory):
    """Every .npy in a run directory as a numpy array, keyed by file stem, and "summary",
    the parsed summary.json. Works on `vanish analyze`'s output directory too."""
    directory = pathlib.Path(directory)
    summary = directory / "summary.json"
    if not summary.is_file():
        raise FileNotFoundError(f"{summary}: no such file; {directory} is not a finished run")
    run = {path.stem: np.load(path) for path in sorted(directory.glob("*.npy"))}
    run["summary"] = json.loads(summary.read_text())
    return run


def load_sweep(directory):
    """runs.csv of an experiment's store directory (<store>/<experiment>): one row per planned
    run, done or not. A pandas DataFrame when pandas is installed; otherwise a list of dicts,
    numbers as int or float, success as bool, and None for an empty value."""
    table = pathlib.Path(directory) / "runs.csv"
    if not table.is_file():
        raise FileNotFoundError(f"{table}: no such file; a sweep of the config writes it")
    try:
        import pandas
    except ImportError:
        with open(table, newline="") as file:
            return [{key: _typed(key, value) for key, value in row.items()} for row in csv.DictReader(file)]
    return pandas.read_csv(table)


def _typed(column, value):
    if value == "":
        return None
    if column in _INTEGERS:
        return int(value)
    if column in _FLOATS:
        return float(value)
    if column in _BOOLEANS:
        return value == "true"
    return value
