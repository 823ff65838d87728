"""Print the calibration's fit table, and check it on seeds the fit never saw.

    python experiments/calibration_fit.py                  # the table stored in calibrated.toml
    python experiments/calibration_fit.py --check 20       # re-simulate at the fit with 20 fresh seeds
    python experiments/calibration_fit.py --sensitivity    # d(moment)/d(quantity), one step each

The fresh-seed check guards against overfitting the common random numbers of the fit (a fit that
only holds for its own seeds is noise); the sensitivity table shows which quantity each moment
identifies (a row of zeros is a quantity the moments cannot pin down).
"""

from __future__ import annotations

import argparse
import tomllib
from importlib import resources

from model.calibration import moments, msm
from model.calibration.cli import fit_lines


def stored() -> dict:
    path = resources.files("model.data").joinpath("calibrated.toml")
    if not path.is_file():
        raise SystemExit("model/data/calibrated.toml is missing: run `kunshan calibrate` first")
    return tomllib.loads(path.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=int, metavar="N", help="re-simulate with N seeds not used by the fit")
    parser.add_argument("--sensitivity", action="store_true", help="one-step sensitivity of every moment")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data = stored()
    print(
        f"calibrated {data['date']}: {data['seeds']} seeds, scale {data['scale']}, root seed {data['root_seed']}, "
        f"{data['evaluations']} evaluations, J {data['start_objective']:.2f} -> {data['objective']:.2f}"
    )
    print("\n".join(f"  {k} = {v:.6g}" for k, v in {**data["parameters"], **data["scenario"]}.items()))
    print("\n".join(fit_lines(data["fit"])))
    theta = {**data["parameters"], **data["scenario"]}
    scenario = moments.history_scenario()  # what the fit simulates: the end of 2020 through 2022
    if args.check:
        fresh = tuple(range(1000, 1000 + args.check))  # disjoint from the fit's seeds 0..N-1
        with msm.Evaluator(scenario, fresh, data["scale"], args.workers) as ev:
            print(f"\nsame parameters, {args.check} fresh seeds:")
            print("\n".join(fit_lines(ev.fit_table(theta))))
    if args.sensitivity:
        seeds = tuple(range(data["seeds"]))
        with msm.Evaluator(scenario, seeds, data["scale"], args.workers) as ev:
            base = ev.simulate(theta)
            names = [m.name for m in ev.moments]
            print("\nsensitivity: change of each moment (in tolerances) for one step of each quantity")
            print(f"{'quantity (step)':34s}" + "".join(f"{n[:10]:>11s}" for n in names))
            for q, step in msm.FITTED.items():
                moved = ev.simulate({**theta, q: theta[q] + step})
                print(
                    f"{q + f' ({step:g})':34s}"
                    + "".join(f"{(moved[m.name] - base[m.name]) / m.tolerance:11.2f}" for m in ev.moments)
                )


if __name__ == "__main__":
    main()
