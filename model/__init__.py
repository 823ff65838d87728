"""Kunshan regional economic simulation: an agent-based model of firms, industry clusters,
households and village collectives, run as policy scenarios towards the 2025 targets."""

__version__ = "0.1.0"
