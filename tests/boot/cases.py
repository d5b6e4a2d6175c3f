# SPDX-License-Identifier: BSD-2-Clause
"""The boot test cases: platform, command line, multiboot entry, expected lines in order, exit status.

Expectations are exact lines (after the "[cpuN] " prefix) or compiled regexes matched against whole lines.
"""
import re

import cases_adversarial
import cases_bootpaths
import cases_memory
import cases_pae
import cases_power
import cases_debug
import cases_linux
import exit_budget

R = re.compile
OK_EXIT = "exit: status=0 (ok), on_exit=auto"
NO_VMX = ["vmx: unavailable: the CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0)",
          "exit: status=121 (VMX unavailable), on_exit=auto"]
PANIC_EXIT = "exit: status=123 (hypervisor panic), on_exit=auto"

BOOT_LINES = [
    R(r"hypervisor \S+ booting \(multiboot2\)"),
    R(r'boot: loader "GRUB [^"]+", command line "[^"]*", 0 module\(s\)'),
    R(r"mem: \[0000000000000000-00000000000[0-9a-f]{5}\] usable"),
    R(r"mem: \[0000000000100000-[0-9a-f]{16}\] usable"),
    # 256 MiB: usable RAM ends at 0xffe0000 (QEMU) or 0xfff0000 (Bochs); the 2 MiB block below it, 2 MiB-aligned.
    R(r"mem: hypervisor block \[fc00000-fe00000\) \(2048 KiB for \d CPU\(s\)\) at the top of usable RAM below 4 GiB "
      r"\(moved from the load address 4000000\)"),
    R(r"mem: hypervisor image \[000000000fc00000-000000000fc[0-9a-f]{5}\], \d+ KiB free for allocation"),
]


def vmx_lines(cpus):
    """How a run ends where VMX is there (Bochs): every CPU in VMX operation, a clean exit."""
    return [R(r"vmx: VMCS revision 0x[0-9a-f]+; EPT \(4 KiB, 2 MiB, 1 GiB pages\), VPID, unrestricted guest"),
            f"vmx: {cpus} of {cpus} CPUs in VMX operation", "boot: done", OK_EXIT]

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



def smp_case(platform, cpus, timeout=60, qemu_smp=None, expected=None):
    """Every CPU prints its own line (in any order); the summary and the stop line come after."""
    online = expected if expected is not None else cpus
    apic_mode = "x2APIC" if platform == "bochs" else "xAPIC"   # Bochs's Haswell has x2APIC, QEMU TCG not
    return dict(
        name=f"{platform}-smp-{qemu_smp or cpus}".replace(",", "-").replace("=", ""), platform=platform,
        cpus=qemu_smp or cpus, timeout=timeout, status=0 if platform == "bochs" else 121,
        expect_all=[f"smp: cpu{i} online, APIC ID {i}" for i in range(1, online)],
        expect=[
            R(r"time: TSC \d+\.\d{3} MHz \(from (PIT|CPUID 0x15|CPUID 0x16)\)"),
            R(r"acpi: RSDP revision \d \(from multiboot2 ACPI \((old|new)\) tag\)"),
            R(rf"acpi: MADT: {online} CPU\(s\) enabled, \d+ hot-pluggable, 1 I/O APIC\(s\), \d+ interrupt override\(s\)"),
            f"smp: cpu0 online, APIC ID 0 (boot CPU, {apic_mode} mode)",
            f"smp: {online} of {online} CPUs online",
        ] + (vmx_lines(online)[:-1] if platform == "bochs" else NO_VMX[:1])
          + ([f"smp: {online - 1} of {online - 1} other CPUs stopped"] if online > 1 else [])
          + [OK_EXIT if platform == "bochs" else NO_VMX[1]],
        forbid=[R(r"did not answer|warning: smp|error: smp")])


