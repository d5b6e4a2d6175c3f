/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The local APIC checks ("apic" on the command line): each CPU's IDs, version and LDR in xAPIC mode; the APIC
 * timer one-shot, periodic (two divide settings) and TSC-deadline, each timed against the TSC the PIT calibrated;
 * IPIs between CPUs (fixed to a physical and to a flat logical destination, all-but-self, all, self, lowest
 * priority to a set of two), each counted where it lands; then x2APIC on every CPU: IDs, version, the derived LDR, and IPIs.
 */
#include "kernel/apic_regs.h"
#include "kernel/cpuid.h"
#include "kernel/msr.h"
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/vectors.h"

#define XAPIC(offset)   (*(volatile u32 *)(XAPIC_DEFAULT_BASE + (offset)))
#define V_TIMER         (APIC_VECTOR_FIRST + 0)
#define V_FIXED         (APIC_VECTOR_FIRST + 1)
#define V_LOGICAL       (APIC_VECTOR_FIRST + 2)
#define V_ALL_BUT_SELF  (APIC_VECTOR_FIRST + 3)
#define V_LOWEST        (APIC_VECTOR_FIRST + 4)
#define V_X2APIC        (APIC_VECTOR_FIRST + 5)     /* to an AP: switch to x2APIC mode and check it */
#define V_SELF          (APIC_VECTOR_FIRST + 6)
#define V_ALL           (APIC_VECTOR_FIRST + 7)
#define V_SPURIOUS      (APIC_VECTOR_FIRST + 15)
#define MAX_ID          16
#define SPIN_LIMIT      20000000UL
#define UNUSED_PORT     0x80
#define DIV_1           0xB
#define DIV_16          0x3
#define DIV_128         0xA

volatile bool lapic_mode;
static volatile u32 counts[MAX_ID][APIC_VECTORS];  /* handler runs by APIC ID and vector */
static volatile u32 ids[MAX_ID], cpus_ready;        /* APIC IDs of the CPUs that run lapic_ap() */
static volatile u8 check_fail[MAX_ID];              /* per CPU: 0, or the number of the identity check it failed */
static volatile u32 x2apic_done;
static volatile u32 timer_ticks;
static volatile unsigned long long first_tick, last_tick;

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

