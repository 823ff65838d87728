"""Results folders: netCDF data, the target table, figures and one self-contained HTML report.

One module per concern:

* :mod:`~model.outputs.targets`: the target table (distribution over seeds, comparisons) and its CSV;
* :mod:`~model.outputs.atomic`: atomic folders (complete or absent) and where one may be written;
* :mod:`~model.outputs.provenance`: what a folder records to be repeated exactly;
* :mod:`~model.outputs.manifest`: manifest.json, every file's SHA-256: changed or foreign files;
* :mod:`~model.outputs.netcdf`: the netCDF files, written labelled and read back only whole;
* :mod:`~model.outputs.figures`, :mod:`~model.outputs.report`: the figures and the HTML report;
* :mod:`~model.outputs.console`: the tables printed on a terminal;
* :mod:`~model.outputs.results`: a run's and a comparison's folder, assembled from those parts;
* :mod:`~model.outputs.commands`: `kunshan verify` and `kunshan export`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.lazy import lazy_names

if TYPE_CHECKING:  # for type checkers and readers; at run time each name is imported when first used
    from model.outputs.atomic import WriteError, atomic_file, atomic_folder, check_destination
    from model.outputs.console import comparison_lines, pairing_lines, plain_number, summary_lines
    from model.outputs.manifest import check_intact, mismatch
    from model.outputs.netcdf import differences, open_results, open_run
    from model.outputs.provenance import RESULTS_FORMAT, code_digest, reproducible_scenario
    from model.outputs.results import RUN_FILES, write_comparison, write_results
    from model.outputs.targets import (
        COMPARE_COLUMNS,
        TARGET_COLUMNS,
        compare_rows,
        load_targets,
        target_rows,
        write_csv,
    )

# Imported lazily: `kunshan --version` and every command import this package (for WriteError), and
# model.outputs.netcdf alone imports xarray and pandas (0.3 s of start-up).
_HOMES = {
    "WriteError": "model.outputs.atomic",
    "atomic_file": "model.outputs.atomic",
    "atomic_folder": "model.outputs.atomic",
    "check_destination": "model.outputs.atomic",
    "comparison_lines": "model.outputs.console",
    "pairing_lines": "model.outputs.console",
    "plain_number": "model.outputs.console",
    "summary_lines": "model.outputs.console",
    "check_intact": "model.outputs.manifest",
    "mismatch": "model.outputs.manifest",
    "differences": "model.outputs.netcdf",
    "open_results": "model.outputs.netcdf",
    "open_run": "model.outputs.netcdf",
    "RESULTS_FORMAT": "model.outputs.provenance",
    "code_digest": "model.outputs.provenance",
    "reproducible_scenario": "model.outputs.provenance",
    "RUN_FILES": "model.outputs.results",
    "write_comparison": "model.outputs.results",
    "write_results": "model.outputs.results",
    "COMPARE_COLUMNS": "model.outputs.targets",
    "TARGET_COLUMNS": "model.outputs.targets",
    "compare_rows": "model.outputs.targets",
    "load_targets": "model.outputs.targets",
    "target_rows": "model.outputs.targets",
    "write_csv": "model.outputs.targets",
}

__getattr__, __dir__ = lazy_names(__name__, _HOMES)  # each name imported on first use (model/lazy.py)


__all__ = [
    "COMPARE_COLUMNS",
    "RESULTS_FORMAT",
    "RUN_FILES",
    "TARGET_COLUMNS",
    "WriteError",
    "atomic_file",
    "atomic_folder",
    "check_destination",
    "check_intact",
    "code_digest",
    "compare_rows",
    "comparison_lines",
    "differences",
    "load_targets",
    "mismatch",
    "open_results",
    "open_run",
    "pairing_lines",
    "plain_number",
    "reproducible_scenario",
    "summary_lines",
    "target_rows",
    "write_comparison",
    "write_csv",
    "write_results",
]
