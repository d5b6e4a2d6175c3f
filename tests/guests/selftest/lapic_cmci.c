/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The LVT CMCI entry (xAPIC offset 0x2F0, x2APIC MSR 0x82F; SDM Vol. 3A 11.5.1, Vol. 3B 17.5.1): there exactly
 * when the CPU reports corrected machine-check interrupts (CPUID.1:EDX.MCA and IA32_MCG_CAP.CMCI_P), and then
 * the version register's max LVT entry is 6, else 5. Present, it resets masked and keeps its vector, delivery
 * mode and mask; absent, the x2APIC MSR #GPs and the xAPIC offset reads 0 whatever is written.
 */
#include "kernel/apic_regs.h"
#include "kernel/cpuid.h"
#include "kernel/msr.h"
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/vectors.h"

#define LVT_CMCI_RESET      0x10000u        /* masked */
#define LVT_CMCI_TEST       0x000000E5u     /* fixed, vector 0xE5, unmasked: nothing raises it */
#define LVT_CMCI_MSR        X2APIC_MSR(APIC_LVT_CMCI)
#define XAPIC(offset)       (*(volatile u32 *)(XAPIC_DEFAULT_BASE + (offset)))

extern const u32 stubs[];
extern void gp_recover(void);
extern volatile u32 gp_resume, gp_count;

static u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (u64)hi << 32 | lo;
}

/* RDMSR and WRMSR of the x2APIC LVT CMCI that count #GPs instead of dying of them. */
static u32 cmci_msr_read(void)
{
    u32 lo = 0, hi = 0;
    __asm__ volatile("movl $1f, gp_resume; rdmsr; 1:" : "+a"(lo), "+d"(hi) : "c"(LVT_CMCI_MSR) : "memory");
    return lo;
}

static void cmci_msr_write(u32 v)
{
    __asm__ volatile("movl $1f, gp_resume; wrmsr; 1:" :: "a"(v), "d"(0), "c"(LVT_CMCI_MSR) : "memory");
}

bool cmci_present(void)
{
    u32 a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (d & CPUID_1_EDX_MCA) && (rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_CMCI_P);
}

/* On the boot CPU, in the mode the local APIC is in now. */
void cmci_check(bool x2)
{
    bool present = cmci_present();
    u32 ver = x2 ? (u32)rdmsr(X2APIC_MSR(APIC_VERSION)) : XAPIC(APIC_VERSION);
    if ((ver >> APIC_VERSION_MAXLVT_SHIFT & 0xFF) != (present ? 6u : 5u))
        finish(140, "lapic: max LVT entry does not say whether the LVT CMCI is there (IA32_MCG_CAP.CMCI_P)");
    if (!x2) {
        u32 reset = XAPIC(APIC_LVT_CMCI);
        XAPIC(APIC_LVT_CMCI) = LVT_CMCI_TEST;
        u32 back = XAPIC(APIC_LVT_CMCI);
        XAPIC(APIC_LVT_CMCI) = LVT_CMCI_RESET;
        if (present ? reset != LVT_CMCI_RESET || back != LVT_CMCI_TEST : reset || back)
            finish(141, "lapic: the xAPIC LVT CMCI does not read as its presence says");
        return;
    }
    cli();
    idt_set(VECTOR_GP, (u32)gp_recover);
    u32 before = gp_count;
    cmci_msr_write(LVT_CMCI_TEST);
    u32 back = cmci_msr_read();
    cmci_msr_write(LVT_CMCI_RESET);
    u32 faults = gp_count - before;
    idt_set(VECTOR_GP, stubs[VECTOR_GP]);
    sti();
    if (present ? faults || back != LVT_CMCI_TEST : faults != 3)
        finish(142, "lapic: the x2APIC LVT CMCI MSR does not answer (or #GP) as its presence says");
}
