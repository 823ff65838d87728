"""A process that runs many models (a sweep worker, an optimiser, the dashboard) does not keep them."""

import dataclasses
import gc
import weakref

from model.model import KunshanModel
from model.scenario import Scenario


def test_a_finished_model_is_freed():
    """Mesa before 3.5 keeps every model in ``Agent._ids`` (mesa issue #3179); a sweep worker then
    grew by a whole economy a run. model.model._forget_agent_ids drops that reference."""
    model = KunshanModel(dataclasses.replace(Scenario(), horizon="2022-02"), scale=0.005, rng=1)
    model.run()
    model.datasets()
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None
