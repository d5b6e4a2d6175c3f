# SPDX-License-Identifier: BSD-2-Clause
"""Boot cases of the power guest (tests/guests/power.S): a guest's power-off, sleep or reset ends the run.

Each case starts the guest at the entry point of one scenario and expects its one line and status; the machine
(Bochs) is never powered off or reset by the guest: without the traps, a power-off ends Bochs with a panic of its
own and a reset reboots it, so neither the guest's line nor the exit line would come.
"""
import re

R = re.compile
GUEST = "build/guests/power.bin"
SCENARIOS = ["poweroff", "s3", "cf9", "kbc", "port92", "triple", "pci"]
# What the guest hard-codes, from Bochs's FADT (PIIX4 PM base 0xB000) and DSDT (\_S5 = 0): the hypervisor agrees.
TRAPS = ["power: guest power-off and sleep trapped at PM1a control 0xb004 (\\_S5 SLP_TYP 0)",
         "power: guest resets trapped at 0xcf9, 0x64 and 0x92"]
NAMES = {0: "ok", 124: "guest reset", 125: "guest sleep"}


def case(scenario, said, outcome, status, after=()):
    n = SCENARIOS.index(scenario)
    return dict(name=f"bochs-power-{scenario}", platform="bochs", timeout=60, status=status,
                modules=[(GUEST, f"flat name=power-{scenario} start=0000:{0x7c00 + 8 * n:04x}")],
                expect=TRAPS + [f"guest: power-{scenario}: starting on cpu0", f"[guest] power: {scenario}: {said}",
                                outcome] + list(after)
                + [f"exit: status={status} ({NAMES.get(status, 'guest exit code')}), on_exit=auto"],
                forbid=[R(r"FAILED|vm-stop|panic|^warning:")])


RESET = 124
CASES = [
    case("poweroff", "SLP_TYP of \\_S5 to PM1a control, then SLP_EN", "guest: power-off", 0),
    case("s3", "SLP_TYP of \\_S3 with SLP_EN, one byte to PM1a control + 1", "guest: sleep state S3 requested", 125),
    case("cf9", "0x02, then 0x06 to the reset control register", "guest: reset via 0xcf9", RESET),
    case("kbc", "command 0xfe to the keyboard controller", "guest: reset via keyboard controller", RESET),
    case("port92", "A20 through port 0x92, then bit 0", "guest: reset via port 0x92", RESET),
    case("triple", "#UD with an empty IDT", "guest: reset via triple fault", RESET,
         after=[R(r"error:   rip=[0-9a-f]{16} rflags=[0-9a-f]{16} cs=0000 .*"),
                R(r"error:   exit reason 2 \(TRIPLE_FAULT\), .*")]),
    dict(name="bochs-power-pci", platform="bochs", timeout=60, status=0,
         modules=[(GUEST, f"flat name=power-pci start=0000:{0x7c00 + 8 * SCENARIOS.index('pci'):04x}")],
         expect=TRAPS + ["guest: power-pci: starting on cpu0",
                         "[guest] power: pci: configuration, 0xcf9 without bit 2 and PM1a control reach the machine",
                         "guest: exit code 0", "exit: status=0 (ok), on_exit=auto"],
         forbid=[R(r"FAILED|vm-stop|panic|^guest: (reset|power-off|sleep)|^warning:")]),
]
