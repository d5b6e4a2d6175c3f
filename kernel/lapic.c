/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC driver (SDM Vol. 3A chapter 11): one code path for xAPIC MMIO and x2APIC MSRs. */
#include "kernel/cpuid.h"
#include "kernel/lapic.h"
#include "kernel/apic_regs.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

#define ICR_SPINS           1000000

static bool x2apic;
static volatile u32 *mmio;

static u32 reg_read(u32 off)
{
    return x2apic ? (u32)rdmsr(X2APIC_MSR(off)) : mmio[off / 4];
}

static void reg_write(u32 off, u32 v)
{
    if (x2apic)
        wrmsr(X2APIC_MSR(off), v);
    else
        mmio[off / 4] = v;
}

void lapic_init(void)
{
    u64 base = rdmsr(MSR_IA32_APIC_BASE);

    if (!mmio) {    /* boot CPU: choose the mode every CPU will use */
        x2apic = cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_X2APIC;
        mmio = (volatile u32 *)(base & APIC_BASE_ADDR);
    }
    /* Enable first, then switch to x2APIC: EXTD may only be set while EN is (SDM 11.12.5). */
    base |= APIC_BASE_EN;
    wrmsr(MSR_IA32_APIC_BASE, base);
    if (x2apic)
        wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EXTD);
    reg_write(APIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
}

bool lapic_x2apic(void)
{
    return x2apic;
}

u32 lapic_id(void)
{
    u32 id = reg_read(APIC_ID);
    return x2apic ? id : id >> XAPIC_ID_SHIFT;
}

bool lapic_send_ipi(u32 apic_id, u32 icr)
{
    if (x2apic) {
        /* An x2APIC ICR write is not serializing and may pass earlier stores (SDM Vol. 3A 11.12.3): the state
         * the IPI is about (a vCPU's request word) must be visible to the target first. */
        __asm__ volatile("mfence; lfence" ::: "memory");
        wrmsr(MSR_X2APIC_ICR, (u64)apic_id << X2APIC_ICR_DEST_SHIFT | icr);
        return true;
    }
    /* The guest owns this APIC too: it may be between its own ICR_HIGH and ICR_LOW writes. */
    u32 guest_high = reg_read(APIC_ICR_HIGH);
    bool sent = false;
    reg_write(APIC_ICR_HIGH, apic_id << XAPIC_ICR_DEST_SHIFT);
    reg_write(APIC_ICR_LOW, icr);
    for (int i = 0; i < ICR_SPINS && !sent; i++) {
        sent = !(reg_read(APIC_ICR_LOW) & ICR_PENDING);
        __asm__ volatile("pause");
    }
    reg_write(APIC_ICR_HIGH, guest_high);
    return sent;
}

void lapic_eoi(void)
{
    reg_write(APIC_EOI, 0);
}

bool lapic_level_triggered(u8 vector)
{
    return reg_read(APIC_TMR + 0x10 * (vector / 32)) >> (vector % 32) & 1;
}
