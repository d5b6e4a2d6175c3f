/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC driver (SDM Vol. 3A chapter 11): one code path for xAPIC MMIO and x2APIC MSRs. */
#include "kernel/lapic.h"
#include "kernel/x86.h"

#define MSR_APIC_BASE       0x1B
#define   APIC_BASE_EXTD    BIT(10)     /* x2APIC mode */
#define   APIC_BASE_EN      BIT(11)
#define   APIC_BASE_ADDR    0xFFFFFF000ULL
#define MSR_X2APIC_FIRST    0x800       /* x2APIC register = 0x800 + xAPIC offset / 16 */
#define CPUID_1_ECX_X2APIC  BIT(21)

/* Register offsets in the xAPIC page. */
#define APIC_ID             0x020       /* rw: bits 31:24 in xAPIC mode, all 32 bits in x2APIC mode */
#define APIC_EOI            0x0B0       /* -w */
#define APIC_SVR            0x0F0       /* rw spurious-interrupt vector */
#define   SVR_ENABLE        BIT(8)
#define APIC_ICR_LOW        0x300       /* rw interrupt command; x2APIC: one 64-bit MSR */
#define   ICR_PENDING       BIT(12)     /* xAPIC delivery status */
#define APIC_ICR_HIGH       0x310       /* rw destination in bits 31:24 (xAPIC) */

#define APIC_TPR            0x080       /* rw task priority: 0 lets every vector through */
#define ICR_SPINS           1000000

static bool x2apic;
static volatile u32 *mmio;

static u32 reg_read(u32 off)
{
    return x2apic ? (u32)rdmsr(MSR_X2APIC_FIRST + off / 16) : mmio[off / 4];
}

static void reg_write(u32 off, u32 v)
{
    if (x2apic)
        wrmsr(MSR_X2APIC_FIRST + off / 16, v);
    else
        mmio[off / 4] = v;
}

void lapic_init(void)
{
    u64 base = rdmsr(MSR_APIC_BASE);

    if (!mmio) {    /* boot CPU: choose the mode every CPU will use */
        x2apic = cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC;
        mmio = (volatile u32 *)(base & APIC_BASE_ADDR);
    }
    /* Enable first, then switch to x2APIC: EXTD may only be set while EN is (SDM 11.12.5). */
    base |= APIC_BASE_EN;
    wrmsr(MSR_APIC_BASE, base);
    if (x2apic)
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
    reg_write(APIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
}

bool lapic_x2apic(void)
{
    return x2apic;
}

u32 lapic_id(void)
{
    u32 id = reg_read(APIC_ID);
    return x2apic ? id : id >> 24;
}

bool lapic_send_ipi(u32 apic_id, u32 icr)
{
    if (x2apic) {
        wrmsr(MSR_X2APIC_FIRST + APIC_ICR_LOW / 16, (u64)apic_id << 32 | icr);
        return true;
    }
    /* The guest owns this APIC too: it may be between its own ICR_HIGH and ICR_LOW writes. */
    u32 guest_high = reg_read(APIC_ICR_HIGH);
    bool sent = false;
    reg_write(APIC_ICR_HIGH, apic_id << 24);
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

void lapic_reclaim(void)
{
    reg_write(APIC_TPR, 0);
}