CASES = [
    dict(name="qemu-boot-multiboot2", platform="qemu", expect=BOOT_LINES + NO_VMX, status=121),
    dict(name="qemu-boot-multiboot1", platform="qemu", entry=1, status=121, expect=[
        R(r"hypervisor \S+ booting \(multiboot1\)"),
        R(r'boot: loader "GRUB [^"]+", command line "", 0 module\(s\)'),
        R(r"mem: \[0000000000100000-[0-9a-f]{16}\] usable")] + NO_VMX),
    dict(name="bochs-boot-multiboot2", platform="bochs", expect=BOOT_LINES + vmx_lines(1), status=0),
    dict(name="bochs-boot-multiboot1", platform="bochs", entry=1, expect=[
        R(r"hypervisor \S+ booting \(multiboot1\)")] + vmx_lines(1), status=0),
    dict(name="qemu-selftest-fault", platform="qemu", cmdline="selftest=fault", expect=FAULT_REPORT,
         status=123),
    dict(name="bochs-selftest-fault", platform="bochs", cmdline="selftest=fault", expect=FAULT_REPORT,
         status=123),
    dict(name="qemu-selftest-panic", platform="qemu", cmdline="selftest=panic", status=123, expect=[
        "selftest: failing an assertion on purpose",
        R(r"error: panic: cpu0: assertion failed: one == 2 at kernel/selftest\.c:\d+"),
        "error: backtrace:",
        R(r"error:   #0  [0-9a-f]{16} selftest_panic\+0x[0-9a-f]+"),
        R(r"error:   #1  [0-9a-f]{16} selftest_run\+0x[0-9a-f]+"),
        R(r"error:   #2  [0-9a-f]{16} kmain\+0x[0-9a-f]+"),
        PANIC_EXIT]),
    dict(name="qemu-cmdline-problems", platform="qemu", cmdline="frobnicate=1 loglevel=loud", status=121, expect=[
        "warning: cmdline: unknown option 'frobnicate=1' ignored",
        "warning: cmdline: bad value in 'loglevel=loud': expected one of error warn info debug 0 1 2 3"] + NO_VMX),
    dict(name="qemu-loglevel-warn", platform="qemu", cmdline="loglevel=warn on_exit=qemu", status=121,
         forbid=[R(r"^mem: |smp: ")], expect=[R(r"hypervisor \S+ booting \(multiboot2\)"), NO_VMX[0],
                                             "exit: status=121 (VMX unavailable), on_exit=qemu"]),
    dict(name="bochs-on-exit-bochs", platform="bochs", cmdline="on_exit=bochs", status=0, expect=[
        "boot: done", "exit: status=0 (ok), on_exit=bochs"]),
    dict(name="qemu-poweroff", platform="qemu", cpus=2, cmdline="on_exit=poweroff", status=121, qemu_rc=0,
         expect=[NO_VMX[0], "exit: status=121 (VMX unavailable), on_exit=poweroff"], forbid=[R(r"power-off")]),
] + [
    dict(name=f"{platform}-selftest-ap-fault", platform=platform, cpus=cpus, cmdline="selftest=ap-fault",
         status=123, expect=[
             f"smp: {cpus} of {cpus} CPUs online",
             f"selftest: faulting on purpose on cpu{cpus - 1}: write to 0x100000000000",
             f"error: panic: cpu{cpus - 1}: exception #PF page fault (vector 14) error=0x2 in the hypervisor",
             R(r"error:   cr0=[0-9a-f]{16} cr2=0000100000000000 cr3=[0-9a-f]{16} cr4=[0-9a-f]{16}"),
             "error: backtrace:",
             R(r"error:   #0  [0-9a-f]{16} selftest_fault\+0x[0-9a-f]+"),
             R(r"error:   #1  [0-9a-f]{16} selftest_fault_call\+0x[0-9a-f]+"),
             R(r"error:   #2  [0-9a-f]{16} ap_(entry|idle)\+0x[0-9a-f]+"),
             f"smp: {cpus - 1} of {cpus - 1} other CPUs stopped",
             PANIC_EXIT])
    for platform, cpus in (("qemu", 4), ("bochs", 2))
] + [smp_case("qemu", n) for n in (1, 2, 4, 8, 64)] + [
    smp_case("qemu", 255, timeout=120),
    smp_case("qemu", 2, qemu_smp="2,maxcpus=4", expected=2),
] + [smp_case("bochs", n) for n in (1, 2, 4)]

