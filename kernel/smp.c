/* SPDX-License-Identifier: BSD-2-Clause */
/* AP bring-up (SDM Vol. 3A 9.4.4 and MP spec B.4: INIT, 10 ms, SIPI, 200 us, SIPI), idle, calls, stop. */
#include "kernel/smp.h"
#include "kernel/assert.h"
#include "kernel/cpu_hooks.h"
#include "kernel/exit.h"
#include "kernel/gdt.h"
#include "kernel/lapic.h"
#include "kernel/memory.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/traps.h"
#include "kernel/trampoline.h"
#include "kernel/x86.h"

#define AP_STACK_SIZE       (16 * 1024)
#define AP_ANSWER_US        500000      /* an AP that is not in C code by then is reported and skipped */
#define STOP_WAIT_US        1000000     /* one deadline for all: emulators with hundreds of CPUs are slow */
#define LOW_MEMORY_END      0x9F000     /* below the EBDA; SIPI vectors reach 0xFF000 but that is ROM */

/* One allocation per AP: the per-CPU block, its descriptor tables and IST stacks, its stack. */
struct ap_memory {
    struct percpu percpu;
    _Alignas(4096) struct cpu_tables tables;
    _Alignas(16) u8 stack[AP_STACK_SIZE];
};

extern const u8 trampoline_blob[], trampoline_blob_end[];

/* The boot CPU's block: boot/entry.S points GS at it before kmain runs. */
static struct cpu_tables boot_cpu_tables;
struct percpu percpu_boot = { .self = &percpu_boot, .tables = &boot_cpu_tables };

static struct percpu *cpus[HV_MAX_CPUS];
static u32 cpu_count = 1;
#define NO_CPU 0xFFFFFFFFu
static u32 stop_owner = NO_CPU;      /* the CPU that asked every other one to stop */
static bool exit_reported;          /* the stop owner printed its exit line (smp_exit_reported) */
static struct spinlock call_lock = SPINLOCK_INIT;

u32 smp_cpu_count(void)
{
    return cpu_count;
}

struct percpu *smp_cpu(u32 index)
{
    return index < cpu_count ? cpus[index] : NULL;
}

static void run_call(struct percpu *p)
{
    void (*fn)(void *) = __atomic_load_n(&p->call_fn, __ATOMIC_ACQUIRE);
    if (fn) {
        fn(p->call_arg);
        __atomic_store_n(&p->call_fn, NULL, __ATOMIC_RELEASE);
    }
}

