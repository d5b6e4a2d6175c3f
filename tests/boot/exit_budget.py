# SPDX-License-Identifier: BSD-2-Clause
"""A case's budget of exits of one reason, read from the hypervisor's exit statistics at the end of the run.

For exits nothing but the hypervisor's own doing can cause: VMX-preemption timer exits come only at deadlines
of the vCPU's timers, so a budget near what the guest's own timers need catches a device model that asks for
deadlines the guest cannot observe, or a deadline that ends guest execution a moment early and costs two exits.
"""
import re

STATS = re.compile(r"stats: cpu(\d+): \d+ exits((?: \w+=\d+)*)")


def at_most(cpu, reason, limit):
    """A case check: vCPU `cpu` took at most `limit` exits of `reason` (none is fine)."""
    def check(lines, workdir):
        for line in lines:
            m = STATS.fullmatch(line)
            if m and int(m.group(1)) == cpu:
                counts = dict(kv.split("=") for kv in m.group(2).split())
                n = int(counts.get(reason, 0))
                return f"cpu{cpu} took {n} {reason} exits, more than its budget of {limit}" if n > limit else None
        return f"no exit statistics for cpu{cpu}"
    return check


def all_of(*checks):
    """The first failing check's error, or None."""
    def check(lines, workdir):
        for c in checks:
            error = c(lines, workdir)
            if error:
                return error
        return None
    return check
