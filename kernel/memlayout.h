/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory layout. The hypervisor runs on an identity map (virtual == physical). The loaders put its
 * image at HV_LOAD_ADDR, its link address; before anything records an address, early boot (boot/relocate.c)
 * copies it to the top of usable RAM below 4 GiB and runs it there, so the guest's RAM is one range from 1 MiB:
 *
 *   0            1 MiB                                              top of usable RAM below 4 GiB
 *   | BIOS, IVT, |  guest RAM: one usable range                    | hypervisor block (2 MiB or more) | ACPI,
 *   | trampoline |  (the load address, 64 MiB, is guest RAM again) | image | page pool ...            | MMIO
 *
 * The block starts at a 2 MiB boundary and is a multiple of 2 MiB (the rest of guest RAM keeps 2 MiB EPT
 * pages): the image, then the pages the allocator hands out (kernel/pmm.c, which never leaves the block). The
 * guest's memory map reports the block as reserved and EPT leaves it unmapped. If there is no room above the load
 * address the image stays where it was loaded and the block starts there.
 * The boot page tables identity-map the first 4 GiB with 2 MiB pages; the allocator stays below 4 GiB.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define HV_LOAD_ADDR      0x4000000   /* 64 MiB: both the multiboot2 ELF and the multiboot1 a.out kludge */
#define HV_IDMAP_LIMIT    0x100000000 /* 4 GiB identity-mapped at boot */
#define HV_LOW_RESERVED   0x100000    /* first MiB: firmware data; never allocated */
#define BOOT_STACK_SIZE   (16 * 1024)
/*
 * The hypervisor's block is sized before the move, from the image and the CPU count the MADT gives (early boot
 * reads it; kernel/relocation.c computes): the image (about 410 KiB, 128 KiB of it the symbol table), then
 * HV_BLOCK_PER_CPU for each CPU (measured: 52 KiB: an AP's stack, per-CPU block, GDT and IST stacks 36 KiB, its
 * VMXON region, and per vCPU its VMCS, struct vcpu and virtual APIC page) and HV_BLOCK_BASE for the VM (EPT and
 * bitmaps, about 40 KiB) and a guest image copied aside, rounded up to 2 MiB: 2 MiB for up to 9 CPUs,
 * 18 MiB for 255.
 */
#define HV_BLOCK_BASE     (1024 * 1024)
#define HV_BLOCK_PER_CPU  (64 * 1024)
#define HV_BLOCK_ALIGN    (2 * 1024 * 1024)

#endif
