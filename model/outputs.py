"""Results folders: netCDF data, the target table, figures and one self-contained HTML report.

A results folder is either complete or absent. Everything is written into a hidden sibling folder
and moved into place at the very end, so an interrupted run never leaves a half-written folder
that a later `kunshan compare` would read as if it were whole, and an earlier result with the same
name survives until the new one is complete.

A folder carries its provenance (scenario text with every parameter value, root seed, versions,
a digest of the model's code and data, and RESULTS_FORMAT) in the netCDF attributes and as
`scenario.toml`, so that `kunshan reproduce` (or `kunshan run scenario.toml`) repeats it exactly.
Folders are read back only through :func:`open_results`, which refuses anything it did not write
whole, in this format, in one line.

Figures use matplotlib's object API (no pyplot): no global state, no display needed.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import errno
import html
import io
import os
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import numpy as np
import xarray as xr

import model
from model.config import ConfigError, to_toml
from model.digest import code_digest
from model.scenario import Scenario
from model.targets import load_targets
from model.variables import ANNUAL, MONTHLY

TARGET_COLUMNS = ("id", "label_zh", "label_en", "year", "target", "comparison", "unit",
                  "mean", "p05", "p50", "p95", "prob_met")
COMPARE_COLUMNS = ("id", "label_zh", "label_en", "year", "unit", "comparison", "target", "reference",
                   "scenario", "mean_reference", "mean_scenario", "prob_met_reference", "prob_met_scenario",
                   "method", "n", "diff_mean", "diff_p05", "diff_p95")
RUN_FILES = ("annual.nc", "monthly.nc", "targets.csv", "report.html", "scenario.toml")
# Version of the layout of a results folder (files, dimensions, attributes). Bump it when a change
# would make an older folder read wrongly; open_results refuses folders of another version.
RESULTS_FORMAT = 2  # 2: the industries' statistics count above-scale firms (cluster_output_above_scale)
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class WriteError(Exception):
    """Writing a results folder failed for a reason outside the user's input (a full disk): one
    line naming the folder; the partial folder is already removed."""
TIER_TARGETS = {"ge_1000_yi": "firms_revenue_ge_1000_yi", "100_to_1000_yi": "firms_revenue_100_to_1000_yi",
                "10_to_100_yi": "firms_revenue_10_to_100_yi"}


# --- statistics over seeds

def _at_year(annual: xr.Dataset, name: str, year: int) -> np.ndarray | None:
    """The seeds' values of a variable in a year, or None when the run does not reach it."""
    if name not in annual or year not in annual["year"].values:
        return None
    return np.asarray(annual[name].sel(year=year).values, dtype=float).ravel()


def target_rows(annual: xr.Dataset) -> list[dict]:
    """One row per target: distribution over seeds in the target year and the share of seeds meeting it."""
    rows = []
    for t in load_targets():
        values = _at_year(annual, t.id, t.year)
        row = {"id": t.id, "label_zh": t.label_zh, "label_en": t.label_en, "year": t.year,
               "target": t.value, "comparison": t.comparison, "unit": t.unit}
        if values is None or np.isnan(values).all():
            row.update(mean=np.nan, p05=np.nan, p50=np.nan, p95=np.nan, prob_met=np.nan)
        else:
            p05, p50, p95 = np.nanpercentile(values, [5, 50, 95])
            row.update(mean=float(np.nanmean(values)), p05=p05, p50=p50, p95=p95,
                       prob_met=float(np.mean(t.met(values))))
        rows.append(row)
    return rows


