/* SPDX-License-Identifier: BSD-2-Clause */
/* Events the hypervisor owes the guest always find room: an exception while many interrupts wait, and a storm
 * of NMIs from another CPU, which coalesces into one pending NMI as on hardware (SDM Vol. 3A 6.7.1). */
#include "kernel/apic_regs.h"
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/vectors.h"

#define UNKNOWN_MSR     0x2FFF      /* outside the MSR bitmap's ranges: it exits, and an unknown MSR gets #GP */
#define NMI_STORM       200
#define UNUSED_PORT     0x80
#define SPIN_LIMIT      20000000UL  /* pause loops before a wait counts as hung */

extern const u32 stubs[];
extern void gp_recover(void);
extern volatile u32 gp_resume, gp_count;

static volatile u8 seen[EVENT_VECTORS], order[EVENT_VECTORS];
static volatile u32 seen_count;
static volatile u32 nmi_count, nmi_target, nmi_sent;
static volatile bool storm_go, storm_claimed, in_nmi;

void events_vector(u32 vector)
{
    u32 i = vector - EVENT_VECTOR_FIRST;
    seen[i]++;
    if (seen_count < EVENT_VECTORS)
        order[seen_count] = (u8)i;
    seen_count++;
}

static void io_delay(unsigned n)
{
    while (n--)
        inb(UNUSED_PORT);
}

static bool spin_until(volatile bool *flag)
{
    for (unsigned long i = 0; i < SPIN_LIMIT; i++) {
        if (*flag)
            return true;
        __asm__ volatile("pause");
    }
    return false;
}

void events_exception_with_interrupts_waiting(void)
{
    cli();
    for (u32 v = EVENT_VECTOR_FIRST; v < EVENT_VECTOR_FIRST + EVENT_VECTORS; v++)
        if (hypercall(HC_RAISE_INTERRUPT, v, 0) != 0)
            finish(80, "events: HC_RAISE_INTERRUPT refused an interrupt while others waited");
    idt_set(VECTOR_GP, (u32)gp_recover);
    __asm__ volatile("movl $1f, gp_resume; rdmsr; 1:" :: "c"(UNKNOWN_MSR) : "eax", "edx", "memory");
    idt_set(VECTOR_GP, stubs[VECTOR_GP]);
    if (gp_count != 1)
        finish(81, "events: RDMSR of an unknown MSR did not raise one #GP while interrupts waited");
    if (seen_count)
        finish(82, "events: an interrupt arrived with RFLAGS.IF clear");
    sti();
    io_delay(EVENT_VECTORS * 2);     /* exits: one interrupt is injected each time the guest can take it */
    cli();
    for (u32 i = 0; i < EVENT_VECTORS; i++)
        if (seen[i] != 1)
            finish(83, "events: a raised interrupt did not arrive exactly once");
    for (u32 i = 0; i < EVENT_VECTORS; i++)
        if (order[i] != EVENT_VECTORS - 1 - i)
            finish(84, "events: raised interrupts did not arrive highest vector first");
    sti();
    print_num("selftest: events: a #GP arrives while ", EVENT_VECTORS, " raised interrupts wait; then each of them once, highest vector first\n");
}

/* On the first CPU: the first NMI holds its handler (NMIs blocked) until the storm is over. */
void events_nmi(void)
{
    if (++nmi_count != 1)
        return;
    in_nmi = true;
    for (unsigned long i = 0; i < SPIN_LIMIT && nmi_sent < NMI_STORM; i++)
        __asm__ volatile("pause");
    io_delay(100);      /* NMIs still on their way land while this one blocks them */
}

/* On one application processor: one NMI to the first CPU, then the rest while its handler runs. */
void events_ap(void)
{
    if (__atomic_exchange_n(&storm_claimed, true, __ATOMIC_ACQ_REL) || !spin_until(&storm_go))
        return;
    send_ipi_to(nmi_target, ICR_NMI | ICR_LEVEL_ASSERT);
    nmi_sent = 1;
    if (!spin_until(&in_nmi))
        return;
    for (u32 i = 1; i < NMI_STORM; i++) {
        send_ipi_to(nmi_target, ICR_NMI | ICR_LEVEL_ASSERT);
        nmi_sent = i + 1;
    }
}

void events_nmi_storm(void)
{
    u32 a = HV_CPUID_FEATURES, cpus, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(cpus), "+c"(c), "=d"(d));
    if (cpus <= 1)
        return;
    nmi_target = apic_id();
    storm_go = true;
    for (unsigned long i = 0; i < SPIN_LIMIT && (nmi_sent < NMI_STORM || nmi_count < 2); i++)
        __asm__ volatile("pause");
    io_delay(100);
    if (nmi_sent != NMI_STORM)
        finish(85, "events: the NMI storm's sender did not finish");
    if (nmi_count != 2) {
        print_num("selftest: events: the NMI handler ran ", nmi_count, " times\n");
        finish(86, "events: NMIs sent while one was handled did not coalesce into one pending NMI");
    }
    print_num("selftest: events: ", NMI_STORM, " NMIs from another CPU while the guest handles one arrive as one more, as on hardware\n");
}