VCPU_TEST = ("build/guests/vcpu_test.bin", "flat name=vcpu-test")
VCPU_TEST_LINES = [
    "guest: vcpu-test: flat image, 9452 bytes at 0x7c00, real mode at 0000:7c00",
    "guest: vcpu-test: starting on cpu0",
    "[guest] vcpu-test: real mode: started at 0000:7c00",
    "[guest] vcpu-test: real mode: CPUID says MiniVisorVTx, VMX hidden, hypervisor bit set",
    "[guest] vcpu-test: protected mode: entered through CR0.PE",
    "[guest] vcpu-test: protected mode: IA32_FEATURE_CONTROL reads 1 (locked, VMX off)",
    "[guest] vcpu-test: long mode: entered through EFER.LME and CR0.PG",
    "[guest] vcpu-test: long mode: unknown and VMX MSRs raise #GP",
    "[guest] vcpu-test: long mode: IA32_APIC_BASE turns its own local APIC off and on; illegal transitions and reserved bits #GP",
    "[guest] vcpu-test: long mode: a TSC write moves the guest's TSC (offsetting), not the hypervisor's",
    "[guest] vcpu-test: long mode: VMXON, VMREAD and INVEPT raise #UD",
    "[guest] vcpu-test: long mode: CR4.VMXE is hidden and cannot be set",
    "[guest] vcpu-test: long mode: bad hypercalls get ENOSYS, EFAULT, EINVAL",
    "[guest] vcpu-test: long mode: a pending interrupt ends sti; hlt",
    "[guest] vcpu-test: long mode: XSETBV checked, then done",
    "[guest] vcpu-test: long mode: passed-through CPUID keeps registers and is counted",
    "[guest] vcpu-test: long mode: port exits merge RAX by size and keep the other registers",
    "[guest] vcpu-test: long mode: RDMSR, WRMSR and VMCALL keep the registers they do not write",
    "[guest] vcpu-test: long mode: exit statistics count CPUID, VMCALL, HLT and CR exits",
    "[guest] vcpu-test: all checks passed",
    "guest: exit code 0",
    R(r"stats: cpu0: \d+ exits CPUID=7 HLT=1 VMCALL=\d+ VMREAD=1 VMXON=1 CR_ACCESS=\d+ IO_INSTRUCTION=5 RDMSR=9 WRMSR=9 INVEPT=1 XSETBV=2"),
    OK_EXIT,
]

CASES += [
    dict(name=f"bochs-vcpu-test-{cpus}cpu", platform="bochs", cpus=cpus, modules=[VCPU_TEST], status=0,
         expect=[f"vmx: {cpus} of {cpus} CPUs in VMX operation",
                 R(r"vm: vm0: guest-physical space up to 4 GiB, EPT in \d+ pages, hypervisor \[fc00000-fe00000\) unmapped")]
         + VCPU_TEST_LINES, forbid=[R(r"FAILED|vm-stop")])
    for cpus in (1, 2)
] + [
    dict(name="bochs-entry-failure", platform="bochs", modules=[VCPU_TEST], cmdline="selftest=bad-guest-state",
         status=122, expect=[
             "selftest: breaking the guest state on purpose: CR0.PG without CR0.PE",
             "vm-stop: reason=entry-failure cpu=0 rip=7c00 cause=invalid-guest-state qualification=0",
             R(r"error:   cr0=[0-9a-f]*8[0-9a-f]{7} cr3=0000000000000000 cr4=[0-9a-f]{16} efer=0000000000000000"),
             R(r"error:   exit reason 33 \(INVALID_GUEST_STATE\), qualification 0000000000000000, .*"),
             "error: VMCS:",
             R(r"error:   VM_EXIT_REASON +\(4402\) = 0000000080000021"),
             R(r"error:   GUEST_CR0 +\(6800\) = 00000000800[0-9a-f]{5}"),
             "exit: status=122 (guest stopped), on_exit=auto"]),
    dict(name="qemu-guest-no-vmx", platform="qemu", modules=[VCPU_TEST], status=121, expect=NO_VMX,
         forbid=[R(r"\[guest\]")]),
]

