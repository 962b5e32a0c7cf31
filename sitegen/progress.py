"""What an editor sees while the build runs: progress bars on a terminal (rich), nothing when piped (CI logs)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

_LABELS = {"parse": "解析内容", "write": "渲染写入"}


class BuildProgress:
    """Called as progress(phase, done, total) by the loader and the writer."""

    def __init__(self, stream: IO[str] | None) -> None:
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        if stream is not None:
            from rich.console import Console  # only a terminal needs it; imported late for quick --help and tests
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=stream),
                transient=True,
            )

    @classmethod
    def for_terminal(cls, stream: IO[str]) -> BuildProgress:
        return cls(stream if stream.isatty() else None)

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self._progress is None or total == 0:
            return
        task = self._tasks.get(phase)
        if task is None:
            task = self._tasks[phase] = self._progress.add_task(_LABELS.get(phase, phase), total=total)
        self._progress.update(task, completed=done, total=total)

    def __enter__(self) -> BuildProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()
