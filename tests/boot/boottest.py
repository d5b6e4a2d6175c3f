#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot tests: boot the image under QEMU (TCG) and Bochs, check exact serial lines and the exit status.

Each case builds its own ISO (command line, multiboot entry), boots it with a generous fixed timeout, and
checks that the expected lines appear in order (after the "[cpuN] " prefix) and that the run ended with the
expected status. One line per case; a failing case prints why and the tail of its serial log.
Usage: boottest.py [SUBSTRING...]   (run only the cases whose name contains one of the substrings)
"""
import concurrent.futures
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import emulate  # noqa: E402
from cases import CASES  # noqa: E402

BUILD = os.path.join(ROOT, "build", "tests")
IMAGE = os.path.join(ROOT, "build", "hypervisor.elf")
PREFIX = re.compile(r"^\[cpu\d+\] ")
TAIL_LINES = 40


def strip(text):
    return [PREFIX.sub("", line) for line in text.splitlines()]


def check_lines(lines, expected):
    """Each expectation (exact string or compiled regex) must match a line after the previous match.

    Lines that may come in any order (one per CPU) go in a case's "expect_all" instead."""
    pos = 0
    for want in expected:
        while pos < len(lines):
            line = lines[pos]
            pos += 1
            if (want.fullmatch(line) if isinstance(want, re.Pattern) else line == want):
                break
        else:
            shown = want.pattern if isinstance(want, re.Pattern) else want
            return f"expected line not found (in order): {shown!r}"
    return None


def check_absent(lines, forbidden):
    for bad in forbidden:
        for line in lines:
            if bad.search(line):
                return f"unexpected line: {line!r}"
    return None


STATS = re.compile(r"stats: cpu\d+: (\d+) exits((?: \w+=\d+)*)")


def check_stats(lines):
    """Every exit-statistics line: the total is the sum of the per-reason counts (none lost, none invented)."""
    for line in lines:
        m = STATS.fullmatch(line)
        if m and int(m.group(1)) != sum(int(kv.split("=")[1]) for kv in m.group(2).split()):
            return f"exit statistics do not add up: {line!r}"
    return None


def run_case(case):
    name = case["name"]
    workdir = os.path.join(BUILD, name)
    os.makedirs(workdir, exist_ok=True)
    boot = case.get("boot", "cdrom")
    pxe = boot.startswith("pxe")    # PXE boots from a TFTP tree (scripts/mkpxe.sh), everything else the ISO
    iso = os.path.join(workdir, "tftp" if pxe else "hypervisor.iso")
    start = time.monotonic()
    modules = [arg for path, line in case.get("modules", []) for arg in (os.path.join(ROOT, path), line)]
    mk = subprocess.run([os.path.join(ROOT, "scripts", "mkpxe.sh" if pxe else "mkiso.sh"), iso, IMAGE,
                         case.get("cmdline", ""), str(case.get("entry", 0))] + modules, capture_output=True, text=True)
    if mk.returncode:
        return name, f"{'mkpxe' if pxe else 'mkiso'} failed: {mk.stderr.strip()}", "", workdir, 0.0
    status, text, rc, timed_out = emulate.run(case["platform"], iso, workdir, cpus=case.get("cpus", 1),
                                              memory_mib=case.get("memory", 256),
                                              timeout=case.get("timeout", 60), boot=boot,
                                              serial_input=case.get("serial_input"),
                                              ips=case.get("ips", emulate.BOCHS_IPS))
    elapsed = time.monotonic() - start
    lines = strip(text)
    want_status = case.get("status", 0)
    error = check_lines(lines, case.get("expect", []))
    if not error:
        error = check_absent(lines, case.get("forbid", []))
    if not error:
        error = check_stats(lines)
    if not error and case.get("check"):
        error = case["check"](lines, workdir)     # a case's own check of the whole log; None when it passes
    if not error:
        missing = [want for want in case.get("expect_all", []) if want not in lines]
        missing += [want.pattern for want in case.get("expect_regex_all", [])
                    if not any(want.fullmatch(line) for line in lines)]
        if missing:
            error = f"{len(missing)} expected line(s) missing, first: {missing[0]!r}"
    if not error and timed_out and not case.get("expect_timeout"):
        error = f"timed out after {case.get('timeout', 60)} s"
    if not error and status != want_status:
        error = f"exit status {status}, expected {want_status}"
    want_rc = case.get("qemu_rc", (want_status << 1) | 1)
    if not error and case["platform"] == "qemu" and not timed_out and rc != want_rc:
        error = f"QEMU exit code {rc}, expected {want_rc}"
    return name, error, text, workdir, elapsed


def main():
    filters = sys.argv[1:]
    cases = [c for c in CASES if not filters or any(f in c["name"] for f in filters)]
    # A case with a known, open bug says so and is not run, unless named on the command line.
    for c in [c for c in cases if c.get("known_bug") and not filters]:
        print(f"skip {c['name']}: known bug: {c['known_bug']}")
        cases.remove(c)
    if not os.path.exists(IMAGE):
        print(f"error: {IMAGE} is missing: run make first")
        return 1
    passed = failed = 0
    workers = max(1, min(2, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for name, error, text, workdir, elapsed in pool.map(run_case, cases):
            if error is None:
                passed += 1
                print(f"ok   {name} ({elapsed:.1f} s)", flush=True)
                continue
            failed += 1
            print(f"FAIL {name}: {error}")
            print(f"---- serial log tail ({workdir}/serial.log) ----")
            for line in text.splitlines()[-TAIL_LINES:]:
                print(f"     {line}")
            blog = os.path.join(workdir, "bochs.log")
            if os.path.exists(blog):
                print(f"---- bochs log tail ({blog}) ----")
                with open(blog, errors="replace") as f:
                    for line in f.read().splitlines()[-10:]:
                        print(f"     {line}")
            print("----", flush=True)
    print(f"{passed} passed, {failed} failed")
    if passed + failed == 0:
        print("error: no boot test ran")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
