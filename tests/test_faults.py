"""Faults around a build's outputs: two builds at once, a full disk, a killed build.

What must hold whatever happens: ``--out`` holds one build's files, whole
(the previous build's when the new one did not finish), no process of a
killed build outlives it by more than a few seconds, and what a killed build
left behind is removed by the next one.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg.export import EXPORTERS, ExportOptions, export_all
from kg.graph import KnowledgeGraph
from kg.lock import LOCK_FILE, FolderBusy, holding

#: How long a killed build's processes may outlive it.
SURVIVAL = 10.0


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def outputs(folder: Path) -> dict[str, bytes]:
    """The files a user reads: not the lock, nor temporary files."""
    return {name: data for name, data in files(folder).items() if not name.startswith(".")}


HOLD = """
import sys, time
from pathlib import Path
from kg.lock import holding
with holding(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_elsewhere(folder: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that holds ``folder``'s lock for ``seconds``, once it has printed 'held'."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, folder, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_a_second_build_says_who_holds_the_folder(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = hold_elsewhere(out, 60)
    try:
        with pytest.raises(kg.BuildError, match=rf"in use by another build \(pid {holder.pid}\); waited 0.2 s"):
            kg.build(seeds_dir / "000_74f9ff5177182e17.txt", out, wait=0.2)
    finally:
        holder.kill()
        holder.wait()
    assert [path.name for path in out.iterdir()] == [LOCK_FILE], "the refused build wrote nothing"


def test_a_build_waits_for_the_folder_then_holds_it(tmp_path: Path) -> None:
    said: list[str] = []
    holder = hold_elsewhere(tmp_path, 1.0)
    started = time.monotonic()
    with holding(tmp_path, wait=30, say=said.append):
        waited = time.monotonic() - started
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    holder.wait()
    assert 0.3 < waited < 20
    assert said == [f"{tmp_path} is in use by another build (pid {holder.pid}); waiting up to 30 s"]


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = hold_elsewhere(tmp_path, 60)
    with pytest.raises(FolderBusy), holding(tmp_path, wait=0):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with holding(tmp_path, wait=0):
        pass


def tables_on_a_full_disk(graph: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    """The CSV tables, written whole, but then the disk is full (as an exporter after them would find it)."""
    from kg.export import tables

    tables.write(graph, out_dir, options)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out_dir / "graph.html"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_leaves_the_previous_build_whole(
    grown_seed_kgs: tuple[KnowledgeGraph, KnowledgeGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Before: exit 2, but papers.csv had the new rows while graph.ttl still held the old papers."""
    before, after = grown_seed_kgs
    options = ExportOptions(cache_dir=tmp_path / ".kg-cache", jobs=jobs)
    export_all(before, tmp_path, options)
    previous, indexes = files(tmp_path), files(tmp_path / ".kg-cache" / "segments")
    monkeypatch.setitem(EXPORTERS, "tables", f"{__name__}:tables_on_a_full_disk")
    with pytest.raises(OSError, match="No space left"):
        export_all(after, tmp_path, options)
    assert files(tmp_path) == previous
    assert files(tmp_path / ".kg-cache" / "segments") == indexes, "each index still describes its file"
    monkeypatch.undo()
    export_all(after, tmp_path, options)
    export_all(after, tmp_path / "fresh", ExportOptions())
    fresh = files(tmp_path / "fresh")
    assert {name: data for name, data in files(tmp_path).items() if name in fresh} == fresh


def test_leftovers_of_a_killed_build_are_removed(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    cache = tmp_path / ".kg-cache"
    (cache / "segments").mkdir(parents=True)
    leftovers = [tmp_path / ".graph.ttl.k2j4_x9a.tmp", cache / "segments" / ".graph.ttl.idx.abcd1234.tmp"]
    for path in leftovers:
        path.write_bytes(b"half a file")
    (tmp_path / "notes.tmp").write_text("the user's own")
    export_all(seed_kg, tmp_path, ExportOptions(cache_dir=cache), ["rdf"])
    assert not any(path.exists() for path in leftovers)
    assert (tmp_path / "notes.tmp").exists()


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` in the process tree (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child} | descendants(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie has ended: it only waits for its parent to notice)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_for_end(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + SURVIVAL
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree in /proc")


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_no_process_outlives_a_build_killed_while_extracting(seeds_dir: Path, tmp_path: Path, sig: int) -> None:
    """Before: the forkserver, the resource tracker and two workers (500 MB) lived on for minutes."""
    command = [sys.executable, "-m", "kg", "build", seeds_dir, "--out", tmp_path, "--jobs", "2", "--quiet"]
    build = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and build.poll() is None:
            below = descendants(build.pid)
            # The resource tracker, the forkserver and its two workers.
            if sum(len(descendants(pid)) for pid in below) >= 2:
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build ended before its workers were seen"
        build.send_signal(sig)
        build.wait()
        assert len(below) >= 4
        assert wait_for_end(below) == set()
    finally:
        build.kill()
        build.wait()


KILLED_IN_EXPORT = """
import glob, multiprocessing, os, signal, sys, time
import kg.export
from kg.cli import main

def tables_then_killed(graph, out_dir, options):
    from kg.export import tables
    paths = tables.write(graph, out_dir, options)
    parent = multiprocessing.parent_process()
    if parent is None:
        sys.exit("the exporters ran in the build's own process")
    tasks = glob.glob(f"/proc/{parent.pid}/task/*/children")
    children = " ".join(open(task).read() for task in tasks)  # this and the other workers, the resource tracker
    with open(sys.argv[2], "w") as pids:
        pids.write(children)
    os.kill(parent.pid, signal.SIGKILL)
    time.sleep(30)  # then it would hand the CSV tables back to be renamed
    return paths

if __name__ == "__main__":
    if sys.argv[3] == "kill":
        kg.export.EXPORTERS["tables"] = "__main__:tables_then_killed"
    main(["build", *sys.argv[4:], "--out", sys.argv[1], "--jobs", "2", "--quiet"])
"""


@linux_only
def test_a_build_killed_while_exporting_leaves_the_previous_outputs(seeds_dir: Path, tmp_path: Path) -> None:
    """Before: forked export workers went on and renamed graph.graphml and graph.ttl into place seconds later."""
    script = tmp_path / "build.py"
    script.write_text(KILLED_IN_EXPORT)
    out, pid_file = tmp_path / "out", tmp_path / "children.pid"
    one, two = seeds_dir / "000_74f9ff5177182e17.txt", seeds_dir / "001_5b32068af6bec2e5.txt"
    first = subprocess.run([sys.executable, script, out, pid_file, "no", one], timeout=300)
    assert first.returncode == 0
    previous = outputs(out)
    killed = subprocess.run([sys.executable, script, out, pid_file, "kill", one, two], timeout=300)
    assert killed.returncode == -signal.SIGKILL
    children = set(map(int, pid_file.read_text().split()))
    assert len(children) >= 2, "the export workers and the resource tracker"
    assert wait_for_end(children) == set()
    time.sleep(0.5)  # what a worker would rename, it would rename now
    assert outputs(out) == previous
    assert list(out.glob(".papers.csv.*.tmp")), "the killed build left its staged file"
    again = subprocess.run([sys.executable, script, out, pid_file, "no", one, two], timeout=300)
    assert again.returncode == 0
    assert not list(out.glob(".*.tmp"))
    assert outputs(out)["papers.csv"] != previous["papers.csv"]
