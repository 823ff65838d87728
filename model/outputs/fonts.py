"""A CJK font for the figures, so that Chinese labels render on a fresh machine.

matplotlib ships DejaVu Sans, which has no Chinese glyphs: without another font each character is
drawn as an empty box ("tofu", with a "Glyph ... missing from font(s)" warning). The package
``pylopdf-fonts-zh-cn`` (a dependency, installed from PyPI with the model) ships Noto Sans SC, the
Simplified Chinese subset of Noto Sans CJK (SIL Open Font License 1.1). It is registered with
matplotlib's font manager once per process, and figures are drawn with the family list
``DejaVu Sans, Noto Sans SC``: Latin text keeps matplotlib's usual look, and each character DejaVu
lacks is taken from Noto Sans SC (matplotlib's per-glyph fallback, 3.6 and later).
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

LATIN = "DejaVu Sans"


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """Register the shipped Noto Sans SC with matplotlib; its family name."""
    from matplotlib import font_manager
    from pylopdf_fonts_zh_cn import sans_path

    path = str(sans_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def families() -> list[str]:
    return [LATIN, cjk_family()]


@contextmanager
def figure_fonts():
    """Within this block, figures are drawn (and must be saved) with the Latin font and the CJK
    fallback: text objects take their font from rcParams when made, glyphs are found when drawn."""
    import matplotlib

    # Families named one by one: a generic "sans-serif" resolves to its first installed font only,
    # with no per-glyph fallback to the next.
    with matplotlib.rc_context({"font.family": families(), "axes.unicode_minus": True}):
        yield
