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

from model.lazy import lazy_names

# Imported lazily: `kunshan --version` and every command import this package (for WriteError), and
# model.outputs.netcdf alone imports xarray and pandas (0.3 s of start-up).
_MODULES = {
    "model.outputs.atomic": ("WriteError", "atomic_file", "atomic_folder", "check_destination"),
    "model.outputs.console": ("comparison_lines", "pairing_lines", "plain_number", "summary_lines"),
    "model.outputs.manifest": ("check_intact", "mismatch"),
    "model.outputs.netcdf": ("differences", "open_results", "open_run"),
    "model.outputs.provenance": ("RESULTS_FORMAT", "code_digest", "reproducible_scenario"),
    "model.outputs.results": ("RUN_FILES", "write_comparison", "write_results"),
    "model.outputs.targets": (
        "COMPARE_COLUMNS",
        "TARGET_COLUMNS",
        "compare_rows",
        "load_targets",
        "target_rows",
        "write_csv",
    ),
}

__getattr__, __dir__, __all__ = lazy_names(__name__, _MODULES)  # each name imported on first use
