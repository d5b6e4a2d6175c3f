# SPDX-License-Identifier: BSD-2-Clause
"""Boot cases of the adversarial guest (tests/guests/adversarial.S): a misbehaving guest never hurts the hypervisor.

Each case starts the guest at the entry point of one scenario. Guests that touch what they must not are stopped
with a vm-stop report (exact first line, then the register dump) and status 122; a triple fault is a reset
(status 124); the others end with their own verdict. Every case checks that the hypervisor's text is unchanged
and its free memory the same after the guest.
"""
import re

R = re.compile
GUEST = "build/guests/adversarial.bin"
STOPPED = "exit: status=122 (guest stopped), on_exit=auto"
STATUS_NAMES = {0: "ok", 124: "guest reset"}
UNCHANGED = [R(r"vm: hypervisor text checksum ([0-9a-f]{16}) before the guest, \1 after: unchanged"),
             R(r"vm: hypervisor memory: (\d+) KiB free before the guest, \1 KiB after")]
SCENARIOS = ["hv-read", "hv-write", "hv-exec", "hv-pdpte", "triple", "strings", "ports", "calls", "flood",
             "init-bsp", "init-ap", "random", "tpr", "tpr-ap", "ioapic-init", "vectors", "apic-off", "deadline",
             "init-storm", "apic-move", "apic-ram"]
DUMP = [R(r"error:   rax=[0-9a-f]{16} rbx=[0-9a-f]{16} rcx=[0-9a-f]{16} rdx=[0-9a-f]{16}"),
        R(r"error:   rip=[0-9a-f]{16} rflags=[0-9a-f]{16} cs=[0-9a-f]{4} .*"),
        R(r"error:   exit reason \d+ \(\w+\), qualification [0-9a-f]{16}, interruptibility [0-9a-f]+, activity \d+")]


def case(scenario, expect, status=0, cpus=1, timeout=60, after=(), known_bug=None):
    n = SCENARIOS.index(scenario)
    start = f"0000:{0x7c00 + 8 * n:04x}"
    return dict(name=f"bochs-adversarial-{scenario}", platform="bochs", cpus=cpus, timeout=timeout, status=status,
                modules=[(GUEST, f"flat name=adv-{scenario} start={start}")],
                expect=[f"guest: adv-{scenario}: starting on cpu0"] + expect + UNCHANGED + list(after)
                + [STOPPED if status == 122
                   else f"exit: status={status} ({STATUS_NAMES.get(status, 'guest exit code')}), on_exit=auto"],
                forbid=[R(r"FAILED|panic|\[guest\] (?!adv: )" if scenario != "random" else r"FAILED|panic")]
                + ([R(r"vm-stop")] if status != 122 else [])
                + ([R(r"^(warning|error):")] if status == 0 else []),  # survived: no complaint from the hypervisor
                **({"known_bug": known_bug} if known_bug else {}))


def stop(scenario, report, dump=DUMP):
    return case(scenario, [report] + list(dump), status=122)


FLOOD = [f"[guest] adv: flood: line {i:04d}" for i in range(1, 1001)]

# Where the hypervisor's block lands in Bochs with 256 MiB: usable RAM ends at 0xfff0000 (ACPI data above), less
# the 2 MiB block (up to 9 CPUs), aligned down to 2 MiB. The guest finds it by CPUID 0x40000002 and touches it there.
HV = "fc00000"
HV_LINE = (f"mem: hypervisor block [{HV}-fe00000) (2048 KiB for 1 CPU(s)) at the top of usable RAM below 4 GiB "
           "(moved from the load address 4000000)")

