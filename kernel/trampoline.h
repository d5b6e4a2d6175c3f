/* SPDX-License-Identifier: BSD-2-Clause */
/* Layout of the AP trampoline page (boot/ap/trampoline.S): parameters the boot CPU fills in, code after. */
#ifndef KERNEL_TRAMPOLINE_H
#define KERNEL_TRAMPOLINE_H

#define TR_GDT_DESC     0x08    /* u16 limit, u32 linear base of TR_GDT */
#define TR_FAR64        0x10    /* u32 linear address of TR_CODE64, u16 code selector */
#define TR_CR3          0x18    /* u32: the boot page tables (below 4 GiB) */
#define TR_STACK        0x20    /* u64: this AP's stack top */
#define TR_PERCPU       0x28    /* u64: this AP's per-CPU block (GS base, first argument) */
#define TR_ENTRY        0x30    /* u64: the C entry, void ap_entry(struct percpu *) */
#define TR_GDT          0x40    /* null, 64-bit code, data */
#define TR_CODE64       0x100   /* 64-bit part */
#define TR_SIZE         0x200

#endif
