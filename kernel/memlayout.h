/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory layout. The hypervisor runs on an identity map (virtual == physical) and is linked at a
 * fixed high address, so the low memory guests expect (real-mode area, 1 MiB .. 64 MiB) stays free:
 *
 *   0            1 MiB                 64 MiB (HV_LOAD_ADDR)                                 top of RAM
 *   | BIOS, IVT, |  guest RAM          | image: headers, text, data, ksyms, bss | page pool ... |  guest RAM
 *   | trampoline |  (tests load at 1M, |  (boot stack, boot page tables in bss) | grows upward  |
 *   |            |   Linux at 16M)     |<------------- hypervisor memory ---------------------->|
 *
 * The page allocator (kernel/pmm.c) hands out pages upward from the end of the image first, so what the
 * hypervisor owns stays one block that later code reports as reserved to the guest and leaves out of EPT.
 * The boot page tables identity-map the first 4 GiB with 2 MiB pages; the allocator stays below 4 GiB.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define HV_LOAD_ADDR      0x4000000   /* 64 MiB: both the multiboot2 ELF and the multiboot1 a.out kludge */
#define HV_IDMAP_LIMIT    0x100000000 /* 4 GiB identity-mapped at boot */
#define HV_LOW_RESERVED   0x100000    /* first MiB: firmware data; never allocated */
#define BOOT_STACK_SIZE   (16 * 1024)
#define HV_MEMORY_SLACK   (8 * 1024 * 1024)   /* room after boot for the VM's EPT, VMCSs, bitmaps */

#endif
