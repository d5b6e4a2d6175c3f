/* SPDX-License-Identifier: BSD-2-Clause */
/* The IDT: one table shared by every CPU: the 32 exceptions (#DF, NMI, #MC on IST stacks), wake IPI, spurious. */
#include "kernel/gdt.h"
#include "kernel/lapic.h"
#include "kernel/traps.h"

#define IDT_INTERRUPT_GATE 0x8E     /* present, DPL 0, 64-bit interrupt gate */

struct idt_entry {
    u16 offset_lo, selector;
    u8 ist, type;
    u16 offset_mid;
    u32 offset_hi, reserved;
} PACKED;

extern const u64 trap_stubs[32];
extern const char wake_ipi_entry[], spurious_entry[];
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

static void set_gate(int vector, u64 a)
{
    idt[vector] = (struct idt_entry){ (u16)a, GDT_CODE, ist_for(vector), IDT_INTERRUPT_GATE, (u16)(a >> 16),
                                      (u32)(a >> 32), 0 };
}

void idt_load(void)
{
    if (!idt[0].type) {
        for (int v = 0; v < 32; v++)
            set_gate(v, trap_stubs[v]);
        set_gate(VECTOR_WAKE_IPI, (u64)wake_ipi_entry);
        set_gate(VECTOR_SPURIOUS, (u64)spurious_entry);
    }
    struct PACKED { u16 limit; u64 base; } ptr = { sizeof idt - 1, (u64)idt };
    __asm__ volatile("lidt %0" :: "m"(ptr));
}