PIT_CALIBRATION = R(r"\[guest\] selftest: pit: channel 2 calibrates the TSC at (399[6-9]|400[0-4]) kHz by its count; "
                    r"by OUT2 at port 0x61 polled as Linux does, (399[6-9]|400[0-4]) kHz \(one poll: \d+ TSC ticks\)")
SELFTEST = ("build/guests/selftest.elf", "multiboot name=selftest -- quiet")
SELFTEST_LINES = [
    'guest: selftest: multiboot1 kernel, 1 segment(s), entry 100010, 0 module(s), command line "quiet"',
    "guest: selftest: starting on cpu0",
    "[guest] selftest: started as a multiboot1 kernel",
    "[guest] selftest: uart: a 16550A by the Linux probe; this text goes out on THR-empty interrupts",
    "[guest] selftest: memory: one usable range from 1 MiB to 252 MiB, the hypervisor's block reserved",
    "[guest] selftest: rtc: the date is 2000-01-01 (BCD, read the way Linux reads it)",
    "[guest] selftest: cmos: 64 bytes of battery-backed RAM keep what is written",
    "[guest] selftest: rtc: 16 periodic interrupts at 1024 Hz through the 8259A (IRQ 8)",
    "[guest] selftest: rtc: 16 periodic interrupts at 256 Hz come as fast while the guest polls the UART as while it halts",
    # Bochs's TSC runs at 4 MHz (ips=4000000): within 0.1% by the count, and by OUT2 polled (Linux's way) to half a poll
    PIT_CALIBRATION,
    "[guest] selftest: pit: 16 periodic interrupts at 100 Hz through the 8259A (IRQ 0), on time by that TSC",
    R(r"\[guest\] selftest: hypercalls: \d+ port I/O exits so far"),
    "[guest] selftest: events: a #GP arrives while 32 raised interrupts wait; then each of them once, highest vector first",
    "[guest] selftest: ioapic: this line goes out on UART interrupts through GSI 4, edge-triggered",
    "[guest] selftest: ioapic: this line goes out on UART interrupts through GSI 4, level-triggered",
    "[guest] selftest: ioapic: 16 RTC interrupts through GSI 8, edge-triggered",
    "[guest] selftest: ioapic: 16 RTC interrupts through GSI 8, level-triggered: remote IRR until each EOI, one interrupt per event",
    "[guest] selftest: ioapic: 16 PIT periods at 100 Hz through GSI 2 (IRQ 0's override), on time by the TSC",
    "[guest] selftest: ioapic: 24 pins; the UART, RTC and PIT interrupt through it, 8259 pair masked",
    # The machine's 8042 on ISA IRQ 1, a pin no model drives: passed through (host vector 0xD1), edge and level.
    "[guest] selftest: passthrough: the 8042's IRQ 1 through GSI 1, a pin no model drives: one interrupt per byte, "
    "twice edge- and twice level-triggered",
    "[guest] selftest: all checks passed",
    "guest: exit code 0",
    R(r"stats: cpu0: \d+ exits .*IO_INSTRUCTION=\d+.*"),
    OK_EXIT,
]


