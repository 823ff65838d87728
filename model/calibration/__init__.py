"""Calibration (method of simulated moments) and validation on Kunshan's observed statistics.

``moments``: what is compared (observed figures and their simulated counterparts); ``msm``: the
fit; ``stylized``: the statistics of the stylized facts; ``validate``: the checks and the report;
``figures``: the plots; ``cli``: ``kunshan calibrate`` and ``kunshan validate``.
"""
