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


# Bochs's instructions per emulated second for Linux. Linux's quick PIT calibration of the TSC reads PIT channel 2
# in a loop and wants each read (two port exits) to take less than ~1/9 of the time the counter's MSB takes to
# change (256 PIT ticks, 215 us): ~24 us. A port exit costs the hypervisor ~330 instructions; at the tests'
# usual 4 MIPS a read takes ~200 us, at 50 MIPS ~16 us with Bochs's own overhead and the calibration fails
# ("Fast TSC calibration failed", then the slower PIT loop fails its max/min check too), at 200 MIPS it works
# ("Fast TSC calibration using PIT", 199.991 MHz detected for 200.000) as on hardware, where an exit takes ~1 us.
LINUX_IPS = 200000000
MHZ = LINUX_IPS // 1000000


def linux_case(cpus, timeout, name=None, cmdline=CMDLINE):
    cpu_word = "CPU" if cpus == 1 else "CPUs"
    hv_tsc = R(r"time: TSC \d+\.\d+ MHz \(from PIT\)")
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
                forbid=[R(r"WARNING:|BUG:|Oops|Kernel panic|init: FAILED|vm-stop|^panic|calibration failed|"
                          r"Unable to calibrate|MP-BIOS bug|IO-APIC \+ timer doesn't work")])


CASES = [linux_case(1, 900), linux_case(2, 900)]