static void cpuid(u32 leaf, u32 sub, u32 r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static bool x2apic(void)
{
    return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD;
}

static u32 reg_read(u32 offset)
{
    return x2apic() ? (u32)rdmsr(X2APIC_MSR(offset)) : XAPIC(offset);
}

static void reg_write(u32 offset, u32 v)
{
    if (x2apic())
        wrmsr(X2APIC_MSR(offset), v);
    else
        XAPIC(offset) = v;
}

static u32 div_u64_u32(unsigned long long n, u32 d)
{
    u32 q, r;
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"((u32)n), "d"((u32)(n >> 32)), "rm"(d));
    (void)r;
    return q;
}

static void io_delay(unsigned n)
{
    while (n--)
        inb(UNUSED_PORT);
}

void lapic_vector(u32 vector)
{
    if (vector == V_SPURIOUS)
        return;                                     /* no EOI for a spurious interrupt */
    u32 id = apic_id();
    if (id < MAX_ID)
        __atomic_fetch_add(&counts[id][vector - APIC_VECTOR_FIRST], 1, __ATOMIC_RELAXED);
    if (vector == V_TIMER) {
        unsigned long long now = rdtsc();
        if (timer_ticks == 0)
            first_tick = now;
        last_tick = now;
        timer_ticks++;
    }
    apic_eoi();
    if (vector == V_X2APIC && !x2apic()) {
        wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
        extern void lapic_identity(bool);
        lapic_identity(true);
        __atomic_fetch_add(&x2apic_done, 1, __ATOMIC_RELEASE);
    }
}

/* This CPU's APIC ID, version and LDR as the mode defines them; a failure is recorded by APIC ID (1-based checks). */
void lapic_identity(bool x2);
void lapic_identity(bool x2)
{
    u32 r[4], max;
    cpuid(0, 0, r);
    max = r[0];
    cpuid(1, 0, r);
    u32 cpuid1_id = r[1] >> 24, id = x2 ? (u32)rdmsr(MSR_X2APIC_ID) : XAPIC(APIC_ID) >> XAPIC_ID_SHIFT;
    u8 fail = 0;
    if (id >= MAX_ID)
        return;
    if (id != cpuid1_id)
        fail = 1;
    if (x2 && max < 0xB)
        fail = 6;                                       /* an x2APIC without its topology leaf */
    if (x2 && max >= 0xB) {
        cpuid(0xB, 0, r);
        if (r[3] != id)
            fail = 2;
    }
    u32 ver = reg_read(APIC_VERSION), maxlvt = ver >> APIC_VERSION_MAXLVT_SHIFT & 0xFF;
    if ((ver & APIC_VERSION_MASK) != 0x14 || (maxlvt != 5 && maxlvt != 6))
        fail = 3;
    if (x2) {
        if ((u32)rdmsr(X2APIC_MSR(APIC_LDR)) != ((id >> 4) << 16 | 1u << (id & 15)))
            fail = 4;
    } else {
        XAPIC(APIC_DFR) = 0xFFFFFFFF;                       /* flat */
        XAPIC(APIC_LDR) = 1u << (XAPIC_LDR_SHIFT + id);     /* one bit per CPU (IDs below 8) */
        if (XAPIC(APIC_LDR) != 1u << (XAPIC_LDR_SHIFT + id) || XAPIC(APIC_DFR) != 0xFFFFFFFF)
            fail = 5;
    }
    check_fail[id] = fail;
}

/* Each AP, once online: its own APIC set up (IDT, SVR, flat LDR, TPR 16 x its ID), then it waits for IPIs. */
void lapic_ap(void)
{
    idt_load();
    XAPIC(APIC_SVR) = SVR_ENABLE | V_SPURIOUS;
    lapic_identity(false);
    u32 id = apic_id();
    XAPIC(APIC_TPR) = 0x10 * id;                    /* below the checks' vectors (class 5): only arbitration */
    ids[__atomic_fetch_add(&cpus_ready, 1, __ATOMIC_ACQ_REL)] = id;
    for (;;)
        wait_for_interrupt();
}

/* ---- The timer, on the first CPU ---- */

static u32 tsc_per_tick(void)
{
    u32 t = (u32)(tsc_khz / 100000);                /* the input clock: 100 MHz, or the TSC if slower */
    return t ? t : 1;
}

static void timer_stop(void)
{
    reg_write(APIC_TIMER_INITIAL, 0);
    reg_write(APIC_LVT_TIMER, LVT_MASKED | V_TIMER);
}

/* Waits with interrupts on until `n` timer interrupts came, or `limit` TSC ticks passed; returns with them off. */
static void timer_wait(u32 n, unsigned long long start, unsigned long long limit)
{
    sti();
    while (timer_ticks < n && rdtsc() - start < limit)
        __asm__ volatile("pause");
    cli();
}

static bool within(unsigned long long got, unsigned long long want, unsigned pct_below, unsigned pct_above)
{
    return got + div_u64_u32(want * pct_below, 100) >= want && got <= want + div_u64_u32(want * pct_above, 100);
}

static void report(const char *what, unsigned long long got, unsigned long long want)
{
    print(what);
    print_num(": took ", (unsigned long)got, " TSC ticks");
    print_num(", expected ", (unsigned long)want, "\n");
}

static void timer_periodic(u32 divide_reg, u32 divide, u32 count, u32 periods)
{
    timer_ticks = 0;
    reg_write(APIC_TIMER_DIVIDE, divide_reg);
    reg_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | V_TIMER);
    unsigned long long start = rdtsc(), want = (unsigned long long)count * divide * tsc_per_tick() * periods;
    reg_write(APIC_TIMER_INITIAL, count);
    timer_wait(periods + 1, start, 4 * want);
    timer_stop();
    unsigned long long got = last_tick - first_tick;
    if (timer_ticks < periods + 1)
        finish(101, "lapic: periodic timer interrupts stopped coming");
    if (!within(got, want, 3, 3)) {
        report("selftest: lapic: periodic", got, want);
        finish(102, "lapic: the periodic timer's period is off");
    }
}

