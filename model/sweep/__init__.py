"""Batch sweeps over scenario inputs and seeds, with summaries, Sobol indices and figures.

Modules, one concept each: ``experiment`` (the experiment file), ``design`` (points and seed
streams), ``engine`` (running on a process pool or a dask cluster), ``store`` (the run files and
the output folder), ``combine`` (sweep.nc and summary.csv), ``sensitivity`` and ``analysis``
(Sobol indices), ``figures``, ``finish`` (what a finished sweep writes), ``budget`` (time, memory
and disk before starting) and ``cli``. The stand-in model for tests and benchmarks is
``tests/sweep_fake.py``.
"""
