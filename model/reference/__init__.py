"""A per-agent reference implementation of the monthly step (one Mesa agent per firm, household and
person), kept as the executable specification of the array kernels and as the yardstick of their
speed. See :mod:`model.reference.economy`."""

from model.reference.agents import ReferenceFirm, ReferenceHousehold, ReferencePerson
from model.reference.convert import state_differences, to_agents, to_state
from model.reference.economy import ReferenceEconomy

__all__ = [
    "ReferenceEconomy",
    "ReferenceFirm",
    "ReferenceHousehold",
    "ReferencePerson",
    "state_differences",
    "to_agents",
    "to_state",
]
