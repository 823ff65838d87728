"""What ``kunshan optimise`` writes: solution.toml, pareto.csv, evaluations.csv, verification.csv,
figures/cost_vs_probability.png and README.md, and the lines it prints."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.optimise.evaluate import Evaluation, candidate_policies, candidate_scenario
from model.optimise.problem import Problem
from model.optimise.search import SearchResult, objective_key, pareto_front
from model.policy import LEVERS

FIGURE = "figures/cost_vs_probability.png"
FIGURE_DESCRIPTION = (
    "Every evaluated mix of levers: its mean budget cost over the run (yi yuan) against the share "
    "of the search's seeds meeting every chosen target; the non-dominated front as a line, the "
    "required probability dashed, the winner (or best found) starred and its result on fresh "
    "seeds as a hollow diamond. Right: how many targets each mix meets on its own with the required "
    "probability."
)


def _period(problem: Problem) -> str:
    first, last = problem.base.start[:4], problem.base.horizon[:4]
    return f"in {first}" if first == last else f"over {first}-{last}"


def _all(problem: Problem) -> str:
    n = len(problem.targets)
    return "the target" if n == 1 else f"all {n} targets"


def columns(problem: Problem, all_points: bool = False) -> list[str]:
    cols = ["evaluation", "cost", "p_all", "shortfall"]
    cols += [f"p_met_{t.id}" for t in problem.targets]
    cols += [lever.label for lever in problem.levers]
    if all_points:
        cols += ["feasible", "on_front", "stage"]
    return cols


def rows(problem: Problem, result: SearchResult) -> tuple[list[dict], list[int]]:
    """(one row per evaluated mix, the indices of the front)."""
    evs = result.evaluations
    front = pareto_front([e.mean_cost for e in evs], [e.p_all(problem.targets) for e in evs])
    on_front = set(front)
    out = []
    for i, (ev, stage) in enumerate(zip(evs, result.stages)):
        row = {
            "evaluation": i,
            "cost": ev.mean_cost,
            "p_all": ev.p_all(problem.targets),
            "shortfall": ev.shortfall(problem.targets),
        }
        row.update({f"p_met_{t.id}": p for t, p in zip(problem.targets, ev.p_met(problem.targets))})
        row.update({lever.label: size for lever, size in zip(problem.levers, ev.sizes)})
        row.update(feasible=int(objective_key(ev, problem)[0] == 0), on_front=int(i in on_front), stage=stage)
        out.append(row)
    return out, front


def solution_text(problem: Problem, result: SearchResult) -> str:
    """A scenario file `kunshan run` accepts: the base scenario with the winner's policies."""
    from model.config import to_toml, toml_table

    best = result.evaluations[result.best]
    _, policies = candidate_policies(problem, best.unit)
    name = f"{problem.name}_solution"
    head = [
        f"# Written by kunshan optimise from {problem.path.name}: {statement(problem, result)[0]}",
        f"# Search: {len(problem.seeds)} seeds at scale {problem.scale:g}, {len(result.evaluations)} mixes; "
        f"cost = the policies' budget cost {_period(problem)}, yi yuan, mean over seeds.",
        "",
    ]
    if problem.extends is None:  # the user's own base scenario: written out whole
        scenario = candidate_scenario(problem, best.unit, name=name)
        return "\n".join(head) + to_toml(scenario)
    top = {
        "extends": problem.extends,
        "name": name,
        "description": f"{problem.description or problem.name}: the mix kunshan optimise found",
        "horizon": problem.base.horizon,
        "root_seed": problem.base.root_seed,
    }
    lines = head + toml_table(top)
    for p in policies:
        fields = {"lever": p.lever, "target": p.target, "start": p.start, "end": p.end, "size": p.size}
        lines += ["", "[[policies]]", *toml_table(fields)]
    if not policies:
        lines += ["", "# Every lever at zero: the base scenario as it is already meets the requirement."]
    return "\n".join(lines) + "\n"


