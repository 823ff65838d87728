"""Between the array state and the agent objects, and a field-by-field comparison of two states."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np

from model.reference.agents import (
    FIRM_FIELDS,
    HOUSEHOLD_FIELDS,
    PERSON_FIELDS,
    ReferenceFirm,
    ReferenceHousehold,
    ReferencePerson,
)
from model.reference.economy import ReferenceEconomy
from model.state import Firms, Households, Persons, State, refresh_running_totals

# Array dtypes of model.state (the rest are float64).
DTYPES = {
    "firms": {
        "cluster": np.int16,
        "ownership": np.int8,
        "village": np.int32,
        "age": np.int32,
        "alive": bool,
        "entry_year": np.int16,
        "is_project": bool,
        "project_months": np.int16,
    },
    "persons": {"household": np.int64, "role": np.int8, "employer_cluster": np.int16, "alive": bool},
    "households": {
        "group": np.int8,
        "village": np.int32,
        "arrived": np.int32,
        "workers": np.int32,
        "retirees": np.int32,
        "alive": bool,
    },
}


def _columns(population, names) -> dict[str, list]:
    """Python values (not NumPy scalars) per field, for fast scalar arithmetic in the agents."""
    return {name: getattr(population, name)[: population.n].tolist() for name in names}


def to_agents(state: State) -> ReferenceEconomy:
    """A reference economy holding a copy of ``state``: one agent per row, in row order."""
    ref = ReferenceEconomy(
        copy.deepcopy(state.economy),
        dataclasses.replace(state.sectors),
        copy.deepcopy(state.villages),
        copy.deepcopy(state.flows),
    )

    f = _columns(state.firms, FIRM_FIELDS)
    for i in range(state.firms.n):
        ref.firms.append(ReferenceFirm(ref, **{name: f[name][i] for name in FIRM_FIELDS}))

    h = _columns(state.households, HOUSEHOLD_FIELDS)
    for i in range(state.households.n):
        ref.households.append(ReferenceHousehold(ref, **{name: h[name][i] for name in HOUSEHOLD_FIELDS}))

    p = _columns(state.persons, PERSON_FIELDS)
    p["household"] = [ref.households[i] for i in p["household"]]
    for i in range(state.persons.n):
        ref.persons.append(ReferencePerson(ref, **{name: p[name][i] for name in PERSON_FIELDS}))
    return ref


def _arrays(agents, names, dtypes) -> dict[str, np.ndarray]:
    return {name: np.array([getattr(a, name) for a in agents], dtype=dtypes.get(name, float)) for name in names}


def to_state(ref: ReferenceEconomy) -> State:
    """The reference economy as array populations (a copy; capacity equal to the count)."""
    firms = Firms(n=len(ref.firms), **_arrays(ref.firms, FIRM_FIELDS, DTYPES["firms"]))
    households = Households(n=len(ref.households), **_arrays(ref.households, HOUSEHOLD_FIELDS, DTYPES["households"]))
    row = {id(h): i for i, h in enumerate(ref.households)}
    person_fields = [name for name in PERSON_FIELDS if name != "household"]
    persons = Persons(
        n=len(ref.persons),
        household=np.array([row[id(p.household)] for p in ref.persons], dtype=np.int64),
        **_arrays(ref.persons, person_fields, DTYPES["persons"]),
    )
    state = State(
        firms=firms,
        persons=persons,
        households=households,
        villages=copy.deepcopy(ref.villages),
        sectors=dataclasses.replace(ref.sectors),
        economy=copy.deepcopy(ref.economy),
        flows=copy.deepcopy(ref.flows),
    )
    # The kernels keep running totals incrementally; the reference has none, so recompute them from
    # its agents: comparing the two checks the incremental bookkeeping too.
    refresh_running_totals(state)
    return state


def _relative(a, b) -> float:
    """Largest elementwise |a - b| / max(|a|, |b|, mean magnitude of the field); inf on a shape
    mismatch, and on any mismatch of integers and booleans.

    The mean magnitude keeps rounding noise on values that should be zero from counting as a
    difference: an inventory emptied by the month's sales is 0 on one path and 2e-9 yuan on the
    other (the residue of output + stock - sales), where firms hold millions.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return float("inf")
    if a.dtype.kind in "biu" or b.dtype.kind in "biu":
        return 0.0 if np.array_equal(a, b) else float("inf")
    a, b = a.astype(float), b.astype(float)
    size = np.maximum(np.abs(a), np.abs(b))
    if not size.size:
        return 0.0
    size = np.maximum(size, size.mean())
    diff = np.abs(a - b)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(size > 0, diff / np.where(size > 0, size, 1.0), np.where(diff > 0, np.inf, 0.0))
    return float(np.nanmax(np.where(np.isnan(diff), np.inf, rel)))


def _value_difference(a, b) -> float:
    if a is None or b is None:
        return 0.0 if a is None and b is None else float("inf")
    return _relative(a, b)


def state_differences(expected: State, actual: State) -> dict[str, float]:
    """Largest relative difference of every field of two states (rows in use only); integer,
    boolean and shape mismatches count as infinite. Keys are "population.field"."""
    out: dict[str, float] = {}
    for pop, names in (("firms", FIRM_FIELDS), ("persons", PERSON_FIELDS), ("households", HOUSEHOLD_FIELDS)):
        a, b = getattr(expected, pop), getattr(actual, pop)
        if a.n != b.n:
            out[f"{pop}.n"] = float("inf")
            continue
        for name in names:
            out[f"{pop}.{name}"] = _relative(getattr(a, name)[: a.n], getattr(b, name)[: b.n])
    for part in ("villages", "sectors", "economy", "flows"):
        a, b = getattr(expected, part), getattr(actual, part)
        for fld in dataclasses.fields(a):
            out[f"{part}.{fld.name}"] = _value_difference(getattr(a, fld.name), getattr(b, fld.name))
    return out
