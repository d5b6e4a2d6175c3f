# SPDX-License-Identifier: BSD-2-Clause
"""Memory-size cases: the hypervisor moves itself to the top of usable RAM below 4 GiB (boot/relocate.c), so the
guest's RAM is one range from 1 MiB up to the hypervisor's 4 MiB block, whatever the machine's size.

Bochs (VMX): the self-test guest checks its memory map (one usable range from 1 MiB to the block, the block
reserved) and, with "memtest", writes every page of that RAM and reads it back; the hypervisor's text checksum
is unchanged after it. QEMU TCG (no VMX, status 121): the boot path moves the image for odd sizes, above 2 GiB
(where only 64-bit and 32-bit fix-ups work) and under UEFI, and every CPU starts from the moved image.
"""
import re

import cases_adversarial

R = re.compile
MiB = 1 << 20
BLOCK = 2 * MiB     # up to 9 CPUs (kernel/memlayout.h)
NO_VMX = ["vmx: unavailable: the CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0)",
          "exit: status=121 (VMX unavailable), on_exit=auto"]
UNCHANGED = [R(r"vm: hypervisor text checksum ([0-9a-f]{16}) before the guest, \1 after: unchanged"),
             R(r"vm: hypervisor memory: (\d+) KiB free before the guest, \1 KiB after")]


def block_at(usable_end):
    """The block's start: the top of the usable range less the block, aligned down to 2 MiB."""
    return (usable_end - BLOCK) & ~(2 * MiB - 1)


def block_line(start, cpus):
    return (f"mem: hypervisor block [{start:x}-{start + BLOCK:x}) (2048 KiB for {cpus} CPU(s)) at the top of usable "
            "RAM below 4 GiB (moved from the load address 4000000)")


def bochs_memtest(megs, cpus=1, timeout=120):
    """Bochs's BIOS ends usable RAM 64 KiB below the top (ACPI data there)."""
    hv = block_at(megs * MiB - 0x10000)
    return dict(name=f"bochs-memtest-{megs}mib", platform="bochs", memory=megs, cpus=cpus, timeout=timeout,
                modules=[("build/guests/selftest.elf", "multiboot name=selftest -- quiet memtest")], status=0,
                expect=[block_line(hv, cpus),
                        R(rf"vm: vm0: guest-physical space up to 4 GiB, EPT in \d+ pages, hypervisor "
                          rf"\[{hv:x}-{hv + BLOCK:x}\) unmapped"),
                        "guest: selftest: starting on cpu0",
                        f"[guest] selftest: memory: one usable range from 1 MiB to {hv // MiB} MiB, the hypervisor's "
                        "block reserved",
                        R(r"\[guest\] selftest: memtest: (\d+) pages written and read back, up to the hypervisor's block"),
                        "[guest] selftest: all checks passed", "guest: exit code 0", *UNCHANGED,
                        "exit: status=0 (ok), on_exit=auto"],
                forbid=[R(r"FAILED|vm-stop|warning|error")])


def qemu_size(mib, usable_end, cpus=2, boot="cdrom", name=None):
    """QEMU's BIOS map ends usable low RAM 128 KiB below the top of low memory; UEFI's map is its own."""
    hv = block_at(usable_end) if usable_end else None
    return dict(name=name or f"qemu-memory-{mib}mib", platform="qemu", memory=mib, cpus=cpus, boot=boot, status=121,
                expect=[block_line(hv, cpus) if hv else R(r"mem: hypervisor block \[[0-9a-f]+-[0-9a-f]+\) \(2048 KiB for \d CPU\(s\)\) "
                                                     r"at the top of usable RAM below 4 GiB .*"),
                        R(r"mem: hypervisor image \[[0-9a-f]{16}-[0-9a-f]{16}\], \d+ KiB free for allocation"),
                        f"smp: {cpus} of {cpus} CPUs online", *NO_VMX],
                forbid=[R(r"(error|warning): (mem|smp|boot)")])   # GRUB on UEFI may say "error: no suitable video mode"


def bochs_adversarial(scenario, megs, access, rip=None):
    """The adversarial guest finds the block by CPUID 0x40000002 and touches it: the stop reports it there."""
    hv = block_at(megs * MiB - 0x10000)
    report = (f"vm-stop: reason=ept-violation cpu=0 rip={rip or f'{hv:x}'} gpa={hv:x} access={access} "
              "memory=hypervisor")
    case = cases_adversarial.stop(scenario, report)
    return dict(case, name=f"{case['name']}-{megs}mib", memory=megs, expect_all=[block_line(hv, 1)])


CASES = [
    bochs_adversarial("hv-read", 512, "r", rip="7d00"),
    # hv-read, hv-write and hv-exec run in long mode with only the first GiB mapped; hv-pdpte has no paging.
    bochs_adversarial("hv-pdpte", 2048, "r", rip="7d40"),
    bochs_memtest(128),
    bochs_memtest(512),
    bochs_memtest(2048, timeout=180),
    # Odd sizes; 3500 MiB puts the block above 2 GiB; 4 GiB splits RAM at 3 GiB (the rest above 4 GiB).
    qemu_size(77, 77 * MiB - 0x20000),
    # 67 MiB: no 2 MiB block above the image (loaded at 64 MiB): it stays there, and says so.
    dict(qemu_size(67, None), expect=[
        "warning: mem: hypervisor block [4000000-4200000) (2048 KiB for 2 CPU(s)) stays at the load address: nothing free above "
        "the load address", "smp: 2 of 2 CPUs online", *NO_VMX], forbid=[R(r"(error|warning): (smp|boot)")]),
    qemu_size(333, 333 * MiB - 0x20000),
    qemu_size(3500, 3500 * MiB - 0x20000),
    qemu_size(4096, 3072 * MiB - 0x20000),
    qemu_size(200, None, boot="uefi", name="qemu-memory-200mib-uefi"),
    qemu_size(3000, None, boot="uefi", name="qemu-memory-3000mib-uefi"),
]
