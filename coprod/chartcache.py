"""Charts drawn once and kept: matplotlib takes a tenth of a second or more per chart, and the
charts of closed ladder rounds and past periods never change.

The cache key is a digest of everything the chart is drawn from (the drawing function, its
labels, values and options, and matplotlib's version), so a chart whose data changes gets a new
key and is drawn again: there is nothing to invalidate by hand, and an old chart is never shown
for new figures. Charts live in Django's default cache: Redis in production (shared by every
web process), local memory in the embedded default. A cache that cannot be reached never
stops a page: the chart is drawn as if nothing were cached.
"""

import functools
import hashlib
import logging
from collections.abc import Callable
from decimal import Decimal

import matplotlib
from django.core.cache import cache
from django.utils import translation

logger = logging.getLogger(__name__)

# Raise when the way charts are drawn changes, so charts drawn the old way are not reused.
CHART_STYLE = 1
TIMEOUT = 30 * 24 * 3600  # unused charts leave the cache after 30 days
_PLAIN = (str, int, float, Decimal, bool, type(None))


def _plain(value) -> bool:
    """Only values whose repr() is their content can make a key (not a generator, not a model)."""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (list, tuple, range)):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


def chart_key(name: str, args: tuple, kwargs: dict) -> str:
    # The language too: axes and numbers are written the active language's way.
    content = repr((CHART_STYLE, matplotlib.__version__, translation.get_language(), name, args,
                    sorted(kwargs.items())))
    return "chart:" + hashlib.sha256(content.encode()).hexdigest()


def cached_chart(draw: Callable[..., str]) -> Callable[..., str]:
    """Keep the SVG text `draw` returns, keyed by what it was drawn from."""

    @functools.wraps(draw)
    def cached(*args, **kwargs) -> str:
        if not _plain(args) or not _plain(kwargs):
            return draw(*args, **kwargs)
        key = chart_key(f"{draw.__module__}.{draw.__qualname__}", args, kwargs)
        try:
            svg = cache.get(key)
        except Exception:  # noqa: BLE001 - a cache that is down only costs the drawing
            logger.warning("Chart cache unavailable; drawing the chart", exc_info=True)
            return draw(*args, **kwargs)
        if svg is None:
            svg = draw(*args, **kwargs)
            try:
                cache.set(key, svg, TIMEOUT)
            except Exception:  # noqa: BLE001
                logger.warning("Chart cache unavailable; the chart was not kept", exc_info=True)
        return svg

    cached.uncached = draw
    return cached