static void timer_checks(void)
{
    cli();
    /* One-shot: count 2500 at divide 128, 320,000 input ticks; not early, late by no more than the injection. */
    timer_ticks = 0;
    reg_write(APIC_TIMER_DIVIDE, DIV_128);
    reg_write(APIC_LVT_TIMER, LVT_TIMER_ONESHOT | V_TIMER);
    unsigned long long want = 2500ULL * 128 * tsc_per_tick(), start = rdtsc();
    reg_write(APIC_TIMER_INITIAL, 2500);
    timer_wait(1, start, 4 * want);
    if (timer_ticks != 1) {
        print_num("selftest: lapic: one-shot: current count ", reg_read(APIC_TIMER_CURRENT), "");
        print_num(", LVT timer ", reg_read(APIC_LVT_TIMER), "");
        print_num(", IRR word 2 ", reg_read(APIC_IRR + 0x20), "");
        print_num(", ISR word 2 ", reg_read(APIC_ISR + 0x20), "\n");
        finish(103, "lapic: the one-shot timer did not fire");
    }
    if (!within(first_tick - start, want, 0, 5)) {
        report("selftest: lapic: one-shot", first_tick - start, want);
        finish(104, "lapic: the one-shot timer fired at the wrong time");
    }
    if (reg_read(APIC_TIMER_CURRENT) != 0)
        finish(105, "lapic: the one-shot timer's current count is not 0 after it fired");
    unsigned long long quiet = rdtsc();
    timer_wait(2, quiet, 2 * want);
    if (timer_ticks != 1)
        finish(116, "lapic: the one-shot timer fired again");
    timer_stop();
    print("selftest: lapic: timer one-shot: count 2500 at divide 128 fires once, on time by the TSC\n");

    /* The same one-shot wakes a CPU halted for it, as an idle OS waits; the RTC at 2 Hz is the backstop. */
    outb(0x70, 0x0A);
    outb(0x71, (u8)((inb(0x71) & 0xF0) | 0x0F));
    outb(0x70, 0x0C);
    inb(0x71);
    outb(0x70, 0x0B);
    u8 b = inb(0x71);
    outb(0x70, 0x0B);
    outb(0x71, b | 0x40);
    timer_ticks = 0;
    reg_write(APIC_LVT_TIMER, LVT_TIMER_ONESHOT | V_TIMER);
    start = rdtsc();
    reg_write(APIC_TIMER_INITIAL, 2500);
    while (timer_ticks == 0 && rdtsc() - start < 8 * want)
        wait_for_interrupt();
    unsigned long long woke = rdtsc() - start;
    outb(0x70, 0x0B);
    outb(0x71, b);
    if (timer_ticks != 1 || !within(first_tick - start, want, 0, 5)) {
        print_num("selftest: lapic: halted one-shot: woke after ", (unsigned long)woke, " TSC ticks");
        print_num(", timer interrupts ", timer_ticks, "");
        print_num(", current count ", reg_read(APIC_TIMER_CURRENT), "");
        print_num(", IRR word 2 ", reg_read(APIC_IRR + 0x20), "\n");
        finish(106, "lapic: the one-shot timer did not wake a halted CPU on time");
    }
    timer_stop();
    print("selftest: lapic: timer one-shot: wakes a CPU halted for it, on time\n");

    timer_periodic(DIV_16, 16, 2500, 10);           /* 40,000 input ticks: 100 Hz at Bochs's 4 MHz */
    timer_periodic(DIV_1, 1, 50000, 10);            /* 80 Hz */
    print("selftest: lapic: timer periodic: 10 periods of count 2500 at divide 16 and of 50000 at divide 1, "
          "each within 3% by the TSC\n");

    u32 r[4];
    cpuid(1, 0, r);
    if (!(r[2] & CPUID_1_ECX_TSC_DEADLINE)) {
        print("selftest: lapic: timer TSC-deadline: not offered (CPUID.1:ECX[24] clear)\n");
        sti();
        return;
    }
    timer_ticks = 0;
    reg_write(APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | V_TIMER);
    unsigned long long deadline = rdtsc() + 400000;
    wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
    timer_wait(1, deadline - 400000, 1600000);
    if (timer_ticks != 1)
        finish(107, "lapic: the TSC-deadline timer did not fire");
    if (first_tick < deadline || first_tick - deadline > 20000) {
        report("selftest: lapic: TSC-deadline", first_tick - (deadline - 400000), 400000);
        finish(108, "lapic: the TSC-deadline timer fired at the wrong time");
    }
    if (rdmsr(MSR_IA32_TSC_DEADLINE) != 0)
        finish(109, "lapic: IA32_TSC_DEADLINE is not 0 after the timer fired");
    timer_stop();
    sti();
    print("selftest: lapic: timer TSC-deadline: fires at the programmed TSC (within 5 ms), then reads 0\n");
}