def compare_rows(runs: Sequence[tuple[str, xr.Dataset]]) -> list[dict]:
    """Each run against the first, per target.

    Runs that share root_seed and seeds drew the same random numbers, so per-seed differences
    remove the noise both share (common random numbers); otherwise every pair of seeds is compared.
    """
    (ref_label, ref), rows = runs[0], []
    for label, other in runs[1:]:
        for t in load_targets():
            a, b, paired = _paired_or_all(ref, other, t.id, t.year)
            row = {"id": t.id, "label_zh": t.label_zh, "label_en": t.label_en, "year": t.year,
                   "unit": t.unit, "comparison": t.comparison, "target": t.value,
                   "reference": ref_label, "scenario": label}
            for side, data in (("reference", ref), ("scenario", other)):
                values = _at_year(data, t.id, t.year)
                ok = values is not None and not np.isnan(values).all()
                row[f"mean_{side}"] = float(np.nanmean(values)) if ok else np.nan
                row[f"prob_met_{side}"] = float(np.mean(t.met(values))) if ok else np.nan
            if a is None:
                row.update(method="", n=0, diff_mean=np.nan, diff_p05=np.nan, diff_p95=np.nan)
            else:
                diff = b - a if paired else (b[None, :] - a[:, None]).ravel()
                row.update(method="paired" if paired else "independent", n=diff.size,
                           diff_mean=float(np.nanmean(diff)), diff_p05=float(np.nanpercentile(diff, 5)),
                           diff_p95=float(np.nanpercentile(diff, 95)))
            rows.append(row)
    return rows


def _common_seeds(a: xr.Dataset, b: xr.Dataset) -> list:
    if a.attrs.get("root_seed") != b.attrs.get("root_seed"):
        return []
    return sorted(set(a["seed"].values.tolist()) & set(b["seed"].values.tolist()))


def _paired_or_all(a: xr.Dataset, b: xr.Dataset, name: str, year: int):
    """(reference values, scenario values, paired?) of a target; paired values are in seed order."""
    if _at_year(a, name, year) is None or _at_year(b, name, year) is None:
        return None, None, False
    common = _common_seeds(a, b)
    if common:
        return _at_year(a.sel(seed=common), name, year), _at_year(b.sel(seed=common), name, year), True
    return _at_year(a, name, year), _at_year(b, name, year), False


# --- the folder

def check_destination(folder: str | Path, key: str = "--out") -> Path:
    """Refuse, before any work, to replace a folder that is not an earlier kunshan result."""
    folder = Path(folder)
    if folder.exists():
        ours = folder.is_dir() and ((folder / "report.html").is_file()
                                    and any((folder / f).is_file() for f in ("annual.nc", "compare.csv")))
        if folder.is_dir() and not ours and any(folder.iterdir()):
            raise ConfigError("command line", key, "a new folder or an earlier kunshan results folder "
                              "(it is replaced); this folder holds other files", str(folder))
        if not folder.is_dir():
            raise ConfigError("command line", key, "a folder path; this is a file", str(folder))
    ancestor = next(p for p in (folder.absolute(), *folder.absolute().parents) if p.exists())
    if not (ancestor.is_dir() and os.access(ancestor, os.W_OK | os.X_OK)):
        raise ConfigError("command line", key, f"a folder you may write; {ancestor} is not writable", str(folder))
    return folder


def _disk_full(err: BaseException) -> bool:
    """HDF5 reports a full disk inside its own message, without an errno; plain writes set errno."""
    return isinstance(err, OSError) and (err.errno in _DISK_FULL or any(
        os.strerror(code) in str(err) for code in _DISK_FULL))


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then act on them as usual.

    An interrupt inside h5netcdf's file set-up leaves a half-built object whose finaliser later
    prints a traceback; a netCDF write takes a second at most, so it is let finish and the
    interrupt then unwinds as always (the partial folder is removed).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])


def _to_netcdf(ds: xr.Dataset, path: Path) -> None:
    with _signals_deferred():
        ds.to_netcdf(path, engine="h5netcdf")


@contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """A temporary sibling to fill; it becomes `target` only if the block finishes. Parent folders
    it had to create are removed again if it does not (when still empty): nothing is left."""
    target = Path(target)
    created = [parent for parent in target.absolute().parents if not parent.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir()  # not mkdtemp: the result should get the user's usual permissions
    try:
        yield partial
        _swap_in(partial, target)
    except BaseException as err:
        shutil.rmtree(partial, ignore_errors=True)
        for parent in created:  # deepest first
            try:
                parent.rmdir()
            except OSError:  # no longer empty: someone else wrote there meanwhile
                break
        if _disk_full(err):
            raise WriteError(f"{target}: the disk is full (no space left on device or quota exceeded); "
                             "nothing was written") from None
        raise


def _swap_in(partial: Path, target: Path) -> None:
    if not target.exists():
        os.replace(partial, target)
        return
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.replace(target, retired)
    try:
        os.replace(partial, target)
    except BaseException:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _provenance(scenario: Scenario) -> dict:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"scenario_name": scenario.name, "scenario": scenario.source_text, "root_seed": scenario.root_seed,
            "parameters": _toml_parameters(scenario), "results_format": RESULTS_FORMAT,
            "kunshan_version": model.__version__, "code_digest": code_digest(),
            "created_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "numpy_version": np.__version__, "mesa_version": version("mesa"), "xarray_version": xr.__version__,
            "h5netcdf_version": version("h5netcdf")}


