/* SPDX-License-Identifier: BSD-2-Clause */
/* GDT and TSS setup, once per CPU. */
#include "kernel/gdt.h"
#include "kernel/string.h"

#define SEG_CODE64  0x00AF9A000000FFFFULL   /* present, DPL 0, execute/read, L=1 */
#define SEG_DATA    0x00CF92000000FFFFULL   /* present, DPL 0, read/write, 4 GiB */
#define SEG_TSS_AVAILABLE 0x89ULL           /* present, 64-bit TSS (available) */

void gdt_load(struct cpu_tables *t)
{
    u64 base = (u64)&t->tss;
    u64 limit = sizeof t->tss - 1;

    memset(&t->tss, 0, sizeof t->tss);
    for (int i = 0; i < 3; i++)
        t->tss.ist[i] = (u64)t->ist_stacks[i] + IST_STACK_SIZE;
    t->tss.iomap_base = sizeof t->tss;      /* no I/O bitmap */

    t->gdt[0] = 0;
    t->gdt[1] = SEG_CODE64;
    t->gdt[2] = SEG_DATA;
    t->gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (SEG_TSS_AVAILABLE << 40) |
                ((limit >> 16 & 0xF) << 48) | ((base >> 24 & 0xFF) << 56);
    t->gdt[4] = base >> 32;

    struct PACKED { u16 limit; u64 base; } ptr = { sizeof t->gdt - 1, (u64)t->gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %w3"
        :: "m"(ptr), "i"(GDT_CODE), "r"(GDT_DATA), "r"(GDT_TSS) : "rax", "memory");
}
