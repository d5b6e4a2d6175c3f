# SPDX-License-Identifier: BSD-2-Clause
"""Boot case of the legacy-PAE guest (tests/guests/pae.S): 32-bit protected mode with PAE paging, not long mode."""
import re

R = re.compile

CASES = [
    dict(name="bochs-guest-pae", platform="bochs", modules=[("build/guests/pae.bin", "flat name=pae")], status=0,
         expect=[
             "guest: pae: starting on cpu0",
             "[guest] pae: protected mode with PAE paging on through CR4.PAE then CR0.PG (EFER.LMA clear)",
             "[guest] pae: memory through PDPTE0, PDPTE1 (4 KiB page) and PDPTE3 (2 MiB page) agrees",
             "[guest] pae: CPUID exits under PAE paging",
             "[guest] pae: REP OUTSB through PDPTE3 (2 MiB page)",
             "[guest] pae: REP OUTSB through PDPTE1 (4 KiB page)",
             "[guest] pae: MOV to CR3 loaded PDPTE2; REP OUTSB through it",
             "[guest] pae: CR0.NE exits kept the PDPTEs",
             "[guest] pae: all checks passed",
             "guest: exit code 0",
             R(r"stats: cpu0: \d+ exits .*CR_ACCESS=\d+.*"),
             "exit: status=0 (ok), on_exit=auto"],
         forbid=[R(r"FAILED|vm-stop|triple|panic")]),
]