def reproducible_scenario(scenario: Scenario) -> Scenario:
    """The scenario with every parameter written out, calibrated ones included.

    The scenario text alone names only what differs from the defaults, and the defaults move when
    `kunshan calibrate` rewrites calibrated.toml; with every value written out, running this
    scenario repeats the run whatever the calibration is by then.
    """
    import dataclasses

    from model.params import default_parameters

    full = default_parameters().with_overrides(scenario.parameters).as_dict()
    pinned = dataclasses.replace(scenario, parameters=full)
    return dataclasses.replace(pinned, source_text=to_toml(pinned))


def _toml_parameters(scenario: Scenario) -> str:
    text = reproducible_scenario(scenario).source_text
    return text[text.index("[parameters]"):].split("\n\n")[0] + "\n"


def _labelled(ds: xr.Dataset, table: dict, provenance: dict) -> xr.Dataset:
    """Every variable carries units and long_name, even one the model forgot to label."""
    ds = ds.copy()
    for name, var in ds.data_vars.items():
        known = table.get(name)
        var.attrs.setdefault("units", known.unit if known else "1")
        var.attrs.setdefault("long_name", known.long_name if known else name.replace("_", " "))
    ds.attrs = {**ds.attrs, **provenance}
    return ds


def write_results(folder: str | Path, scenario: Scenario, annual: xr.Dataset, monthly: xr.Dataset,
                  firms: xr.Dataset | None = None) -> Path:
    """A complete results folder for one scenario run over seeds (and, if given, the firm
    snapshots of its first seed as firms.nc)."""
    provenance = _provenance(scenario)
    annual, monthly = _labelled(annual, ANNUAL, provenance), _labelled(monthly, MONTHLY, provenance)
    rows = target_rows(annual)
    figures = {"targets": targets_figure([(scenario.name, annual)]), "clusters": clusters_figure(annual),
               "incomes": incomes_figure(annual), "firm_tiers": tiers_figure(annual),
               "lorenz": lorenz_figure(annual)}
    with atomic_folder(folder) as tmp:
        _to_netcdf(annual, tmp / "annual.nc")
        _to_netcdf(monthly, tmp / "monthly.nc")
        if firms is not None:
            firms.attrs.update(provenance)
            _to_netcdf(firms, tmp / "firms.nc")
        _write_csv(tmp / "targets.csv", TARGET_COLUMNS, rows)
        (tmp / "scenario.toml").write_text(
            "# The scenario exactly as run, every parameter written out: `kunshan run scenario.toml`\n"
            "# (or `kunshan reproduce` on this folder) repeats it.\n" + reproducible_scenario(scenario).source_text,
            encoding="utf-8")
        pngs = _save_figures(tmp / "figures", figures)
        body = (_section("Targets", _table(rows, TARGET_COLUMNS[1:])) + _figures_html(pngs)
                + _section("Scenario (TOML, extends resolved)", f"<pre>{html.escape(scenario.source_text)}</pre>"))
        _write_html(tmp / "report.html", f"Kunshan scenario: {scenario.name}", scenario.description,
                    provenance, body)
    return Path(folder)