/* ---- IPIs ---- */

static u32 cpu_count;
static u32 all_ids[MAX_ID];
static u32 snapshot[MAX_ID][APIC_VECTORS];

static void snap(void)
{
    for (u32 i = 0; i < MAX_ID; i++)
        for (u32 v = 0; v < APIC_VECTORS; v++)
            snapshot[i][v] = counts[i][v];
}

/* After an IPI of `vector`: waits until `expected` handler runs more in all, then checks which CPUs ran it. */
static void expect_ipi(u32 vector, u32 expected, u32 mask_of_ids, u8 code, const char *why)
{
    u32 v = vector - APIC_VECTOR_FIRST, total = 0;
    for (unsigned long i = 0; i < SPIN_LIMIT; i++) {
        total = 0;
        for (u32 c = 0; c < MAX_ID; c++)
            total += counts[c][v] - snapshot[c][v];
        if (total >= expected)
            break;
        __asm__ volatile("pause");
    }
    io_delay(200);                                  /* a duplicate would land by now */
    for (u32 c = 0; c < MAX_ID; c++) {
        u32 d = counts[c][v] - snapshot[c][v];
        if (d != (mask_of_ids >> c & 1)) {
            print_num("selftest: lapic: CPU with APIC ID ", c, "");
            print_num(" ran the handler ", d, " times\n");
            finish(code, why);
        }
    }
}

static void ipi_checks(u32 self)
{
    u32 ap = ids[0], others = 0;
    for (u32 i = 0; i < cpu_count; i++)
        if (all_ids[i] != self)
            others |= 1u << all_ids[i];
    bool x2 = x2apic();
    snap();
    send_ipi_to(ap, ICR_FIXED | ICR_LEVEL_ASSERT | V_FIXED);
    expect_ipi(V_FIXED, 1, 1u << ap, x2 ? 121 : 111, "lapic: a fixed IPI to a physical APIC ID did not arrive once, there only");

    /* Logical: flat (xAPIC, LDR bit = ID), or the x2APIC's cluster ID of the target. */
    u32 logical = x2 ? ((ap >> 4) << 16 | 1u << (ap & 15)) : 1u << ap;
    snap();
    send_ipi_to(logical, ICR_FIXED | ICR_LOGICAL | ICR_LEVEL_ASSERT | V_LOGICAL);
    expect_ipi(V_LOGICAL, 1, 1u << ap, x2 ? 122 : 112, "lapic: a fixed IPI to a logical destination did not arrive once, there only");

    snap();
    send_ipi_to(0, ICR_FIXED | ICR_ALL_BUT_SELF | ICR_LEVEL_ASSERT | V_ALL_BUT_SELF);
    expect_ipi(V_ALL_BUT_SELF, cpu_count - 1, others, x2 ? 123 : 113, "lapic: an all-but-self IPI did not arrive once at each other CPU");

    snap();
    send_ipi_to(0, ICR_FIXED | ICR_ALL | ICR_LEVEL_ASSERT | V_ALL);
    expect_ipi(V_ALL, cpu_count, others | 1u << self, x2 ? 125 : 117, "lapic: an all-including-self IPI did not arrive once at each CPU");
    snap();
    send_ipi_to(0, ICR_FIXED | ICR_SELF | ICR_LEVEL_ASSERT | V_SELF);
    expect_ipi(V_SELF, 1, 1u << self, x2 ? 126 : 118, "lapic: a self IPI did not arrive once, at the sender only");
    if (x2) {
        snap();
        wrmsr(MSR_X2APIC_SELF_IPI, V_SELF);
        expect_ipi(V_SELF, 1, 1u << self, 127, "lapic: a write of the x2APIC SELF IPI MSR did not interrupt the sender once");
    }
    if (x2)
        return;

    /* Lowest priority to {self, ap} (flat): the AP's TPR is 16 x its ID, so first this CPU (TPR 0) wins, then,
     * with this CPU's TPR raised above the AP's, the AP. */
    u32 set = 1u << self | 1u << ap;
    snap();
    send_ipi_to(set, ICR_LOWEST | ICR_LOGICAL | ICR_LEVEL_ASSERT | V_LOWEST);
    expect_ipi(V_LOWEST, 1, 1u << self, 114, "lapic: a lowest-priority IPI did not go once to the CPU of lowest priority (the sender)");
    XAPIC(APIC_TPR) = 0x10 * ap + 0x10;
    snap();
    send_ipi_to(set, ICR_LOWEST | ICR_LOGICAL | ICR_LEVEL_ASSERT | V_LOWEST);
    expect_ipi(V_LOWEST, 1, 1u << ap, 115, "lapic: a lowest-priority IPI did not go once to the CPU of lowest priority (the AP)");
    XAPIC(APIC_TPR) = 0;
}

