"""What ``kunshan optimise`` writes: solution.toml, pareto.csv, evaluations.csv, verification.csv,
figures/cost_vs_probability.png and README.md, and the lines it prints; the figure, README.md and
the lines in ``lang`` (en or zh: the words of model/data/labels.toml). solution.toml's comment stays
English: it is a scenario file, and the CSVs keep their ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.optimise.evaluate import Evaluation, candidate_policies, candidate_scenario
from model.optimise.problem import Problem
from model.optimise.search import SearchResult, objective_key, pareto_front
from model.outputs.labels import DEFAULT_LANG, target_label, word
from model.policy import LEVERS

FIGURE = "figures/cost_vs_probability.png"


def _period(problem: Problem, lang: str = DEFAULT_LANG) -> str:
    first, last = problem.base.start[:4], problem.base.horizon[:4]
    return word("opt_in_year" if first == last else "opt_over_years", lang).format(first=first, last=last)


def _all(problem: Problem, lang: str = DEFAULT_LANG) -> str:
    n = len(problem.targets)
    return word("opt_the_target" if n == 1 else "opt_all_targets", lang).format(n=n)


def _target_name(target, lang: str) -> str:
    """A target in prose: its id in English, its label in Chinese."""
    return target.id if lang == "en" else target_label(target, lang)


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


def statement(problem: Problem, result: SearchResult, lang: str = DEFAULT_LANG) -> list[str]:
    """The answer in plain words, first line first."""
    best, verify = result.evaluations[result.best], result.verification
    req = problem.probability
    p_search = best.p_all(problem.targets)
    cap = "" if problem.budget_cap is None else word("opt_cap", lang).format(cap=problem.budget_cap)
    common = {"all": _all(problem, lang), "req": req, "cap": cap, "period": _period(problem, lang)}
    common.update(cost=best.mean_cost, p=p_search, seeds=len(problem.seeds))
    lines = []
    if result.feasible(problem):
        lines.append(word("opt_feasible", lang).format(**common))
    else:
        highest = max(e.p_all(problem.targets) for e in result.evaluations)
        lines.append(word("opt_infeasible", lang).format(n=len(result.evaluations), highest=highest, **common))
        short = [_target_name(t, lang) for t, p in zip(problem.targets, best.p_met(problem.targets)) if p < req]
        if short:
            lines.append(word("opt_held_back", lang).format(ids=", ".join(short), req=req))
    if verify is not None:
        p_verify = verify.p_all(problem.targets)
        lines.append(word("opt_verified", lang).format(n=len(problem.verify_seeds), p=p_verify, cost=verify.mean_cost))
        if result.feasible(problem) and p_verify < req:
            lines.append(word("opt_flattered", lang).format(req=req))
    return lines


def lever_lines(problem: Problem, best: Evaluation, lang: str = DEFAULT_LANG) -> list[str]:
    out = []
    for lever, size in zip(problem.levers, best.sizes):
        window = word("opt_from", lang).format(start=lever.start)
        window += word("opt_to", lang).format(end=lever.end) if lever.end else ""
        out.append(
            word("opt_lever", lang).format(
                label=lever.label,
                size=size,
                unit=word(LEVERS[lever.name].unit, lang),
                low=lever.low,
                high=lever.high,
                window=window,
            )
        )
    return out


def markdown(columns_: list[str], table: list[dict], lang: str = DEFAULT_LANG) -> str:
    def cell(v):
        if isinstance(v, float):
            return "" if np.isnan(v) else f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:.4g}"
        return str(v)

    # "target" holds the goal's value here, as in the run's report (model.outputs.report.table)
    heads = columns_ if lang == "en" else [word("target_value" if c == "target" else c, lang) for c in columns_]
    lines = ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(columns_)]
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


def figure(problem: Problem, result: SearchResult, front: list[int], lang: str = DEFAULT_LANG):
    from matplotlib.figure import Figure

    evs = result.evaluations
    cost = np.array([e.mean_cost for e in evs])
    p = np.array([e.p_all(problem.targets) for e in evs])
    fig = Figure(figsize=(12, 4.5), layout="constrained")
    ax, right = fig.subplots(1, 2)
    ax.scatter(cost, p, s=18, color="0.6", label=word("evaluated mixes", lang))
    ax.step(cost[front], p[front], where="post", color="crimson", linewidth=1.5)
    ax.scatter(cost[front], p[front], s=30, color="crimson", label=word("non-dominated front", lang), zorder=3)
    required = word("opt_required", lang).format(p=problem.probability)
    ax.axhline(problem.probability, color="black", linestyle="--", linewidth=1, label=required)
    if problem.budget_cap is not None:
        ax.axvline(problem.budget_cap, color="0.3", linestyle=":", linewidth=1, label=word("budget cap", lang))

    best = evs[result.best]
    winner = {"marker": "*", "s": 220, "color": "gold", "edgecolor": "black", "zorder": 4}
    winner["label"] = word("winner" if result.feasible(problem) else "best found", lang)
    ax.scatter([best.mean_cost], [best.p_all(problem.targets)], **winner)
    if result.verification is not None:
        v, fresh = result.verification, word("opt_fresh", lang).format(n=len(problem.verify_seeds))
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
    ax.set_xlabel(word("opt_cost_axis", lang).format(period=_period(problem, lang)))
    ax.set_ylabel(word("opt_p_axis", lang).format(all=_all(problem, lang)))
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(word("opt_title", lang).format(name=problem.name), fontsize=10)
    ax.legend(fontsize=8, loc="best")
    # Right: how many targets each mix meets on its own with the required probability; this still
    # separates the mixes when P(all met) is zero everywhere.
    count = np.array([int(np.sum(e.p_met(problem.targets) >= problem.probability - 1e-12)) for e in evs])
    right.scatter(cost, count, s=18, color="0.6", label=word("evaluated mixes", lang))
    right.scatter([best.mean_cost], [count[result.best]], **winner)
    right.axhline(len(problem.targets), color="black", linestyle="--", linewidth=1, label=word("every target", lang))
    right.set_xlabel(ax.get_xlabel())
    right.set_ylabel(word("opt_count_axis", lang).format(p=problem.probability))
    right.set_ylim(-0.3, len(problem.targets) + 0.3)
    right.yaxis.get_major_locator().set_params(integer=True)
    right.set_title(word("targets within reach one at a time", lang), fontsize=10)
    right.legend(fontsize=8, loc="best")
    return fig


def _sentence(line: str, lang: str, bold: bool = False) -> str:
    """A statement line as a README sentence: capitalised with a full stop (English), or with the
    Chinese full stop."""
    text = line[0].upper() + line[1:] + "." if lang == "en" else line + "。"
    return "**" + text + "**" if bold else text


def readme(
    problem: Problem, result: SearchResult, front_rows: list[dict], seconds: float, runs: int, lang: str = DEFAULT_LANG
) -> str:
    best = result.evaluations[result.best]
    said = statement(problem, result, lang)
    cols = ["cost", "p_all"] + [lever.label for lever in problem.levers]
    targets = ", ".join(
        word("opt_target_item", lang).format(
            id=_target_name(t, lang), comparison=t.comparison, value=t.value, year=t.year
        )
        for t in problem.targets
    )
    cap = "" if problem.budget_cap is None else word("opt_targets_cap", lang).format(cap=problem.budget_cap)
    base = word("opt_base_line", lang).format(
        base=problem.base_name,
        start=problem.base.start,
        horizon=problem.base.horizon,
        root=problem.base.root_seed,
        n=len(problem.seeds),
        last=len(problem.seeds) - 1,
        scale=problem.scale,
        nv=len(problem.verify_seeds),
        v0=problem.verify_seeds[0],
        v1=problem.verify_seeds[-1],
    )
    method = word("opt_method_line", lang).format(
        initial=problem.initial,
        rest=problem.initial - 2,
        design=word("Latin hypercube" if problem.design == "lhs" else "scrambled Sobol", lang),
        n=len(result.evaluations),
        runs=runs,
        minutes=seconds / 60,
    )
    return "\n".join(
        [
            word("opt_readme_title", lang).format(name=problem.name),
            "",
            (problem.description + "\n") if problem.description else "",
            _sentence(said[0], lang, bold=True),
            "",
            *[_sentence(line, lang) for line in said[1:]],
            "",
            word("## The mix (`solution.toml`, a scenario `kunshan run` accepts)", lang),
            "",
            *lever_lines(problem, best, lang),
            "",
            word("## Each target: on the search's seeds and on fresh seeds (`verification.csv`)", lang),
            "",
            markdown(VERIFY_COLUMNS, verification_rows(problem, result), lang),
            "",
            word("## Cost against P(all met): the non-dominated front (`pareto.csv`)", lang),
            "",
            markdown(cols, front_rows, lang),
            "",
            f"![{word('opt_figure_description', lang)}]({FIGURE})",
            "",
            word("## How it was found", lang),
            "",
            word("opt_targets_line", lang).format(targets=targets, req=problem.probability, cap=cap),
            base,
            method,
            "",
        ]
    )


def write(
    folder: Path, problem: Problem, result: SearchResult, seconds: float, runs: int, lang: str = DEFAULT_LANG
) -> None:
    from model.outputs.targets import write_csv

    table, front = rows(problem, result)
    front_rows = [table[i] for i in front]
    (folder / "figures").mkdir()
    (folder / "problem.toml").write_text(problem.text, encoding="utf-8")
    (folder / "solution.toml").write_text(solution_text(problem, result), encoding="utf-8")
    write_csv(folder / "pareto.csv", columns(problem), front_rows)
    write_csv(folder / "evaluations.csv", columns(problem, all_points=True), table)
    write_csv(folder / "verification.csv", VERIFY_COLUMNS, verification_rows(problem, result))
    from model.outputs.fonts import figure_fonts

    with figure_fonts():
        figure(problem, result, front, lang).savefig(folder / FIGURE, dpi=100)
    (folder / "README.md").write_text(readme(problem, result, front_rows, seconds, runs, lang), encoding="utf-8")