def open_results(folder: str | Path) -> tuple[xr.Dataset, xr.Dataset]:
    """(annual, monthly) of an earlier run, read fully into memory, or ConfigError in one line.

    The one door through which results folders come back in (compare, validate, reproduce): a
    missing or truncated file, a folder of another format version or one missing its provenance
    is refused here rather than read as if it were whole. netCDF only: nothing is executed or
    unpickled.
    """
    folder = Path(folder)
    expected = f"a results folder written by 'kunshan run' (format {RESULTS_FORMAT})"
    if not folder.is_dir():
        raise ConfigError(folder, None, expected, "no such folder")
    data = []
    for name, dims in (("annual.nc", ("seed", "year")), ("monthly.nc", ("seed", "time"))):
        path = folder / name
        if not path.is_file():
            raise ConfigError(folder, None, expected, f"{name} is missing")
        try:
            with xr.open_dataset(path, engine="h5netcdf") as ds:
                ds = ds.load()
        except Exception as err:  # any failure to read means the file is not what we wrote
            raise ConfigError(path, None, "a complete netCDF file written by 'kunshan run'",
                              f"{type(err).__name__}: {err}") from None
        found = ds.attrs.get("results_format")
        if found is None or str(found) != str(RESULTS_FORMAT):
            written = ds.attrs.get("kunshan_version", "an older version")
            raise ConfigError(path, "results_format", f"results format {RESULTS_FORMAT} (kunshan {model.__version__}); "
                              f"this folder was written by kunshan {written}: run its scenario.toml again",
                              "none" if found is None else found)
        missing = [d for d in dims if d not in ds.dims] + [k for k in ("scenario", "root_seed") if k not in ds.attrs]
        if missing:
            raise ConfigError(path, None, expected, f"no {', '.join(missing)}")
        data.append(ds)
    return data[0], data[1]


def open_run(folder: str | Path) -> xr.Dataset:
    """The annual results of an earlier run (see open_results for the checks)."""
    return open_results(folder)[0]


