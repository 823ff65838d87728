"""`kunshan dashboard`: a Mesa SolaraViz app to move the levers and the main uncertain parameters
and see the 2025 targets answer.

:mod:`model.dashboard.ensemble` computes (no web framework needed); :mod:`model.dashboard.app`
is the page (solara, from the optional extra ``dashboard``); :mod:`model.dashboard.cli` starts it.
"""
