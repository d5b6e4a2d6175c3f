# SPDX-License-Identifier: BSD-2-Clause
"""Boot cases of an unmodified Linux guest: Debian's cloud kernel with a busybox initramfs (tests/linux/).

The kernel runs with its own drivers on the guest's platform (console=ttyS0 and nothing that switches a part of
it off); the kernel's log is checked for its milestones, and /init checks the rest from inside and ends the run
through port 0xF4 with the number of its failed checks.
"""
import re

R = re.compile
KERNEL = "build/linux/vmlinuz"
CMDLINE = "console=ttyS0"
INITRD = ("build/linux/initramfs.cpio", "initrd name=busybox")
T = r"\[guest\] \[ *\d+\.\d+\] "       # the kernel's own timestamp after the console's prefix


# Bochs's instructions per emulated second for Linux: at the tests' usual 4 MIPS, a PIT tick is 3 instructions
# and the MSB of PIT channel 2 changes every ~860, less than the ~1,300 a guest port read takes through a VM
# exit, so Linux's quick PIT calibration of the TSC cannot work (it needs 6 reads per MSB value). Bochs at 50 MIPS,
# as Linux is measured in PLATFORMS.md, gives the calibration loop 12 times the room.
LINUX_IPS = 50000000


def linux_case(cpus, timeout, name=None, cmdline=CMDLINE):
    cpu_word = "CPU" if cpus == 1 else "CPUs"
    return dict(name=name or f"bochs-linux-{cpus}cpu", platform="bochs", cpus=cpus, memory=512, timeout=timeout,
                status=0, ips=LINUX_IPS, modules=[(KERNEL, f"linux name=linux -- {cmdline}"), INITRD],
                expect=[R(r"guest: linux: Linux boot protocol 2\.\d+, \d+ KiB kernel at [0-9a-f]+, initrd \d+ KiB, "
                          rf'command line "{cmdline}"'),
                        "guest: linux: starting on cpu0",
                        R(T + r"Linux version .*"),
                        R(T + rf"smp: Brought up 1 node, {cpus} {cpu_word}"),
                        R(T + r".*ttyS0 at I/O 0x3f8 \(irq = 4, base_baud = 115200\) is a 16550A"),
                        R(T + r"rtc_cmos .*: registered as rtc0"),
                        R(r"\[guest\] init: Linux .*"),
                        R(r"\[guest\] init: ok: IRQ 4 \(ttyS0\) counted \d+ then \d+ interrupts"),
                        R(r"\[guest\] init: ok: an RTC update interrupt through /dev/rtc0"),
                        R(r"\[guest\] init: ok: clocksource tsc"),
                        "[guest] init: 0 check(s) failed",
                        "exit: status=0 (ok), on_exit=auto"],
                forbid=[R(r"WARNING:|BUG:|Oops|Kernel panic|init: FAILED|vm-stop|^panic")])


CASES = [linux_case(1, 900), linux_case(2, 900), linux_case(1, 900, "bochs-linux-dbg", CMDLINE + " hpet=disable"),
         linux_case(2, 900, "bochs-linux-dbg2", CMDLINE + " hpet=disable")]