def selftest_case(name, cpus, **kw):
    """The self-test guest on `cpus` CPUs: each AP is started by the guest and says so (in any order)."""
    smp = (f"[guest] selftest: smp: {cpus} of {cpus} CPUs run the guest, started by INIT-SIPI-SIPI" if cpus > 1
           else "[guest] selftest: smp: one CPU, no application processors to start")
    storm = ["[guest] selftest: events: 200 NMIs from another CPU while the guest handles one arrive as one more, as on hardware"]
    lines = SELFTEST_LINES[:-11] + [smp] + (storm if cpus > 1 else []) + SELFTEST_LINES[-11:]  # before ioapic
    # An AP may read the RTC while the clock's update cycle is on (UIP set): its line says so.
    aps = [R(rf"\[guest\] selftest: smp: a CPU with APIC ID {i} runs the guest; the RTC year reads 0x00"
             r"( \(during an update\))?") for i in range(1, cpus)]
    stats = [R(rf"stats: cpu{i}: \d+ exits .*VMCALL=1 .*EPT_VIOLATION=\d+.*") for i in range(1, cpus)]
    case = dict(name=name, platform="bochs", cpus=cpus, modules=[SELFTEST], status=0, timeout=90,
                # The hypervisor's TSC calibration (PIT counter 2, latched counts over 50 ms) is Bochs's exact
                # 4 MHz: every guest clock (PIT, RTC, HPET) runs on it.
                expect=["time: TSC 4.000 MHz (from PIT)", f"smp: {cpus} of {cpus} CPUs online", f"vmx: {cpus} of {cpus} CPUs in VMX operation"]
                + lines, forbid=[R(r"FAILED|vm-stop|warning|error")])
    case.update(kw)
    case["expect_regex_all"] = aps + stats
    return case

CASES += [selftest_case(f"bochs-selftest-guest-{cpus}cpu", cpus) for cpus in (1, 2, 4)] + [
    selftest_case("bochs-selftest-guest-via-multiboot1", 2, entry=1,
                  expect=[R(r"hypervisor \S+ booting \(multiboot1\)"), R(r'boot: loader "GRUB [^"]+", command line "[^"]*", 1 module\(s\)')]
                  + SELFTEST_LINES[:-11] + ["[guest] selftest: smp: 2 of 2 CPUs run the guest, started by INIT-SIPI-SIPI"]
                  + SELFTEST_LINES[-11:]),
    dict(name="bochs-guest-bad-image", platform="bochs", modules=[("build/guests/vcpu_test.bin", "multiboot name=notmb")],
         status=122, expect=["error: guest: notmb: no multiboot1 header in the first 8192 bytes",
                             "exit: status=122 (guest stopped), on_exit=auto"]),
    dict(name="bochs-guest-bad-module-line", platform="bochs", modules=[("build/guests/vcpu_test.bin", "elf name=x")],
         status=122, expect=['error: guest: module "elf name=x": unknown image kind \'elf\' (expected: flat, multiboot, linux, initrd, module)',
                             "exit: status=122 (guest stopped), on_exit=auto"]),
]

# Loaders: a multiboot kernel gets its modules; a kernel in low memory keeps it; bad module orders and images.
MODULE1, MODULE2 = "tests/guests/selftest/module1.txt", "tests/guests/selftest/module2.txt"
STOPPED_122 = "exit: status=122 (guest stopped), on_exit=auto"
MODULE_LINES = ["[guest] selftest: modules: 2 module(s)",
                '[guest] selftest: modules: "first one", 32 bytes, starting "selftest module "',
                '[guest] selftest: modules: "", 7 bytes, starting "second."',
                "guest: exit code 0"]


def modules_case(case, image, name, entry):
    """The self-test kernel with two modules ("modules"): the loader's lines, then what the kernel received."""
    placed = [R(rf'guest: {name}: module {n} \(guest\), {size} bytes at \[[0-9a-f]+-[0-9a-f]+\), string "{string}"')
              for n, size, string in ((1, 32, "first one"), (2, 7, ""))]
    return dict(name=f"bochs-guest-multiboot-{case}", platform="bochs", status=0,
                modules=[(image, f"multiboot name={name} -- modules"), (MODULE1, "module -- first one"),
                         (MODULE2, "module")],
                expect=placed + [f"guest: {name}: the multiboot1 information block at [1000-4000)",
                                 f'guest: {name}: multiboot1 kernel, 1 segment(s), entry {entry:x}, 2 module(s), '
                                 'command line "modules"'] + MODULE_LINES)