CASES = [
    dict(stop("hv-read", f"vm-stop: reason=ept-violation cpu=0 rip=7d00 gpa={HV} access=r memory=hypervisor"),
         expect_all=[HV_LINE]),
    stop("hv-write", "vm-stop: reason=ept-violation cpu=0 rip=7d10 gpa=fc01000 access=w memory=hypervisor",
         [R(r"error:   rax=cccccccccccccccc rbx=.*")] + DUMP[1:]),
    stop("hv-exec", f"vm-stop: reason=ept-violation cpu=0 rip={HV} gpa={HV} access=x memory=hypervisor"),
    stop("hv-pdpte", f"vm-stop: reason=ept-violation cpu=0 rip=7d40 gpa={HV} access=r memory=hypervisor"),
    # A triple fault is a reset on a PC: the run ends as one (status 124), with the guest's registers.
    case("triple", ["guest: reset via triple fault",
                    "error:   rax=1111111111111111 rbx=2222222222222222 rcx=3333333333333333 rdx=4444444444444444",
                    R(r"error:   rip=0000000000007d20 rflags=[0-9a-f]{16} cs=0018 .*"),
                    R(r"error:   cr0=[0-9a-f]{8}8[0-9a-f]{7} cr3=0000000000001000 cr4=[0-9a-f]{16} efer=0000000000000500"),
                    R(r"error:   exit reason 2 \(TRIPLE_FAULT\), .*")], status=124),
    case("strings", [
        "[guest] adv: strings: real mode: REP OUTSB/INSB of 7, 13, 9, 11 bytes, DF=0/1, DI wraps at 64 KiB",
        "[guest] adv: strings: protected mode: REP OUTSB/INSB of 15, 5, 3 bytes, DF=0/1, through DS and FS",
        "[guest] adv: strings: one REP OUTSB of 301 bytes, line 1 of 3: 01234567890123456789012345678901234567890123",
        "[guest] adv: strings: one REP OUTSB of 301 bytes, line 2 of 3: 01234567890123456789012345678901234567890123",
        "[guest] adv: strings: one REP OUTSB of 301 bytes, line 3 of 3: 012345678901234567890123456789012345678901234",
        "[guest] adv: strings: long mode: REP OUTSB/INSB of 13, 15, 1 bytes across pages, DF=0/1, through DS and FS",
        "[guest] adv: strings: long mode: REP INSB of 301 bytes, DF=0 and DF=1",
        "guest: exit code 0"]),
    case("ports", [
        "[guest] adv: ports: inw/inl at 0x3fc read MCR, LSR, MSR, SCR; inw 0x3ff reads SCR",
        "[guest] adv: ports: inw 0x3f7 reads the hardware's 0x3f7, then RBR",
        "[guest] adv: ports: outw 0x70 writes index and data; inw 0x70 reads 0xff, then data",
        "[guest] adv: ports: outw/inw 0x4d0 reach both ELCRs",
        "guest: exit code 0"]),
    case("calls", [
        "[guest] adv: calls: real mode: unknown RDMSR, WRMSR of FEATURE_CONTROL, CR4.VMXE, VMXON fault",
        "[guest] adv: calls: VMCLEAR, VMPTRLD, VMPTRST, VMWRITE, VMLAUNCH, VMRESUME, VMXOFF, INVVPID raise #UD",
        "[guest] adv: calls: CPUID.1 hides VMX and MONITOR/MWAIT; MONITOR and MWAIT raise #UD",
        "[guest] adv: calls: CPUID leaf 5 is empty; WAITPKG and XSAVES hidden",
        "[guest] adv: calls: RDMSR/WRMSR of unknown and VMX MSRs raise #GP",
        "[guest] adv: calls: hypercalls with pointers into MMIO, past RAM, into the hypervisor, wrapping: EFAULT",
        "[guest] adv: calls: length 0 returns 0; too long, bad vectors: EINVAL; unknown numbers: ENOSYS",
        "guest: exit code 0"]),
    case("flood", FLOOD + ["[guest] adv: flood: all lines sent", "guest: exit code 0"]),
    stop("init-bsp", "vm-stop: reason=init-of-boot-cpu cpu=0 rip=7d32"),
    # The guest's I/O APIC sends INIT on the emulated PIT's pin (GSI 2): the boot vCPU's INIT stops the VM. The
    # machine's I/O APIC at the same address is no longer reachable: the guest programs its own.
    stop("ioapic-init", "vm-stop: reason=init-of-boot-cpu cpu=0 rip=7d50"),
    case("init-ap", ["[guest] adv: init-ap: an AP's INIT to itself left it waiting for SIPI; the next SIPI started it",
                     "guest: exit code 0"], cpus=2),
    case("random", ["[guest] adv: random: 4000 random accesses to the PIC, ELCR, RTC and UART ports done",
                    "guest: exit code 42"], status=42),
    # The guest's TPR is its own local APIC's: the hypervisor's wake IPI (and the stop's NMI) reach it anyway.
    case("tpr", ["[guest] adv: tpr: the boot CPU spins with TPR 15 and interrupts off; an AP ends the run",
                 "guest: exit code 0"], after=[R(r"stats: cpu0: \d+ exits EXCEPTION_NMI=1 .*")], cpus=2),
    # The same on an AP: its TPR is its local APIC's, and the wake IPI ends its guest execution, so the
    # cross-CPU calls and the stop at the end reach it (before, only the preemption timer's stop watch could).
    case("tpr-ap", ["[guest] adv: tpr-ap: an AP spins with TPR 15 and interrupts off; the boot CPU ends the run",
                    "guest: exit code 0"],
         after=[R(r"stats: cpu1: \d+ exits .*EXTERNAL_INTERRUPT=\d+.*"), "smp: 1 of 1 other CPUs stopped"], cpus=2),
    # Vectors 0xF0 and 0xFF are the guest's too: its self-IPIs and IPIs there arrive and are EOI'd, and the run
    # ends in time (before, 0xF0 was swallowed as the wake IPI and 0xFF left in service, blocking the APIC).
    case("vectors", ["[guest] adv: vectors: self-IPIs and IPIs on vectors 0xF0 and 0xFF arrive and are EOI'd",
                     "guest: exit code 0"]),
    # A software-disabled APIC with TPR 15 is the guest's own: the stop still reaches the boot CPU.
    case("apic-off", ["[guest] adv: apic-off: the boot CPU software-disables its APIC and spins with TPR 15; an AP ends the run",
                      "guest: exit code 0"], after=["smp: 1 of 1 other CPUs stopped"], cpus=2),
    # IA32_TSC_DEADLINE follows the guest's TSC after the guest wrote it (before, it was passed through while the
    # TSC was offset, and never fired).
    case("deadline", ["[guest] adv: deadline: the TSC-deadline timer fires after the guest wrote its TSC",
                      "guest: exit code 0"]),
    # Hundreds of INITs to an AP (physical, all-but-self, de-asserts), NMIs to it while it waits, and a self-shorthand
    # INIT (not a valid combination: ignored): the AP waits for each SIPI (a wake IPI to the parked vCPU with no INIT
    # to take used to start it at the reset vector), and the run ends with the guest's status, in time.
    case("init-storm", ["[guest] adv: init-storm: 100 INIT-SIPI restarts of an AP, then 300 INITs to it, INIT "
                        "de-asserts and 100 NMIs; a self INIT is ignored", "guest: exit code 0"],
         after=["smp: 1 of 1 other CPUs stopped"], cpus=2, timeout=90),
    # The xAPIC page follows IA32_APIC_BASE: the moved page is the vCPU's APIC (ID, version, TPR, an INIT-SIPI
    # through its ICR), the old one nothing for it; the x2APIC MSRs #GP in xAPIC mode; junk written to the old page
    # and to the I/O APIC reaches neither machine's APIC: the hypervisor's stop still reaches both CPUs in time.
    case("apic-move", ["[guest] adv: apic-move: the x2APIC MSRs #GP in xAPIC mode",
                       "[guest] adv: apic-move: the xAPIC page moved to 0xfef00000 answers there (ID, version, TPR); "
                       "the old page reads all ones and drops writes",
                       "[guest] adv: apic-move: junk written to every I/O APIC register stays in the guest's I/O APIC",
                       "[guest] adv: apic-move: INIT-SIPI through the moved page's ICR started an AP, which ends the run",
                       "guest: exit code 0"], after=["smp: 1 of 1 other CPUs stopped"], cpus=2),
    # Onto RAM the page cannot be trapped for one vCPU alone: a clear stop.
    stop("apic-ram", "vm-stop: reason=apic-base-moved cpu=0 rip=7d60 value=100900: the xAPIC page moves only to a "
         "page that is neither RAM nor another device's (this one is RAM)"),
]