void lapic_checks(void)
{
    u32 a = HV_CPUID_FEATURES, cpus, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(cpus), "+c"(c), "=d"(d));
    XAPIC(APIC_SVR) = SVR_ENABLE | V_SPURIOUS;
    XAPIC(APIC_TPR) = 0;
    lapic_identity(false);
    for (unsigned long i = 0; i < SPIN_LIMIT && cpus_ready < cpus - 1; i++)
        __asm__ volatile("pause");
    if (cpus_ready != cpus - 1)
        finish(100, "lapic: not every AP set up its local APIC");
    u32 self = apic_id();
    cpu_count = cpus;
    all_ids[0] = self;
    for (u32 i = 1; i < cpus; i++)
        all_ids[i] = ids[i - 1];
    for (u32 i = 0; i < cpus; i++)
        if (check_fail[all_ids[i]]) {
            print_num("selftest: lapic: xAPIC identity check ", check_fail[all_ids[i]], "");
            print_num(" failed on APIC ID ", all_ids[i], "\n");
            finish(110, "lapic: an xAPIC ID, version or LDR is wrong");
        }
    print_num("selftest: lapic: xAPIC on ", cpus, " CPU(s): APIC ID = CPUID.1 EBX[31:24], version 0x14 with max LVT "
                                                  "5 or 6, flat DFR and LDR read back as written\n");
    cmci_check(false);
    timer_checks();
    if (cpus > 1) {
        ipi_checks(self);
        print("selftest: lapic: xAPIC IPIs: fixed physical, flat logical, all-but-self, all, self, lowest priority "
              "to two CPUs (each way): each ran once where due\n");
    }

    u32 r[4];
    cpuid(1, 0, r);
    if (!(r[2] & CPUID_1_ECX_X2APIC)) {
        print("selftest: lapic: x2APIC: not offered (CPUID.1:ECX[21] clear)\n");
        return;
    }
    if (cpus > 1) {
        send_ipi_to(0, ICR_FIXED | ICR_ALL_BUT_SELF | ICR_LEVEL_ASSERT | V_X2APIC);
        for (unsigned long i = 0; i < SPIN_LIMIT && x2apic_done < cpus - 1; i++)
            __asm__ volatile("pause");
        if (x2apic_done != cpus - 1)
            finish(120, "lapic: not every AP switched to x2APIC mode");
    }
    wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
    lapic_identity(true);
    for (u32 i = 0; i < cpus; i++)
        if (check_fail[all_ids[i]]) {
            print_num("selftest: lapic: x2APIC identity check ", check_fail[all_ids[i]], "");
            print_num(" failed on APIC ID ", all_ids[i], "\n");
            finish(124, "lapic: an x2APIC ID, version or LDR is wrong");
        }
    print_num("selftest: lapic: x2APIC on ", cpus, " CPU(s): ID MSR = CPUID.0xB EDX = CPUID.1 EBX[31:24], version "
                                                   "0x14, LDR = cluster << 16 | 1 << (ID & 15)\n");
    cmci_check(true);
    print(cmci_present() ? "selftest: lapic: LVT CMCI there as IA32_MCG_CAP.CMCI_P says: max LVT 6, resets masked, "
                           "keeps what is written in both modes\n"
                         : "selftest: lapic: LVT CMCI absent as IA32_MCG_CAP.CMCI_P says: max LVT 5, the xAPIC "
                           "offset reads 0, the x2APIC MSR #GPs\n");
    if (cpus > 1) {
        ipi_checks(self);
        print("selftest: lapic: x2APIC IPIs: fixed physical, cluster logical, all-but-self, all, self, the SELF IPI "
              "MSR: each ran once where due\n");
    }
    timer_periodic(DIV_16, 16, 2500, 10);
    print("selftest: lapic: x2APIC timer periodic: 10 periods of count 2500 at divide 16 within 3% by the TSC\n");
}