def bad_modules(name, modules, error):
    return dict(name=f"bochs-guest-{name}", platform="bochs", modules=modules, status=122,
                expect=[f"error: guest: {error}", STOPPED_122])


CASES += [
    modules_case("modules", "build/guests/selftest.elf", "selftest", 0x100010),
    # Linked at 0x8000 (to about 0x56000 with its BSS): its information block goes below it, its modules above
    # (the guest checks that they are past its image's end).
    modules_case("low", "build/guests/selftest-low.elf", "low", 0x8010),
    bad_modules("initrd-first", [(MODULE1, "initrd")],
                'the first module is an initrd "initrd": a guest image (flat, multiboot or linux) must come first'),
    bad_modules("initrd-after-multiboot", [("build/guests/selftest.elf", "multiboot"), (MODULE1, "initrd")],
                'module 2 is initrd "initrd", which a multiboot guest does not take (after a multiboot image: module)'),
    bad_modules("module-after-flat", [("build/guests/vcpu_test.bin", "flat"), (MODULE1, "module")],
                'module 2 is module "module", which a flat guest does not take (a flat image takes no modules; '
                'one guest runs at a time)'),
    bad_modules("linux-not-bzimage", [("build/guests/vcpu_test.bin", "linux name=notlinux")],
                'notlinux: not a Linux bzImage (no boot flag 0xAA55 and "HdrS" setup header)'),
]


def lapic_case(cpus):
    """The self-test guest's local APIC checks alone ("apic"): timer modes, IPIs, x2APIC on every CPU."""
    lines = [PIT_CALIBRATION,
             f"[guest] selftest: smp: {cpus} of {cpus} CPUs run the guest, started by INIT-SIPI-SIPI",
             f"[guest] selftest: lapic: xAPIC on {cpus} CPU(s): APIC ID = CPUID.1 EBX[31:24], version 0x14 with max LVT "
             "5 or 6, flat DFR and LDR read back as written",
             "[guest] selftest: lapic: timer one-shot: count 2500 at divide 128 fires once, on time by the TSC",
             "[guest] selftest: lapic: timer one-shot: wakes a CPU halted for it, on time",
             "[guest] selftest: lapic: timer periodic: 10 periods of count 2500 at divide 16 and of 50000 at divide 1, "
             "each within 3% by the TSC",
             R(r"\[guest\] selftest: lapic: timer TSC-deadline: (fires at the programmed TSC \(within 5 ms\), then reads 0"
               r"|not offered \(CPUID\.1:ECX\[24\] clear\))"),
             "[guest] selftest: lapic: xAPIC IPIs: fixed physical, flat logical, all-but-self, all, self, lowest priority "
             "to two CPUs (each way): each ran once where due",
             f"[guest] selftest: lapic: x2APIC on {cpus} CPU(s): ID MSR = CPUID.0xB EDX = CPUID.1 EBX[31:24], version "
             "0x14, LDR = cluster << 16 | 1 << (ID & 15)",
             R(r"\[guest\] selftest: lapic: LVT CMCI (there|absent) as IA32_MCG_CAP\.CMCI_P says: .*"),
             "[guest] selftest: lapic: x2APIC IPIs: fixed physical, cluster logical, all-but-self, all, self, the SELF IPI "
             "MSR: each ran once where due",
             "[guest] selftest: lapic: x2APIC timer periodic: 10 periods of count 2500 at divide 16 within 3% by the TSC",
             "[guest] selftest: all checks passed", "guest: exit code 0", OK_EXIT]
    return dict(name=f"bochs-selftest-lapic-{cpus}cpu", platform="bochs", cpus=cpus, status=0, timeout=90,
                modules=[("build/guests/selftest.elf", "multiboot name=selftest -- quiet apic")],
                expect=lines, forbid=[R(r"FAILED|vm-stop|warning|error")])

CASES += [lapic_case(cpus) for cpus in (2, 4)]

