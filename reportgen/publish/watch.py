"""``reportgen watch``: rebuild reports while an editor works on them.

Watches every config, the data files each one reads and the templates (watchfiles), and runs
the same incremental build as ``reportgen build`` whenever one of them changes.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.paths import templates_dir
from reportgen.publish.batch import run
from reportgen.publish.incremental import State


def _watched(configs: list[Path], out: Path) -> set[Path]:
    state = State.load(out)
    paths = {config.resolve() for config in configs} | {templates_dir().resolve()}
    for config in configs:
        for source in state.entries.get(config.as_posix(), {}).get("sources", []):
            paths.add(Path(source).resolve())
    return paths


def watch(configs: list[Path], out: Path, formats: tuple[str, ...]) -> int:
    from watchfiles import watch as watch_changes

    run(configs, out, formats)
    print(f"watching {len(configs)} config(s); open {out / 'index.html'}; Ctrl-C stops", flush=True)
    try:
        while True:
            watched = _watched(configs, out)
            folders = {p if p.is_dir() else p.parent for p in watched}
            for changes in watch_changes(*folders, debounce=300, rust_timeout=1000):
                changed = {Path(path).resolve() for _, path in changes}
                if changed & watched or any(
                    p.is_relative_to(templates_dir().resolve()) for p in changed
                ):
                    run(configs, out, formats)
                    print("waiting for changes", flush=True)
                    break
    except KeyboardInterrupt:
        print("stopped")
    return 0