def write_comparison(folder: str | Path, runs: Sequence[tuple[str, xr.Dataset]]) -> tuple[Path, list[dict]]:
    rows = compare_rows(runs)
    figures = {"targets_overlay": targets_figure(runs), "differences": differences_figure(runs)}
    provenance = {"kunshan_version": model.__version__,
                  "created_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "runs": ", ".join(label for label, _ in runs)}
    with atomic_folder(folder) as tmp:
        _write_csv(tmp / "compare.csv", COMPARE_COLUMNS, rows)
        pngs = _save_figures(tmp / "figures", figures)
        shown = ("label_zh", "label_en", "year", "scenario", "mean_reference", "mean_scenario",
                 "method", "diff_mean", "diff_p05", "diff_p95")
        _write_html(tmp / "report.html", "Kunshan scenario comparison",
                    f"Each scenario against {runs[0][0]}; differences are scenario minus reference.",
                    provenance, _section("Target differences", _table(rows, shown)) + _figures_html(pngs))
    return Path(folder), rows


def _write_csv(path: Path, columns: Sequence[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(row[k]) for k in columns})


def _csv_value(value):
    if isinstance(value, (float, np.floating)):
        return "" if np.isnan(value) else format(float(value), ".10g")
    return value


# --- figures

def _figure(rows: int = 1, cols: int = 1, size=(8, 5)):
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.subplots(rows, cols, squeeze=False)


def _band(ax, x, values: xr.DataArray, label: str, integer_x: bool = True) -> None:
    """Mean over seeds with the p05-p95 band: the spread the random draws alone produce."""
    from matplotlib.ticker import MaxNLocator

    data = np.asarray(values.transpose("seed", ...).values, dtype=float)
    lo, hi = np.nanpercentile(data, [5, 95], axis=0)
    line, = ax.plot(x, np.nanmean(data, axis=0), label=label)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    if integer_x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _mark_target(ax, t: dict) -> None:
    ax.axhline(t.value, color="black", linestyle=":", linewidth=1)
    ax.plot([t.year], [t.value], marker="*", markersize=12, color="crimson", linestyle="none",
            label=f"target {t.comparison} {t.value:g} ({t.year})")


def _target_panels():
    """A grid with one panel per target (spare panels hidden)."""
    targets, cols = load_targets(), 4
    rows = -(-len(targets) // cols)
    fig, axes = _figure(rows, cols, size=(18, 4 * rows))
    for ax in axes.flat[len(targets):]:
        ax.set_visible(False)
    return fig, list(zip(axes.flat, targets))


def _title(ax, t: dict) -> None:
    ax.set_title(t.label_en, fontsize=9, wrap=True)
    ax.set_ylabel(t.unit)
    ax.legend(fontsize=7)


def targets_figure(runs: Sequence[tuple[str, xr.Dataset]]):
    """One panel per target: every run's trajectory and seed band, the target value and its year."""
    fig, panels = _target_panels()
    for ax, t in panels:
        for label, annual in runs:
            if t.id in annual:
                _band(ax, annual["year"].values, annual[t.id], label)
        _mark_target(ax, t)
        _title(ax, t)
    return fig


def differences_figure(runs: Sequence[tuple[str, xr.Dataset]]):
    """Per target, scenario minus reference by year; paired by seed where the runs share seeds."""
    fig, panels = _target_panels()
    ref_label, ref = runs[0]
    for ax, t in panels:
        for label, other in runs[1:]:
            if t.id not in ref or t.id not in other:
                continue
            years = np.intersect1d(ref["year"].values, other["year"].values)
            a, b = ref[t.id].sel(year=years), other[t.id].sel(year=years)
            common = _common_seeds(ref, other)
            if common:
                _band(ax, years, b.sel(seed=common) - a.sel(seed=common), f"{label} - {ref_label} (paired)")
            else:
                ax.plot(years, b.mean("seed") - a.mean("seed"), label=f"{label} - {ref_label} (means)")
        ax.axhline(0, color="black", linewidth=0.8)
        _title(ax, t)
    return fig


def _missing(ax, name: str) -> None:
    ax.text(0.5, 0.5, f"variable '{name}' not in the outputs", ha="center", va="center", transform=ax.transAxes)


def clusters_figure(annual: xr.Dataset):
    fig, axes = _figure(size=(11, 6))
    ax = axes[0, 0]
    if "cluster_output" not in annual:
        _missing(ax, "cluster_output")
        return fig
    for cluster in annual["cluster"].values:
        _band(ax, annual["year"].values, annual["cluster_output"].sel(cluster=cluster), str(cluster))
    ax.set_yscale("log")
    ax.set_ylabel(annual["cluster_output"].attrs.get("units", ""))
    ax.set_title("Gross output by industry cluster (mean, p05-p95 over seeds)")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def incomes_figure(annual: xr.Dataset):
    fig, axes = _figure(1, 2, size=(13, 5))
    targets = {t.id: t for t in load_targets()}
    left, right = axes[0]
    for name, label in (("urban_disposable_income_per_capita", "urban"),
                        ("rural_disposable_income_per_capita", "rural"),
                        ("disposable_income_per_capita", "all residents")):
        if name in annual:
            _band(left, annual["year"].values, annual[name], label)
            if name in targets:
                left.plot([targets[name].year], [targets[name].value], marker="*", markersize=12,
                          linestyle="none", color=left.lines[-1].get_color(), label=f"target, {label}")
    left.set_title("Per-capita disposable income")
    left.set_ylabel("yuan")
    left.legend(fontsize=8)
    ratio = "urban_rural_income_ratio"
    if ratio in annual:
        _band(right, annual["year"].values, annual[ratio], "urban / rural")
        _mark_target(right, targets[ratio])
        right.legend(fontsize=8)
    else:
        _missing(right, ratio)
    right.set_title("Urban to rural income ratio")
    return fig


def tiers_figure(annual: xr.Dataset):
    fig, axes = _figure(size=(10, 6))
    ax = axes[0, 0]
    if "firms_by_tier" not in annual:
        _missing(ax, "firms_by_tier")
        return fig
    targets = {t.id: t for t in load_targets()}
    for tier in annual["tier"].values:
        _band(ax, annual["year"].values, annual["firms_by_tier"].sel(tier=tier), f"{tier}")
        if str(tier) in TIER_TARGETS:
            t = targets[TIER_TARGETS[str(tier)]]
            ax.plot([t.year], [t.value], marker="*", markersize=12, linestyle="none",
                    color=ax.lines[-1].get_color())
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylabel("enterprises")
    ax.set_title("Enterprises by revenue tier (bands; stars: 2025 targets)")
    ax.legend(fontsize=8)
    return fig


def lorenz_figure(annual: xr.Dataset):
    """The Lorenz curve of the last year when the model reports one; else the Gini over time."""
    fig, axes = _figure(size=(7, 6))
    ax = axes[0, 0]
    if "income_lorenz" in annual and "lorenz_point" in annual["income_lorenz"].dims:
        last = annual["income_lorenz"].isel(year=-1)
        points = annual["lorenz_point"].values
        _band(ax, points, last, f"{int(annual['year'].values[-1])}", integer_x=False)
        ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8, label="equality")
        gini = ""
        if "income_gini" in annual:
            gini = f", Gini {float(annual['income_gini'].isel(year=-1).mean()):.3f}"
        ax.set_title(f"Lorenz curve of household per-capita disposable income{gini}")
        ax.set_xlabel("share of persons, poorest first")
        ax.set_ylabel("share of income")
        ax.legend(fontsize=8)
    elif "income_gini" in annual:
        _band(ax, annual["year"].values, annual["income_gini"], "Gini")
        ax.set_title("Gini of household per-capita disposable income (no Lorenz curve in the outputs)")
    else:
        _missing(ax, "income_lorenz")
    return fig


def _save_figures(folder: Path, figures: dict) -> dict[str, bytes]:
    folder.mkdir()
    pngs = {}
    for name, fig in figures.items():
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        pngs[name] = buffer.getvalue()
        (folder / f"{name}.png").write_bytes(pngs[name])
    return pngs


# --- the HTML report: one file, nothing fetched from anywhere

_STYLE = """body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td.t,th{text-align:left}
.met{background:#d9f2d9}.mixed{background:#fff3cd}.missed{background:#f8d7da}img{max-width:100%}
pre{background:#f6f6f6;padding:1em;font-size:12px}dl{font-size:13px}dt{font-weight:bold}"""


def _format(value) -> str:
    if isinstance(value, (float, np.floating, int, np.integer)) and not isinstance(value, bool):
        return "–" if np.isnan(float(value)) else plain_number(value)
    return html.escape(str(value))


def _table(rows: list[dict], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        share = row.get("prob_met", row.get("prob_met_scenario", np.nan))
        css = "" if np.isnan(share) else "met" if share >= 0.9 else "missed" if share <= 0.1 else "mixed"
        cells = "".join(f'<td class="{"t" if isinstance(row[c], str) else ""}">{_format(row[c])}</td>'
                        for c in columns)
        body.append(f'<tr class="{css}">{cells}</tr>')
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _section(title: str, content: str) -> str:
    return f"<h2>{html.escape(title)}</h2>\n{content}\n"


def _figures_html(pngs: dict[str, bytes]) -> str:
    return _section("Figures", "".join(
        f'<h3>{html.escape(name.replace("_", " "))}</h3><img alt="{html.escape(name)}" '
        f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">' for name, png in pngs.items()))


def _write_html(path: Path, title: str, subtitle: str, provenance: dict, body: str) -> None:
    facts = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>"
                    for k, v in provenance.items() if k != "scenario")
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>"
        f"<dl>{facts}</dl>{body}</body></html>\n", encoding="utf-8")


def summary_lines(rows: list[dict]) -> list[str]:
    """The target table for a terminal: one screen, English ids (terminals vary in CJK support)."""
    lines = [f"{'target':<40} {'year':>4} {'goal':>12} {'mean':>12} {'p05-p95':>25} {'P(met)':>6}"]
    for r in rows:
        goal = f"{r['comparison']} {r['target']:g}"
        spread = f"{plain_number(r['p05'])}-{plain_number(r['p95'])}"
        prob = "n/a" if np.isnan(r["prob_met"]) else f"{r['prob_met']:.0%}"
        lines.append(f"{r['id'][:40]:<40} {r['year']:>4} {goal:>12} {plain_number(r['mean']):>12} {spread:>25} {prob:>6}")
    return lines


def comparison_lines(rows: list[dict]) -> list[str]:
    lines = [f"{'target':<40} {'scenario':<22} {'diff mean':>12} {'diff p05..p95':>27} {'method':>11}"]
    for r in rows:
        spread = f"{plain_number(r['diff_p05'])}..{plain_number(r['diff_p95'])}"
        lines.append(f"{r['id'][:40]:<40} {r['scenario'][:22]:<22} {plain_number(r['diff_mean']):>12} "
                     f"{spread:>27} {r['method']:>11}")
    return lines


def plain_number(value: float) -> str:
    value = float(value)
    if np.isnan(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
