# SPDX-License-Identifier: BSD-2-Clause
"""Boot cases of the debug guest (tests/guests/debug_test.S): the guest's own debugging survives VM exits.

Each case starts the guest at the entry point of one scenario: DR7 and IA32_DEBUGCTL across exits, instruction
breakpoints, INVD, single-step over instructions the hypervisor emulates.
"""
import re

R = re.compile
GUEST = "build/guests/debug_test.bin"
SCENARIOS = ["dr7", "breakpoint", "invd", "single-step", "step-irq"]


def case(scenario, expect):
    start = f"0000:{0x7c00 + 8 * SCENARIOS.index(scenario):04x}"
    return dict(name=f"bochs-debug-{scenario}", platform="bochs", cpus=1, status=0,
                modules=[(GUEST, f"flat name=debug-{scenario} start={start}")],
                expect=[f"guest: debug-{scenario}: starting on cpu0"] + expect
                + ["guest: exit code 0", "exit: status=0 (ok), on_exit=auto"],
                forbid=[R(r"FAILED|panic|vm-stop"), R(r"^(warning|error):")])


CASES = [
    # Bochs 2.7 has no IA32_DEBUGCTL MSR (the guest's write is ignored, reads give 0): DR7 is what is checked.
    case("dr7", ["[guest] debug-test: dr7: IA32_DEBUGCTL reads 0 after a write of LBR: no such MSR here, checked as 0",
                 "[guest] debug-test: dr7: DR7 and IA32_DEBUGCTL keep their values across CPUID, port, VMCALL, "
                 "RDMSR and CR exits"]),
    case("breakpoint", ["[guest] debug-test: breakpoint: DR0 fires after CPUID and OUT exits",
                        "[guest] debug-test: breakpoint: DR1 on an emulated OUT and DR2 right after it fire once each"]),
    case("invd", ["[guest] debug-test: invd: INVD at CPL 0 went on; memory written before it kept its value"]),
    case("single-step", ["[guest] debug-test: single-step: one #DB per instruction over OUT, IN, CPUID, RDMSR, "
                         "VMCALL, INVD and MOV SS"]),
    # A single-step trap owed by an emulated OUT and the interrupt it unmasks: the #DB first, then the interrupt.
    case("step-irq", ["[guest] debug-test: step-irq: the #DB of the OUT that unmasked IRQ 4 came first, then the "
                      "interrupt, once each"]),
]
