#!/usr/bin/env python3
"""Start and stop a development OpenSearch on loopback: one node, or a cluster of N.

    scripts/opensearch-dev start [--nodes 3] [--port 9200] [--data .opensearch-dev] [--heap 512m]
    scripts/opensearch-dev status
    scripts/opensearch-dev stop

``start`` builds the launcher in ``opensearch/`` with Maven the first time
(OpenSearch 2.19 from Maven Central; Java 17), starts one JVM per node,
waits until the cluster is green and prints its URL (all nodes,
comma-separated: give it to ``trygg-search --url``).  The nodes keep running
in the background until ``stop``.  For development, tests and trying it out:
in production, point trygg-search at your own cluster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "opensearch"
MAIN = "se.trygg.opensearch.DevNode"


class DevError(Exception):
    """Something the user can act on: printed as one line."""


def missing_tools() -> str | None:
    """Why the launcher cannot run here (no java or mvn on PATH), or None."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH (the development cluster needs Java 17 and Maven)"
    return None


def build(quiet: bool = True) -> list[str]:
    """Build the launcher when its sources changed; its classpath."""
    classes, lib = MODULE / "target" / "classes", MODULE / "target" / "lib"
    stamp = MODULE / "target" / ".built"
    sources = [MODULE / "pom.xml", *sorted((MODULE / "src").rglob("*"))]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    if not stamp.exists() or stamp.stat().st_mtime < newest or not lib.is_dir():
        reason = missing_tools()
        if reason:
            raise DevError(reason)
        command = ["mvn", "-B", "-q" if quiet else "-ntp", "-f", str(MODULE / "pom.xml"), "package"]
        done = subprocess.run(command, capture_output=quiet, text=True)
        if done.returncode != 0:
            tail = (done.stdout or "")[-2000:] + (done.stderr or "")[-2000:]
            raise DevError(f"building the launcher failed (mvn package in {MODULE}):\n{tail}")
        stamp.touch()
    return [str(classes), str(lib / "*")]


def _get(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return json.loads(answer.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def start(nodes: int = 1, port: int = 9200, data: Path | str = ROOT / ".opensearch-dev", heap: str = "512m",
          cluster: str = "trygg-dev", wait: float = 180.0, fresh: bool = True) -> dict:
    """Start ``nodes`` nodes on http ports ``port``..; the cluster's state (urls, pids) once it is green."""
    data = Path(data).resolve()
    state_file = data / "cluster.json"
    if state_file.exists():
        state = json.loads(state_file.read_text())
        if any(_alive(p) for p in state["pids"]):
            raise DevError(f"a development cluster is already running from {data} ({state['url']}): "
                           f"stop it first")
    classpath = build()
    if fresh and data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    transport = [port + 100 + i for i in range(nodes)]
    names = [f"node-{i}" for i in range(nodes)]
    pids, urls, commands = [], [], []
    for i in range(nodes):
        home = data / names[i]
        home.mkdir(parents=True, exist_ok=True)
        command = ["java", f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                   "-cp", os.pathsep.join(classpath), MAIN, "--home", str(home), "--name", names[i],
                   "--cluster", cluster, "--http-port", str(port + i), "--transport-port", str(transport[i])]
        if nodes > 1:
            command += ["--seeds", ",".join(map(str, transport)), "--managers", ",".join(names)]
        commands.append(command)
        pids.append(_launch(command, home))
        urls.append(f"http://127.0.0.1:{port + i}")
    state = {"url": ",".join(urls), "urls": urls, "pids": pids, "names": names, "data": str(data),
             "ports": [port + i for i in range(nodes)], "commands": commands}
    state_file.write_text(json.dumps(state, indent=1))
    _wait_green(state, wait)
    return state


_PROCESSES: dict[int, subprocess.Popen] = {}  # the nodes this process started (reaped by stop)


def _launch(command: list[str], home: Path) -> int:
    with open(home / "stdout.log", "a") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    _PROCESSES[process.pid] = process
    return process.pid


def restart_node(state: dict, i: int, wait: float = 180.0) -> None:
    """Start node ``i`` again on its data (after kill_node) and wait until the cluster is green."""
    home = Path(state["data"]) / state["names"][i]
    state["pids"][i] = _launch(state["commands"][i], home)
    (Path(state["data"]) / "cluster.json").write_text(json.dumps(state, indent=1))
    _wait_green(state, wait)


def _wait_green(state: dict, wait: float) -> None:
    data, pids, names, urls = Path(state["data"]), state["pids"], state["names"], state["urls"]
    nodes = len(pids)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for pid, name in zip(pids, names):
            if not _alive(pid):
                log = (data / name / "stdout.log").read_text(errors="replace")[-3000:]
                stop(data)
                raise DevError(f"{name} exited while starting; its log ends:\n{log}")
        for url in urls:
            health = _get(f"{url}/_cluster/health?wait_for_nodes={nodes}&wait_for_status=green&timeout=1s")
            if health and health.get("number_of_nodes") == nodes and health.get("status") == "green":
                return
        time.sleep(0.5)
    stop(data)
    raise DevError(f"the cluster did not become green within {wait:.0f} s (logs in {data})")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (our own child, exited) is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def kill_node(state: dict, i: int) -> None:
    """Kill one node at once (SIGKILL): a node that dies, not one that leaves."""
    pid = state["pids"][i]
    os.kill(pid, signal.SIGKILL)
    process = _PROCESSES.pop(pid, None)
    if process is not None:
        process.wait(timeout=10)


def stop(data: Path | str = ROOT / ".opensearch-dev", timeout: float = 30.0) -> bool:
    """Stop every node of the cluster started from ``data``; False when none was running."""
    state_file = Path(data) / "cluster.json"
    if not state_file.exists():
        return False
    state = json.loads(state_file.read_text())
    running = [p for p in state["pids"] if _alive(p)]
    for pid in running:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(_alive(p) for p in running) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in running:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    for pid in state["pids"]:  # reap our own children
        process = _PROCESSES.pop(pid, None)
        if process is not None:
            process.wait(timeout=5)
    state_file.unlink()
    return bool(running)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/opensearch-dev", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--nodes", type=int, default=1, help="number of nodes (default 1)")
    parser.add_argument("--port", type=int, default=9200, help="HTTP port of the first node (default 9200)")
    parser.add_argument("--data", default=str(ROOT / ".opensearch-dev"), help="folder for the nodes' data")
    parser.add_argument("--heap", default="512m", help="Java heap per node (default 512m)")
    parser.add_argument("--keep", action="store_true", help="keep the data of an earlier run")
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            state = start(args.nodes, args.port, args.data, args.heap, fresh=not args.keep)
            print(state["url"])
        elif args.command == "stop":
            if not stop(args.data):
                print("no development cluster is running", file=sys.stderr)
                return 1
        else:
            state_file = Path(args.data) / "cluster.json"
            if not state_file.exists():
                print("no development cluster is running", file=sys.stderr)
                return 1
            state = json.loads(state_file.read_text())
            alive = [_alive(p) for p in state["pids"]]
            health = _get(f"{state['urls'][0]}/_cluster/health") or {}
            print(f"{state['url']}  nodes alive {sum(alive)}/{len(alive)}  status {health.get('status', 'down')}")
    except DevError as exc:
        print(f"opensearch-dev: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