# "timers": the PIT, the ACPI PM timer (passed through) and the emulated HPET against the TSC.
CASES += [
    dict(name="bochs-selftest-timers", platform="bochs", cpus=1, status=0, timeout=90,
         modules=[("build/guests/selftest.elf", "multiboot name=selftest -- quiet timers")],
         expect=["time: TSC 4.000 MHz (from PIT)",
                 "hpet: emulated at 0xfed00000: 3 timers, 10 MHz, legacy replacement onto IRQ 0 and 8, routes 0x104",
                 PIT_CALIBRATION,
                 "[guest] selftest: pit: 16 periodic interrupts at 100 Hz through the 8259A (IRQ 0), on time by that TSC",
                 # Bochs's PM timer (PIIX4, port 0xB008) against its 4 MHz TSC, read without exits
                 R(r"\[guest\] selftest: pmtimer: the ACPI PM timer at port \d+ calibrates the TSC at (399[6-9]|400[0-4]) kHz"),
                 "[guest] selftest: hpet: Intel, 3 timers, 64-bit counter, legacy replacement capable, period 100000000 fs, "
                 "routes to GSI 2 and 8",
                 R(r"\[guest\] selftest: hpet: the main counter runs at (999\d|100(0\d|10)) kHz by the TSC \(halted, it keeps "
                   r"what is written\)"),
                 "[guest] selftest: hpet: a one-shot comparator (timer 2, 64-bit, edge) interrupts once through GSI 8, 20 ms "
                 "after it was set",
                 "[guest] selftest: hpet: a level timer's status bit: set at the match with its interrupt off, cleared by "
                 "writing 1; on, one interrupt through GSI 8 until then",
                 "[guest] selftest: hpet: legacy replacement: timer 0 at 50 Hz on GSI 2 (on time, the PIT's 100 Hz cut off), "
                 "timer 1 on GSI 8 (the RTC's cut off); then the PIT again",
                 "[guest] selftest: all checks passed", "guest: exit code 0", OK_EXIT],
         forbid=[R(r"FAILED|vm-stop|warning|error")],
         # 126 measured: the PIT's and the HPET's interrupts the checks ask for (92), and the console's refills
         # of the machine's UART's FIFO with the guest's lines while the guest makes no exit (34). Before the
         # console queue: 92, and 193 while each device deadline ended the guest a moment early and took a
         # second exit to find the device due
         check=exit_budget.at_most(0, "PREEMPTION_TIMER", 160)),
]

POLLED_LINE = "polled, no FIFO"
CASES += [
    dict(name="bochs-typed-input", platform="bochs", cpus=1, status=0,
         modules=[("build/guests/selftest.elf", "multiboot name=selftest -- echo")],
         serial_input=("selftest: echo: type a line", "typed on COM1\r"),
         expect=["[guest] selftest: echo: type a line", '[guest] selftest: echo: got "typed on COM1"',
                 "[guest] selftest: all checks passed", "guest: exit code 0", OK_EXIT]),
    # A line typed at once, read by polling LSR with the FIFOs off: the receiver reads look at the physical
    # console (receive interrupts are off, so nothing else does), and each byte reaches the one-byte receiver
    # after the guest took the one before. 16 bytes with the CR: under Bochs's 4 MIPS a byte taken costs about
    # two byte times at 115200 baud, so a longer line overflows Bochs's own 16-byte FIFO in front of us.
    dict(name="bochs-typed-input-polled", platform="bochs", cpus=1, status=0,
         modules=[("build/guests/selftest.elf", "multiboot name=selftest -- echo-polled")],
         serial_input=("selftest: echo-polled: type a line", POLLED_LINE + "\r"),
         expect=["[guest] selftest: echo-polled: type a line", f'[guest] selftest: echo-polled: got "{POLLED_LINE}"',
                 "[guest] selftest: all checks passed", "guest: exit code 0", OK_EXIT]),
]

CASES += cases_bootpaths.CASES
CASES += cases_adversarial.CASES
CASES += cases_pae.CASES
CASES += cases_memory.CASES
CASES += cases_debug.CASES
CASES += cases_power.CASES
CASES += cases_linux.CASES
