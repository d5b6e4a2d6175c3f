/* SPDX-License-Identifier: BSD-2-Clause */
/* The self-test guest starts its application processors as an OS does: INIT-SIPI-SIPI through its own
 * local APIC (x2APIC or xAPIC, whichever the firmware left enabled), a real-mode trampoline at 0x8000. */
#include "kernel/apic_regs.h"
#include "kernel/msr.h"
#include "tests/guests/selftest/hw.h"

#define AP_TRAMPOLINE   0x8000
#define XAPIC_REG(offset)       (*(volatile u32 *)(XAPIC_DEFAULT_BASE + (offset)))
#define ICR_INIT_ALL_BUT_SELF   (ICR_INIT | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF)
#define ICR_SIPI_ALL_BUT_SELF   (ICR_STARTUP | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF)
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define UNUSED_PORT     0x80                /* the POST port: a read costs about a microsecond */

extern const u8 ap_trampoline[], ap_trampoline_end[];
static volatile u32 aps_online;
static volatile u32 cmos_lock;

static u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (u64)hi << 32 | lo;
}

static void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static bool x2apic(void)
{
    return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD;
}

u32 apic_id(void)
{
    return x2apic() ? (u32)rdmsr(MSR_X2APIC_ID) : XAPIC_REG(APIC_ID) >> XAPIC_ID_SHIFT;
}

static void send_ipi(u32 icr)
{
    send_ipi_to(0, icr);
}

void send_ipi_to(u32 dest, u32 icr)
{
    if (x2apic()) {
        wrmsr(MSR_X2APIC_ICR, (u64)dest << X2APIC_ICR_DEST_SHIFT | icr);
        return;
    }
    XAPIC_REG(APIC_ICR_HIGH) = dest << XAPIC_ICR_DEST_SHIFT;
    XAPIC_REG(APIC_ICR_LOW) = icr;
    while (XAPIC_REG(APIC_ICR_LOW) & ICR_PENDING)
        ;
}

static void delay_us(unsigned us)
{
    while (us--)
        inb(UNUSED_PORT);
}

/* Appends the decimal digits of v. */
static char *utoa(char *p, unsigned v)
{
    char d[10];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    while (n)
        *p++ = d[--n];
    return p;
}

static char *append(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

/* Runs on each AP: say who it is and what the RTC says, through the hypercall console (one line each). */
void ap_main(void);
void ap_main(void)
{
    while (__atomic_exchange_n(&cmos_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    outb(CMOS_INDEX, 0x0A);
    bool updating = inb(CMOS_DATA) & 0x80;
    outb(CMOS_INDEX, 0x09);
    u8 year = inb(CMOS_DATA);
    __atomic_store_n(&cmos_lock, 0, __ATOMIC_RELEASE);

    char line[96], *p = append(line, "selftest: smp: a CPU with APIC ID ");
    p = utoa(p, apic_id());
    p = append(p, " runs the guest; the RTC year reads 0x");
    *p++ = "0123456789abcdef"[year >> 4];
    *p++ = "0123456789abcdef"[year & 15];
    p = append(p, updating ? " (during an update)\n" : "\n");
    hypercall(HC_CONSOLE_WRITE, (u32)line, (u32)(p - line));
    __atomic_fetch_add(&aps_online, 1, __ATOMIC_RELEASE);
    if (lapic_mode)
        lapic_ap();
    events_ap();
}

void smp_start(void)
{
    u32 a = HV_CPUID_FEATURES, cpus, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(cpus), "+c"(c), "=d"(d));
    if (cpus <= 1) {
        print("selftest: smp: one CPU, no application processors to start\n");
        return;
    }
    for (const u8 *s = ap_trampoline; s < ap_trampoline_end; s++)
        ((u8 *)AP_TRAMPOLINE)[s - ap_trampoline] = *s;
    /* The universal start-up algorithm (MP spec B.4): INIT, 10 ms, SIPI, 200 us, SIPI. */
    send_ipi(ICR_INIT_ALL_BUT_SELF);
    delay_us(10000);
    send_ipi(ICR_SIPI_ALL_BUT_SELF | (AP_TRAMPOLINE >> 12));
    delay_us(200);
    send_ipi(ICR_SIPI_ALL_BUT_SELF | (AP_TRAMPOLINE >> 12));
    for (unsigned waited = 0; aps_online < cpus - 1 && waited < 1000000; waited += 100)
        delay_us(100);
    print_num("selftest: smp: ", aps_online + 1, "");
    print_num(" of ", cpus, " CPUs run the guest, started by INIT-SIPI-SIPI\n");
    if (aps_online != cpus - 1)
        finish(60, "not every application processor started");
}
