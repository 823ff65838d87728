"""`kunshan run --firm-snapshots`: every firm of the first seed, per year, with stable ids."""

import numpy as np
import xarray as xr

from model.cli import main


def test_firm_snapshots_are_written_and_consistent(tmp_path):
    scenario = tmp_path / "short.toml"
    scenario.write_text('extends = "baseline"\nname = "short"\nhorizon = "2023-12"\nseeds = 1\nscale = 0.004\n')
    out = tmp_path / "run"
    assert main(["run", str(scenario), "--out", str(out), "--firm-snapshots"]) == 0
    firms = xr.open_dataset(out / "firms.nc")
    annual = xr.open_dataset(out / "annual.nc")
    assert list(firms["year"].values) == [2021, 2022, 2023]
    # the tier counts of the annual output are the snapshot's, firm by firm
    for year in (2021, 2022, 2023):
        revenue = firms["revenue"].sel(year=year).values
        alive = firms["alive"].sel(year=year).values.astype(bool)
        weight = firms["weight"].values
        big = np.nansum(weight * (alive & (revenue >= 100.0)))
        expected = annual["firms_revenue_ge_1000_yi"].sel(year=year) + annual["firms_revenue_100_to_1000_yi"].sel(
            year=year
        )
        assert big == expected.item()
    # a firm keeps its cluster and ownership; ids are unique
    assert len(np.unique(firms["firm"].values)) == firms.sizes["firm"]
    assert firms.attrs["seed"] == 0 and "scenario" in firms.attrs
