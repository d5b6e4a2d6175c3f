# SPDX-License-Identifier: BSD-2-Clause
"""Boot-path cases (ISO under BIOS and UEFI, PXE through GRUB and iPXE): see cases.py for the format.

The ISO under BIOS is qemu-boot-multiboot2 in cases.py. Each case here passes an option, brings up every CPU
under QEMU TCG and ends on the no-VMX status; "boot" picks the firmware and medium (scripts/emulate.py).
"""
import re

R = re.compile
CMDLINE = "loglevel=info"   # the default level: proves the command line arrives without changing the log
NO_VMX = ["vmx: unavailable: the CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0)",
          "exit: status=121 (VMX unavailable), on_exit=auto"]


def boot_path_case(name, boot, cpus, protocol, loader, rsdp_source, extra_expect=(), extra_forbid=()):
    return dict(
        name=name, platform="qemu", boot=boot, cpus=cpus, cmdline=CMDLINE, status=121,
        expect_all=[f"smp: cpu{i} online, APIC ID {i}" for i in range(1, cpus)],
        expect=[
            R(rf"hypervisor \S+ booting \({protocol}\)"),
            R(rf'boot: loader "{loader} [^"]+", command line "{CMDLINE}", 0 module\(s\)'),
            *extra_expect,
            R(r"mem: \[0000000000100000-[0-9a-f]{16}\] usable"),
            R(r"mem: hypervisor block \[[0-9a-f]*[02468ace]00000-[0-9a-f]+\) \(2048 KiB for \d CPU\(s\)\) at the top of usable RAM "
              r"below 4 GiB \(moved from the load address 4000000\)"),
            R(r"mem: hypervisor image \[[0-9a-f]{16}-[0-9a-f]{16}\], \d+ KiB free for allocation"),
            R(rf"acpi: RSDP revision \d \(from {re.escape(rsdp_source)}\)"),
            R(rf"acpi: MADT: {cpus} CPU\(s\) enabled, \d+ hot-pluggable, 1 I/O APIC\(s\), \d+ interrupt override\(s\)"),
            "smp: cpu0 online, APIC ID 0 (boot CPU, xAPIC mode)",
            f"smp: {cpus} of {cpus} CPUs online",
            NO_VMX[0],
            f"smp: {cpus - 1} of {cpus - 1} other CPUs stopped",
            NO_VMX[1],
        ],
        forbid=[R(r"warning: cmdline|did not answer|warning: smp|error: smp"), *extra_forbid])


# GRUB on UEFI hands over the EFI memory map (tag 17), which the parser prefers: 64 MiB lies in free RAM, and
# no entry keeps GRUB's internal type 20 ("unknown") that its converted tag-6 map has for runtime code.
UEFI_MAP = dict(extra_expect=[R(r"mem: \[0000000000000000-000000000009ffff\] usable")],
                extra_forbid=[R(r"^mem: .* unknown$")])

CASES = [
    boot_path_case("qemu-uefi-iso", "uefi", 4, "multiboot2", "GRUB", "multiboot2 ACPI (new) tag", **UEFI_MAP),
    boot_path_case("qemu-pxe-grub", "pxe-grub", 2, "multiboot2", "GRUB", "multiboot2 ACPI (old) tag"),
    boot_path_case("qemu-pxe-grub-uefi", "pxe-grub-uefi", 2, "multiboot2", "GRUB", "multiboot2 ACPI (new) tag",
                   **UEFI_MAP),
    # iPXE's multiboot1 info has no ACPI pointer: the RSDP comes from the BIOS areas.
    boot_path_case("qemu-pxe-ipxe", "pxe-ipxe", 4, "multiboot1", "iPXE", "BIOS area scan"),
]
