/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU GDT and TSS. The TSS gives #DF, NMI and #MC stacks of their own (IST) and VMX a host TR. */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "kernel/types.h"

#define GDT_CODE    0x08
#define GDT_DATA    0x10
#define GDT_TSS     0x18

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE   4096

struct tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
} PACKED;

struct cpu_tables {
    u64 gdt[5];                 /* null, code, data, TSS (two slots) */
    struct tss tss;
    _Alignas(16) u8 ist_stacks[3][IST_STACK_SIZE];
};

/* Builds and loads this CPU's GDT and TSS, and reloads every segment register but GS's base. */
void gdt_load(struct cpu_tables *t);

#endif
