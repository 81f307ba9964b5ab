"""The Dask worker plugin that closes the sandboxes a worker started.

Kept apart from :mod:`extractor.batch.engines` so that the local engine never
imports ``distributed``.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from extractor.batch.engines import close_sandboxes


class SandboxPlugin(WorkerPlugin):
    """Closes the worker's sandbox processes when the worker closes."""

    name = "vanban-sandboxes"

    def teardown(self, worker: Any) -> None:
        """Called by Dask as the worker closes."""
        close_sandboxes()
