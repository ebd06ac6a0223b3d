"""Registries: how the core collects what each feature app contributes.

The core (`coprod`) never imports a feature app. Where it must see every app — the
dashboard figures, the governance report's sections, a partner's data-protection export
and erasure, the retention rules, the demo organisation and the benchmark — each app hands
its part over from its `AppConfig.ready()`, the way `django.contrib.admin` collects
`ModelAdmin`s: `registry.register(key, item, order=...)`. The core then walks the registry
in `order` (then key) and never needs to know which apps exist.

Registering a key again replaces the earlier entry, so a test can swap one out.
"""

from collections.abc import Iterator
from typing import Any


class Registry:
    """Named contributions kept in a stable order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, tuple[int, Any]] = {}

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self.keys())}>"

    def register(self, key: str, item: Any, *, order: int = 0) -> Any:
        self._entries[key] = (order, item)
        return item

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def keys(self) -> list[str]:
        return [key for key, _ in self.items()]

    def items(self) -> list[tuple[str, Any]]:
        ordered = sorted(self._entries.items(), key=lambda entry: (entry[1][0], entry[0]))
        return [(key, item) for key, (_, item) in ordered]

    def __iter__(self) -> Iterator[Any]:
        return iter([item for _, item in self.items()])

    def __getitem__(self, key: str) -> Any:
        return self._entries[key][1]

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


# The steps that build the demo organisation (`seed_demo`), in dependency order.
demo_steps = Registry("demo steps")

# A partner's data-protection export: `export(partner) -> (title, data)`, one section each,
# in order (participants.data_protection explains the format).
data_exporters = Registry("data-protection exporters")
# A partner's erasure: `erase(partner, by)`, each app anonymising its own rows.
data_erasers = Registry("data-protection erasers")

# The staff home page: `context() -> dict` of template context each app adds (participants:
# the partner tiles, one per status).
staff_home = Registry("staff home page")
# What a worker counts to prove it reads the web application's database (`check_workers`):
# `count() -> int` under a name (participants: "partners").
worker_counts = Registry("worker counts")
