# SPDX-License-Identifier: BSD-2-Clause
"""Boot cases of an unmodified Linux guest: Debian's cloud kernel with a busybox initramfs (tests/linux/).

The kernel runs with its own drivers on the guest's platform (console=ttyS0 and nothing that switches a part of
it off); the kernel's log is checked for its milestones, and /init checks the rest from inside and ends the run
through port 0xF4 with the number of its failed checks.
"""
import os
import re
import subprocess
import threading

import emulate
import exit_budget

R = re.compile
KERNEL = "build/linux/vmlinuz"
CMDLINE = "console=ttyS0"
INITRD = ("build/linux/initramfs.cpio", "initrd name=busybox")
T = r"\[guest\] \[ *\d+\.\d+\] "       # the kernel's own timestamp after the console's prefix


# Bochs's instructions per emulated second for Linux. Linux's quick PIT calibration of the TSC reads PIT channel 2
# in a loop and wants each read (two port exits) to take less than ~1/9 of the time the counter's MSB takes to
# change (256 PIT ticks, 215 us): ~24 us. A port exit costs the hypervisor ~330 instructions; at the tests'
# usual 4 MIPS a read takes ~200 us, at 50 MIPS ~16 us with Bochs's own overhead and the calibration fails
# ("Fast TSC calibration failed", then the slower PIT loop fails its max/min check too), at 200 MIPS it works
# ("Fast TSC calibration using PIT", 199.991 MHz detected for 200.000) as on hardware, where an exit takes ~1 us.
LINUX_IPS = 200000000
MHZ = LINUX_IPS // 1000000


# Lines where a kernel complains. Each such line of the guest's log must also be in the log of the same kernel
# and initramfs booted directly in Bochs (no hypervisor), numbers aside: what the kernel says only under the
# hypervisor is something the guest's platform does differently from the machine.
COMPLAINT = R(r"(?i)\b(fail(s|ed|ure)?|error|warn(ing)?|bug|unable|cannot|can't|broken|invalid|timed? ?out|"
              r"not (working|supported)|doesn't work|panic|mismatch|firmware bug|unexpected|disabl(e|ing) (it|them))\b")
NUMBERS = R(r"0x[0-9a-f]+|\d+(\.\d+)?")
KERNEL_LINE = R(r"\[guest\] \[ *\d+\.\d+\] (.*)")
DIRECT_LINE = R(r"\[ *\d+\.\d+\] (.*)")
_baseline = {}
_baseline_lock = threading.Lock()


def kernel_complaints(lines, pattern):
    found = {}
    for line in lines:
        m = pattern.fullmatch(line)
        if m and COMPLAINT.search(m.group(1)):
            found.setdefault(NUMBERS.sub("#", m.group(1)), m.group(1))
    return found


def direct_complaints(cmdline):
    """The same kernel and initramfs booted by GRUB in Bochs on 1 CPU, once per test run: its complaints."""
    with _baseline_lock:
        if cmdline not in _baseline:
            root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            work = os.path.join(root, "build", "tests", "bochs-linux-direct")
            iso = os.path.join(work, "direct.iso")
            os.makedirs(work, exist_ok=True)
            subprocess.run([os.path.join(root, "scripts", "mkiso-linux.sh"), iso, os.path.join(root, KERNEL),
                            os.path.join(root, INITRD[0]), cmdline], check=True)
            _, text, _, _ = emulate.run("bochs", iso, work, cpus=1, memory_mib=512, timeout=600, ips=LINUX_IPS)
            _baseline[cmdline] = kernel_complaints(text.splitlines(), DIRECT_LINE)
        return _baseline[cmdline]


def no_new_complaints(cmdline):
    def check(lines, workdir):
        direct = direct_complaints(cmdline)
        new = [line for key, line in kernel_complaints(lines, KERNEL_LINE).items() if key not in direct]
        if not direct:
            return "the direct boot of the same kernel (build/tests/bochs-linux-direct) printed no kernel log"
        return f"the kernel complains only under the hypervisor: {new[0]!r} (+{len(new) - 1})" if new else None
    return check