def statement(problem: Problem, result: SearchResult) -> list[str]:
    """The answer in plain words, first line first."""
    best, verify = result.evaluations[result.best], result.verification
    req = problem.probability
    p_search = best.p_all(problem.targets)
    cap = "" if problem.budget_cap is None else f" and the budget cap of {problem.budget_cap:,.1f} yi yuan"
    lines = []
    if result.feasible(problem):
        lines.append(
            f"cheapest mix found that meets {_all(problem)} with P >= {req:.0%} within the bounds{cap}: cost "
            f"{best.mean_cost:,.1f} yi yuan {_period(problem)}, P(all met) {p_search:.0%} on the "
            f"search's {len(problem.seeds)} seeds"
        )
    else:
        highest = max(e.p_all(problem.targets) for e in result.evaluations)
        lines.append(
            f"no evaluated mix within the bounds{cap} reaches P({_all(problem)} met) >= {req:.0%} "
            f"({len(result.evaluations)} mixes on {len(problem.seeds)} seeds; the highest P(all met) "
            f"found is {highest:.0%}); best found: cost {best.mean_cost:,.1f} yi yuan "
            f"{_period(problem)}, P(all met) {p_search:.0%}"
        )
        short = [t.id for t, p in zip(problem.targets, best.p_met(problem.targets)) if p < req]
        if short:
            lines.append(f"held back by: {', '.join(short)} (P(met) below {req:.0%} at the best found)")
    if verify is not None:
        p_verify = verify.p_all(problem.targets)
        lines.append(
            f"verified on {len(problem.verify_seeds)} fresh seeds: P(all met) {p_verify:.0%}, cost "
            f"{verify.mean_cost:,.1f} yi yuan"
        )
        if result.feasible(problem) and p_verify < req:
            lines.append(
                f"on fresh seeds it falls short of {req:.0%}: the search's seeds flattered it (a mix "
                "picked as the cheapest that passes is picked partly for luck); more seeds or a margin "
                "above the required probability would tell"
            )
    return lines


def lever_lines(problem: Problem, best: Evaluation) -> list[str]:
    out = []
    for lever, size in zip(problem.levers, best.sizes):
        window = f"from {lever.start}" + (f" to {lever.end}" if lever.end else "")
        out.append(
            f"- {lever.label} = {size:g} ({LEVERS[lever.name].unit}; bounds {lever.low:g}-{lever.high:g}, {window})"
        )
    return out


def markdown(columns_: list[str], table: list[dict]) -> str:
    def cell(v):
        if isinstance(v, float):
            return "" if np.isnan(v) else f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:.4g}"
        return str(v)

    lines = ["| " + " | ".join(columns_) + " |", "|" + " --- |" * len(columns_)]
    lines += ["| " + " | ".join(cell(r[c]) for c in columns_) + " |" for r in table]
    return "\n".join(lines)


def verification_rows(problem: Problem, result: SearchResult) -> list[dict]:
    best, verify = result.evaluations[result.best], result.verification
    out = []
    p_search, p_verify = best.p_met(problem.targets), verify.p_met(problem.targets) if verify else None
    for j, t in enumerate(problem.targets):
        out.append(
            {
                "id": t.id,
                "year": t.year,
                "comparison": t.comparison,
                "target": t.value,
                "unit": t.unit,
                "mean_search": float(np.nanmean(best.values[:, j])),
                "p_met_search": float(p_search[j]),
                "mean_verify": float(np.nanmean(verify.values[:, j])) if verify else np.nan,
                "p_met_verify": float(p_verify[j]) if verify else np.nan,
            }
        )
    out.append(
        {
            "id": "all",
            "year": "",
            "comparison": "",
            "target": np.nan,
            "unit": "",
            "mean_search": np.nan,
            "p_met_search": best.p_all(problem.targets),
            "mean_verify": np.nan,
            "p_met_verify": verify.p_all(problem.targets) if verify else np.nan,
        }
    )
    out.append(
        {
            "id": "cost",
            "year": "",
            "comparison": "",
            "target": np.nan,
            "unit": "yi_yuan",
            "mean_search": best.mean_cost,
            "p_met_search": np.nan,
            "mean_verify": verify.mean_cost if verify else np.nan,
            "p_met_verify": np.nan,
        }
    )
    return out


VERIFY_COLUMNS = [
    "id",
    "year",
    "comparison",
    "target",
    "unit",
    "mean_search",
    "p_met_search",
    "mean_verify",
    "p_met_verify",
]


