/* SPDX-License-Identifier: BSD-2-Clause */
/* The IDT: one table shared by every CPU, with the 32 exception vectors; #DF, NMI, #MC on IST stacks. */
#include "kernel/gdt.h"
#include "kernel/traps.h"

#define IDT_INTERRUPT_GATE 0x8E     /* present, DPL 0, 64-bit interrupt gate */

struct idt_entry {
    u16 offset_lo, selector;
    u8 ist, type;
    u16 offset_mid;
    u32 offset_hi, reserved;
} PACKED;

extern const u64 trap_stubs[32];
static struct idt_entry idt[256];

static u8 ist_for(int vector)
{
    switch (vector) {
    case 2: return IST_NMI;
    case 8: return IST_DOUBLE_FAULT;
    case 18: return IST_MACHINE_CHECK;
    default: return 0;
    }
}

void idt_load(void)
{
    if (!idt[0].type) {
        for (int v = 0; v < 32; v++) {
            u64 a = trap_stubs[v];
            idt[v] = (struct idt_entry){ (u16)a, GDT_CODE, ist_for(v), IDT_INTERRUPT_GATE, (u16)(a >> 16),
                                         (u32)(a >> 32), 0 };
        }
    }
    struct PACKED { u16 limit; u64 base; } ptr = { sizeof idt - 1, (u64)idt };
    __asm__ volatile("lidt %0" :: "m"(ptr));
}