def linux_case(cpus, timeout, name=None, cmdline=CMDLINE):
    cpu_word = "CPU" if cpus == 1 else "CPUs"
    hv_tsc = R(r"time: TSC \d+\.\d+ MHz \(from PIT\)")
    # Each vCPU's preemption-timer exits: on 1 CPU the local APIC timer's ticks (HZ=250 while the kernel is busy)
    # ~1,480, and the boot vCPU's refills of the machine's UART's FIFO with the guest's queued console lines
    # (one per 16 bytes sent while the guest makes no exit of its own, ~1,600); the HPET timer Linux had shut
    # down (INT_ENB off, still periodic) added ~3,200 while it kept its deadlines. Measured before the console
    # queue: 2 CPUs 606 and 1,458, 4 CPUs 1,572, 359, 345 and 419.
    budget = [exit_budget.at_most(cpu, "PREEMPTION_TIMER", 4000 if cpu == 0 else 2000) for cpu in range(cpus)]
    return dict(name=name or f"bochs-linux-{cpus}cpu", platform="bochs", cpus=cpus, memory=512, timeout=timeout,
                status=0, ips=LINUX_IPS, modules=[(KERNEL, f"linux name=linux -- {cmdline}"), INITRD],
                expect=[hv_tsc,
                        R(r"guest: linux: Linux boot protocol 2\.\d+, \d+ KiB kernel at [0-9a-f]+, initrd \d+ KiB, "
                          rf'command line "{cmdline}"'),
                        "guest: linux: starting on cpu0",
                        R(T + r"Linux version .*"),
                        R(r"\[guest\] init: Linux .*"),
                        R(r"\[guest\] init: ok: IRQ 4 \(ttyS0\) counted \d+ then \d+ interrupts"),
                        R(r"\[guest\] init: ok: an RTC update interrupt through /dev/rtc0"),
                        R(r"\[guest\] init: ok: clocksource tsc"),
                        "[guest] init: 0 check(s) failed",
                        "exit: status=0 (ok), on_exit=auto"],
                # The kernel's milestones, in whatever order its threads print them.
                expect_regex_all=[
                    R(T + r"tsc: Fast TSC calibration using PIT"),
                    R(T + rf"smp: Brought up 1 node, {cpus} {cpu_word}"),
                    R(T + r".*ttyS0 at I/O 0x3f8 \(irq = 4, base_baud = 115200\) is a 16550A"),
                    R(T + r"rtc_cmos .*: registered as rtc0"),
                    # The TSC rate Linux settles on is the machine's (Bochs: one tick per instruction) within 0.05%.
                    R(T + rf"tsc: Refined TSC clocksource calibration: ({MHZ - 1}\.9[5-9]\d|{MHZ}\.0[0-4]\d) MHz"),
                    R(T + r"clocksource: Switched to clocksource tsc")],
                check=exit_budget.all_of(no_new_complaints(cmdline), *budget),
                forbid=[R(r"WARNING:|BUG:|Oops|Kernel panic|init: FAILED|vm-stop|^panic|calibration failed|"
                          r"Unable to calibrate|MP-BIOS bug|IO-APIC \+ timer doesn't work")])


# make run-linux: the same kernel with a shell on the console ("shell" on its command line, which /init reads);
# typed lines reach it through the emulated UART, and busybox's poweroff ends the run with the guest's power-off.
SHELL_CASE = dict(name="bochs-linux-shell", platform="bochs", cpus=1, memory=512, timeout=900, status=0,
                  ips=LINUX_IPS, modules=[(KERNEL, "linux name=linux -- console=ttyS0 shell"), INITRD],
                  serial_input=("built-in shell (ash)", "echo typed $((6 * 7))\npoweroff\n", True),
                  expect=["guest: linux: starting on cpu0",
                          R(r"\[guest\] init: shell: Linux .* on 1 CPU\(s\); poweroff ends the run"),
                          "[guest] typed 42", "guest: power-off", "exit: status=0 (ok), on_exit=auto"],
                  forbid=[R(r"WARNING:|BUG:|Oops|Kernel panic|vm-stop|^panic")])

CASES = [linux_case(1, 900), linux_case(2, 900), linux_case(4, 1200), SHELL_CASE]