def figure(problem: Problem, result: SearchResult, front: list[int]):
    from matplotlib.figure import Figure

    evs = result.evaluations
    cost = np.array([e.mean_cost for e in evs])
    p = np.array([e.p_all(problem.targets) for e in evs])
    fig = Figure(figsize=(12, 4.5), layout="constrained")
    ax, right = fig.subplots(1, 2)
    ax.scatter(cost, p, s=18, color="0.6", label="evaluated mixes")
    ax.step(cost[front], p[front], where="post", color="crimson", linewidth=1.5)
    ax.scatter(cost[front], p[front], s=30, color="crimson", label="non-dominated front", zorder=3)
    ax.axhline(
        problem.probability, color="black", linestyle="--", linewidth=1, label=f"required P = {problem.probability:.0%}"
    )
    if problem.budget_cap is not None:
        ax.axvline(problem.budget_cap, color="0.3", linestyle=":", linewidth=1, label="budget cap")

    best = evs[result.best]
    winner = {"marker": "*", "s": 220, "color": "gold", "edgecolor": "black", "zorder": 4}
    winner["label"] = "winner" if result.feasible(problem) else "best found"
    ax.scatter([best.mean_cost], [best.p_all(problem.targets)], **winner)
    if result.verification is not None:
        v, fresh = result.verification, f"same mix, {len(problem.verify_seeds)} fresh seeds"
        ax.scatter(
            [v.mean_cost],
            [v.p_all(problem.targets)],
            marker="D",
            s=60,
            facecolor="none",
            edgecolor="black",
            zorder=4,
            label=fresh,
        )
    ax.set_xlabel(f"budget cost of the policies {_period(problem)} (yi yuan, mean over seeds)")
    ax.set_ylabel(f"P({_all(problem)} met)")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(f"{problem.name}: cost against the probability of meeting every target", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    # Right: how many targets each mix meets on its own with the required probability; this still
    # separates the mixes when P(all met) is zero everywhere.
    count = np.array([int(np.sum(e.p_met(problem.targets) >= problem.probability - 1e-12)) for e in evs])
    right.scatter(cost, count, s=18, color="0.6", label="evaluated mixes")
    right.scatter([best.mean_cost], [count[result.best]], **winner)
    right.axhline(len(problem.targets), color="black", linestyle="--", linewidth=1, label="every target")
    right.set_xlabel(ax.get_xlabel())
    right.set_ylabel(f"targets met with P >= {problem.probability:.0%}, each on its own")
    right.set_ylim(-0.3, len(problem.targets) + 0.3)
    right.yaxis.get_major_locator().set_params(integer=True)
    right.set_title("targets within reach one at a time", fontsize=10)
    right.legend(fontsize=8, loc="best")
    return fig


def readme(problem: Problem, result: SearchResult, front_rows: list[dict], seconds: float, runs: int) -> str:
    best = result.evaluations[result.best]
    said = statement(problem, result)
    cols = ["cost", "p_all"] + [lever.label for lever in problem.levers]
    targets = ", ".join(f"{t.id} {t.comparison} {t.value:g} ({t.year})" for t in problem.targets)
    return "\n".join(
        [
            f"# Policy search: {problem.name}",
            "",
            (problem.description + "\n") if problem.description else "",
            "**" + said[0][0].upper() + said[0][1:] + ".**",
            "",
            *[line[0].upper() + line[1:] + "." for line in said[1:]],
            "",
            "## The mix (`solution.toml`, a scenario `kunshan run` accepts)",
            "",
            *lever_lines(problem, best),
            "",
            "## Each target: on the search's seeds and on fresh seeds (`verification.csv`)",
            "",
            markdown(VERIFY_COLUMNS, verification_rows(problem, result)),
            "",
            "## Cost against P(all met): the non-dominated front (`pareto.csv`)",
            "",
            markdown(cols, front_rows),
            "",
            f"![{FIGURE_DESCRIPTION}]({FIGURE})",
            "",
            "## How it was found",
            "",
            f"Targets: {targets}; required probability {problem.probability:.0%}"
            + (f"; budget cap {problem.budget_cap:,.1f} yi yuan" if problem.budget_cap is not None else "")
            + ".",
            f"Base scenario: {problem.base_name}, {problem.base.start} to {problem.base.horizon}, root seed "
            f"{problem.base.root_seed}. Every mix ran on the same {len(problem.seeds)} seeds (labels 0-"
            f"{len(problem.seeds) - 1}: common random numbers, each seed with its own parameter draw and exogenous "
            f"path) at scale {problem.scale:g}; the winner ran again on {len(problem.verify_seeds)} fresh seeds (labels "
            f"{problem.verify_seeds[0]}-{problem.verify_seeds[-1]}).",
            f"Initial design of {problem.initial} points (every lever at its low bound, every lever at its high bound, "
            f"{problem.initial - 2} {'Latin hypercube' if problem.design == 'lhs' else 'scrambled Sobol'} points), then "
            "a pattern search from the best point; "
            f"{len(result.evaluations)} mixes, {runs} runs, {seconds / 60:.1f} minutes. Method and caveats: docs/optimise.md.",
            "",
        ]
    )


def write(folder: Path, problem: Problem, result: SearchResult, seconds: float, runs: int) -> None:
    from model.outputs.targets import write_csv

    table, front = rows(problem, result)
    front_rows = [table[i] for i in front]
    (folder / "figures").mkdir()
    (folder / "problem.toml").write_text(problem.text, encoding="utf-8")
    (folder / "solution.toml").write_text(solution_text(problem, result), encoding="utf-8")
    write_csv(folder / "pareto.csv", columns(problem), front_rows)
    write_csv(folder / "evaluations.csv", columns(problem, all_points=True), table)
    write_csv(folder / "verification.csv", VERIFY_COLUMNS, verification_rows(problem, result))
    figure(problem, result, front).savefig(folder / FIGURE, dpi=100)
    (folder / "README.md").write_text(readme(problem, result, front_rows, seconds, runs), encoding="utf-8")
