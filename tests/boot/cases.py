# SPDX-License-Identifier: BSD-2-Clause
"""The boot test cases: platform, command line, multiboot entry, expected lines in order, exit status.

Expectations are exact lines (after the "[cpuN] " prefix) or compiled regexes matched against whole lines.
"""
import re

R = re.compile
OK_EXIT = "exit: status=0 (ok), on_exit=auto"
PANIC_EXIT = "exit: status=123 (hypervisor panic), on_exit=auto"

BOOT_LINES = [
    R(r"hypervisor \S+ booting \(multiboot2\)"),
    R(r'boot: loader "GRUB [^"]+", command line "[^"]*", 0 module\(s\)'),
    R(r"mem: \[0000000000000000-00000000000[0-9a-f]{5}\] usable"),
    R(r"mem: \[0000000000100000-[0-9a-f]{16}\] usable"),
    R(r"mem: hypervisor image \[0000000004000000-[0-9a-f]{16}\], \d+ KiB free for allocation"),
    "boot: done",
]

FAULT_REPORT = [
    "selftest: faulting on purpose: write to 0x100000000000",
    "error: panic: cpu0: exception #PF page fault (vector 14) error=0x2 in the hypervisor",
    R(r"error:   rip=[0-9a-f]{16} cs=0008 rflags=[0-9a-f]{16} rsp=[0-9a-f]{16} ss=0010"),
    R(r"error:   cr0=[0-9a-f]{16} cr2=0000100000000000 cr3=[0-9a-f]{16} cr4=[0-9a-f]{16}"),
    R(r"error:   rax=0000100000000000 rbx=[0-9a-f]{16} rcx=[0-9a-f]{16} rdx=[0-9a-f]{16}"),
    R(r"error:   r13=[0-9a-f]{16} r14=[0-9a-f]{16} r15=[0-9a-f]{16}"),
    "error: backtrace:",
    R(r"error:   #0  [0-9a-f]{16} selftest_fault\+0x[0-9a-f]+"),
    R(r"error:   #1  [0-9a-f]{16} selftest_run\+0x[0-9a-f]+"),
    R(r"error:   #2  [0-9a-f]{16} kmain\+0x[0-9a-f]+"),
    PANIC_EXIT,
]

CASES = [
    dict(name="qemu-boot-multiboot2", platform="qemu", expect=BOOT_LINES + [OK_EXIT], status=0),
    dict(name="qemu-boot-multiboot1", platform="qemu", entry=1, status=0, expect=[
        R(r"hypervisor \S+ booting \(multiboot1\)"),
        R(r'boot: loader "GRUB [^"]+", command line "", 0 module\(s\)'),
        R(r"mem: \[0000000000100000-[0-9a-f]{16}\] usable"),
        "boot: done", OK_EXIT]),
    dict(name="bochs-boot-multiboot2", platform="bochs", expect=BOOT_LINES + [OK_EXIT], status=0),
    dict(name="qemu-selftest-fault", platform="qemu", cmdline="selftest=fault", expect=FAULT_REPORT,
         status=123),
    dict(name="bochs-selftest-fault", platform="bochs", cmdline="selftest=fault", expect=FAULT_REPORT,
         status=123),
    dict(name="qemu-selftest-panic", platform="qemu", cmdline="selftest=panic", status=123, expect=[
        "selftest: failing an assertion on purpose",
        "error: panic: cpu0: assertion failed: one == 2 at kernel/selftest.c:18",
        "error: backtrace:",
        R(r"error:   #0  [0-9a-f]{16} selftest_panic\+0x[0-9a-f]+"),
        R(r"error:   #1  [0-9a-f]{16} selftest_run\+0x[0-9a-f]+"),
        R(r"error:   #2  [0-9a-f]{16} kmain\+0x[0-9a-f]+"),
        PANIC_EXIT]),
    dict(name="qemu-cmdline-problems", platform="qemu", cmdline="frobnicate=1 loglevel=loud", status=0, expect=[
        "warning: cmdline: unknown option 'frobnicate=1' ignored",
        "warning: cmdline: bad value in 'loglevel=loud': expected one of error warn info debug 0 1 2 3",
        "boot: done", OK_EXIT]),
    dict(name="qemu-loglevel-warn", platform="qemu", cmdline="loglevel=warn on_exit=qemu", status=0,
         forbid=[R(r"^mem: |boot: done")], expect=[R(r"hypervisor \S+ booting \(multiboot2\)")]),
    dict(name="bochs-on-exit-bochs", platform="bochs", cmdline="on_exit=bochs", status=0, expect=[
        "boot: done", "exit: status=0 (ok), on_exit=bochs"]),
]
