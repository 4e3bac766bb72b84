#!/usr/bin/env python3
"""Runs the test programs of one `cargo test --no-run --message-format=json` build.

scripts/test.sh builds every test target once and runs the programs several times (the
Rust suite on three dates, the server's once). Running `cargo test` per date with other
package selections made cargo resolve features anew and rebuild 176 dependencies twice:
12 of CI's 59 minutes (docs/benchmarks.md §9). Each program runs as `cargo test` runs it:
from its package's folder, with CARGO_MANIFEST_DIR set. Benchmarks and examples are left
out, as `cargo test` leaves them out. The first program that fails stops the run.

    test_binaries.py BUILD.json [--only DIR | --except DIR] [-- ARGS to every program]

DIR is a package folder relative to the workspace (`server`, `.`, `src-tauri`).
"""

import argparse
import json
import os
import subprocess
import sys
import tomllib


def programs(build_log, workspace):
    seen = set()
    with open(build_log, encoding="utf-8") as f:
        for line in f:
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                continue
            if msg.get("reason") != "compiler-artifact":
                continue
            exe = msg.get("executable")
            kinds = msg.get("target", {}).get("kind", [])
            if not exe or not msg.get("profile", {}).get("test"):
                continue
            if "bench" in kinds or "example" in kinds or exe in seen:
                continue
            seen.add(exe)
            package = os.path.dirname(msg["manifest_path"])
            yield os.path.relpath(package, workspace), msg["target"]["name"], exe


def config_env(workspace):
    """The `[env]` table of .cargo/config.toml, as cargo sets it for the programs it runs."""
    path = os.path.join(workspace, ".cargo", "config.toml")
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        table = tomllib.load(f).get("env", {})
    env = {}
    for name, spec in table.items():
        if isinstance(spec, dict):
            value = spec["value"]
            if spec.get("relative"):
                value = os.path.join(workspace, value)
            if name in os.environ and not spec.get("force"):
                continue
        else:
            value = spec
            if name in os.environ:
                continue
        env[name] = value
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_log")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--only", help="bare pakkemappen")
    group.add_argument("--except", dest="skip", help="alle pakkemapper unntatt denne")
    parser.add_argument("--keep-going", action="store_true",
                        help="kjør alle programmene og list dem som feilet til slutt")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args()
    workspace = os.getcwd()
    found = list(programs(opts.build_log, workspace))
    if not found:
        print(f"test_binaries: ingen testprogrammer i {opts.build_log}", file=sys.stderr)
        return 1
    base_env = dict(os.environ, **config_env(workspace))
    ran = 0
    failed = []
    for package, target, exe in found:
        if opts.only is not None and os.path.normpath(package) != os.path.normpath(opts.only):
            continue
        if opts.skip is not None and os.path.normpath(package) == os.path.normpath(opts.skip):
            continue
        print(f"     Running {os.path.relpath(exe, workspace)} ({package}: {target})", flush=True)
        env = dict(base_env, CARGO_MANIFEST_DIR=os.path.join(workspace, package))
        done = subprocess.run([exe, *opts.args], cwd=os.path.join(workspace, package), env=env)
        if done.returncode != 0:
            print(f"test_binaries: {target} i {package} feilet (kode {done.returncode})",
                  file=sys.stderr)
            if not opts.keep_going:
                return done.returncode or 1
            failed.append(f"{target} i {package}")
        ran += 1
    if failed:
        print(f"test_binaries: {len(failed)} feilet: {', '.join(failed)}", file=sys.stderr)
        return 1
    if ran == 0:
        print("test_binaries: valget traff ingen testprogrammer", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