/* APs wait here with interrupts off except inside "sti; hlt", which the wake IPI ends (SDM: STI's shadow). */
static NORETURN void ap_idle(struct percpu *p)
{
    for (;;) {
        cli();
        if (__atomic_load_n(&p->call_fn, __ATOMIC_ACQUIRE))
            run_call(p);
        else
            __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
}

void ap_entry(struct percpu *p);
void ap_entry(struct percpu *p)
{
    gdt_load(p->tables);
    idt_load();
    lapic_init();
    pr_info("smp: cpu%u online, APIC ID %u", p->index, lapic_id());
    __atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
    ap_idle(p);
}

/* A whole page of usable RAM below the EBDA, for the trampoline; 0 if the map has none. */
static u64 find_trampoline_page(const struct boot_info *bi)
{
    for (u64 page = 0x1000; page < LOW_MEMORY_END; page += PAGE_SIZE) {
        for (u32 i = 0; i < bi->mmap_count; i++) {
            const struct mem_entry *e = &bi->mmap[i];
            if (e->type == MEM_USABLE && e->base <= page && e->base + e->length >= page + PAGE_SIZE)
                return page;
        }
    }
    return 0;
}

static void prepare_trampoline(u64 page)
{
    u8 *t = (u8 *)page;
    memcpy(t, trampoline_blob, (size_t)(trampoline_blob_end - trampoline_blob));
    *(u32 *)(t + TR_GDT_DESC + 2) = (u32)(page + TR_GDT);
    *(u32 *)(t + TR_FAR64) = (u32)(page + TR_CODE64);
    *(u32 *)(t + TR_CR3) = (u32)read_cr3();
    *(u64 *)(t + TR_ENTRY) = (u64)ap_entry;
}

static bool wait_online(struct percpu *p, u64 us)
{
    u64 end = tsc_deadline_us(us);
    while (rdtsc() < end)
        if (__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
            return true;
    return __atomic_load_n(&p->online, __ATOMIC_ACQUIRE);
}

static bool start_ap(u64 page, u32 apic_id)
{
    u64 pages = ALIGN_UP(sizeof(struct ap_memory), PAGE_SIZE) / PAGE_SIZE;
    u64 mem = page_alloc(pages);
    if (!mem) {
        pr_err("smp: out of memory for CPU with APIC ID %u", apic_id);
        return false;
    }
    struct ap_memory *m = (struct ap_memory *)mem;
    struct percpu *p = &m->percpu;
    *p = (struct percpu){ .self = p, .index = cpu_count, .apic_id = apic_id, .tables = &m->tables };
    *(u64 *)(page + TR_STACK) = (u64)(m->stack + AP_STACK_SIZE);
    *(u64 *)(page + TR_PERCPU) = (u64)p;

    u32 vector = (u32)(page >> 12);
    lapic_send_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
    delay_us(10000);
    for (int sipi = 0; sipi < 2 && !p->online; sipi++) {
        lapic_send_ipi(apic_id, ICR_STARTUP | vector);
        wait_online(p, 200);
    }
    if (!wait_online(p, AP_ANSWER_US)) {
        /* Park it again: a late start must not run on the next AP's stack. */
        lapic_send_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
        pr_warn("smp: CPU with APIC ID %u did not answer INIT-SIPI-SIPI within %u ms; skipped", apic_id,
                AP_ANSWER_US / 1000);
        page_free(mem, pages);
        return false;
    }
    cpus[cpu_count++] = p;
    return true;
}

void smp_init(const struct acpi_info *acpi, const struct boot_info *bi)
{
    struct percpu *bsp = this_cpu();
    bsp->apic_id = lapic_id();
    bsp->online = true;
    cpus[0] = bsp;
    pr_info("smp: cpu0 online, APIC ID %u (boot CPU, %s mode)", bsp->apic_id,
            lapic_x2apic() ? "x2APIC" : "xAPIC");

    u32 expected = acpi && acpi->has_madt ? acpi->cpus_enabled : 1;
    u64 page = find_trampoline_page(bi);
    if (expected > 1 && !page) {
        pr_err("smp: no usable page below 0x%x for the AP trampoline; using the boot CPU alone", LOW_MEMORY_END);
        expected = 1;
    }
    if (expected > 1) {
        prepare_trampoline(page);
        for (u32 i = 0; i < acpi->cpu_count; i++) {
            const struct acpi_cpu *c = &acpi->cpus[i];
            if (c->enabled && c->apic_id != bsp->apic_id && cpu_count < HV_MAX_CPUS)
                start_ap(page, c->apic_id);
        }
        /* The page goes back to being ordinary low memory for the guest. */
        memset((void *)page, 0, PAGE_SIZE);
    }
    pr_info("smp: %u of %u CPUs online", cpu_count, expected);
}

static void post_call(struct percpu *p, void (*fn)(void *arg), void *arg)
{
    p->call_arg = arg;
    __atomic_store_n(&p->call_fn, fn, __ATOMIC_RELEASE);
    lapic_send_ipi(p->apic_id, ICR_FIXED | VECTOR_WAKE_IPI);
}

#define CALL_WAIT_US 1000000

/* Bounded: a CPU that never comes back (reset by a stray INIT, say) is reported, not waited for forever. */
static void wait_call(struct percpu *p)
{
    u64 end = tsc_deadline_us(CALL_WAIT_US);
    while (__atomic_load_n(&p->call_fn, __ATOMIC_ACQUIRE))
        if (rdtsc() > end) {
            pr_warn("smp: cpu%u did not finish a cross-CPU call within %u ms", p->index, CALL_WAIT_US / 1000);
            return;
        }
}

void smp_call_all(void (*fn)(void *arg), void *arg)
{
    spin_lock(&call_lock);
    for (u32 i = 0; i < cpu_count; i++)
        if (cpus[i] != this_cpu())
            post_call(cpus[i], fn, arg);
    fn(arg);
    for (u32 i = 0; i < cpu_count; i++)
        if (cpus[i] != this_cpu())
            wait_call(cpus[i]);
    spin_unlock(&call_lock);
}

void smp_call_on(u32 index, void (*fn)(void *arg), void *arg)
{
    ASSERT(index < cpu_count);
    if (cpus[index] == this_cpu()) {
        fn(arg);
        return;
    }
    spin_lock(&call_lock);
    post_call(cpus[index], fn, arg);
    wait_call(cpus[index]);
    spin_unlock(&call_lock);
}

bool smp_post(u32 index, void (*fn)(void *arg), void *arg)
{
    struct percpu *p = smp_cpu(index);
    bool posted = false;
    spin_lock(&call_lock);
    if (p && p != this_cpu() && !__atomic_load_n(&p->call_fn, __ATOMIC_ACQUIRE)) {
        post_call(p, fn, arg);
        posted = true;
    }
    spin_unlock(&call_lock);
    return posted;
}

void smp_stop_others(void)
{
    u32 none = NO_CPU, self = this_cpu()->index;
    if (!__atomic_compare_exchange_n(&stop_owner, &none, self, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        if (none != self)
            smp_nmi_stop();     /* another CPU is already stopping everyone: let it, and stop here */
        return;
    }
    if (cpu_count == 1)
        return;
    lapic_send_ipi(0, ICR_NMI | ICR_ALL_BUT_SELF);
    u64 end = tsc_deadline_us(STOP_WAIT_US);
    u32 stopped = 0;
    for (u32 i = 0; i < cpu_count; i++) {
        if (cpus[i] == this_cpu())
            continue;
        while (!cpus[i]->stopped && rdtsc() < end)
            cpu_relax();
        stopped += cpus[i]->stopped;
    }
    pr_info("smp: %u of %u other CPUs stopped", stopped, cpu_count - 1);
}

void smp_exit_reported(void)
{
    __atomic_store_n(&exit_reported, true, __ATOMIC_RELEASE);
}

bool smp_nmi_stop(void)
{
    u32 owner = __atomic_load_n(&stop_owner, __ATOMIC_ACQUIRE);
    if (owner == NO_CPU || owner == this_cpu()->index)
        return false;
    /* The console and the owner's wait are let go first: the hook may lose this CPU (see cpu_hooks.h). */
    printk_release_if_owner();
    this_cpu()->stopped = true;
    bool reset = exit_resets();
    if (reset) {
        /* Losing this CPU to an INIT must not come before the owner's exit line (a reset boot CPU would
         * restart the firmware under it): wait for it, for a bounded time. */
        u64 end = tsc_deadline_us(STOP_WAIT_US);
        while (!__atomic_load_n(&exit_reported, __ATOMIC_ACQUIRE) && rdtsc() < end)
            cpu_relax();
    }
    cpu_run_stop_hook(reset);
    halt_forever();
}
