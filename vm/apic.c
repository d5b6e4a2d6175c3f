/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's local APICs (DESIGN.md "The guest's platform"): one model per vCPU, the vCPU's interrupt source and
 * APIC timer, answering the xAPIC page (EPT-trapped MMIO) and the x2APIC MSRs, with the IPI router between them.
 * The physical local APIC stays the hypervisor's: no guest access reaches it.
 */
#include "kernel/cpuid.h"
#include "kernel/lapic.h"
#include "kernel/memory.h"
#include "kernel/msr.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "kernel/x86_regs.h"
#include "vcpu/report.h"
#include "vcpu/vmx/vmcs.h"
#include "vm/apic.h"
#include "vm/vm.h"

#define APIC_TIMER_HZ   100000000ULL    /* the timer's input clock: a 100 MHz bus, or the TSC if slower */
#define XAPIC_PAGE_SIZE 0x1000

static struct vcpu_apic *apic_of(struct vcpu *v)
{
    return v->vm->board.apic[v->index];
}

/* ---- The model's ops ---- */

static u64 guest_tsc(void *ctx)
{
    struct vcpu_apic *a = ctx;
    return rdtsc() + __atomic_load_n(&a->vcpu->tsc_offset, __ATOMIC_RELAXED);
}

static void kick(void *ctx)
{
    struct vcpu_apic *a = ctx;
    vcpu_kick(a->vcpu, VCPU_REQ_INTERRUPT);
}

/*
 * The IPI router (SDM Vol. 3A 11.6): a message, from a sender's ICR or an I/O APIC, to every matching local APIC;
 * lowest priority to one. from is the sending local APIC, NULL for an I/O APIC (no shorthands).
 */
static bool targeted(struct vcpu_apic *from, struct vcpu_apic *to, const struct vlapic_ipi *ipi)
{
    switch (ipi->shorthand) {
    case ICR_SELF >> ICR_SHORTHAND_SHIFT: return to == from;
    case ICR_ALL >> ICR_SHORTHAND_SHIFT: return true;
    case ICR_ALL_BUT_SELF >> ICR_SHORTHAND_SHIFT: return to != from;
    default: return vlapic_match_dest(&to->lapic, ipi->dest, ipi->logical, ipi->x2apic);
    }
}

static void route(struct vm *vm, struct vcpu_apic *from, const struct vlapic_ipi *ipi)
{
    if (ipi->delivery == VLAPIC_DM_INIT && !ipi->assert)
        return;                 /* INIT level de-assert: no effect since the Pentium 4 (11.6.1) */
    struct vcpu_apic *lowest = NULL;
    bool focus = false;
    u8 lowest_apr = 0;
    for (u32 i = 0, n = smp_cpu_count(); i < n; i++) {      /* vCPUs live on online CPUs only */
        if (!vm->vcpus[i])
            continue;
        struct vcpu_apic *to = vm->board.apic[i];
        if (!targeted(from, to, ipi))
            continue;
        if (ipi->delivery != VLAPIC_DM_LOWEST) {
            vlapic_deliver(&to->lapic, ipi->delivery, ipi->vector, ipi->level_trigger);
            continue;
        }
        /* Lowest priority (11.6.2.4): the focus processor if there is one, else the lowest APR (first wins). */
        if (focus)
            continue;
        if (vlapic_is_focus(&to->lapic, ipi->vector)) {
            lowest = to, focus = true;
            continue;
        }
        u8 apr = vlapic_arb_priority(&to->lapic);
        if (!lowest || apr < lowest_apr)
            lowest = to, lowest_apr = apr;
    }
    if (lowest)
        vlapic_deliver(&lowest->lapic, VLAPIC_DM_LOWEST, ipi->vector, ipi->level_trigger);
}

static void route_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
    struct vcpu_apic *from = ctx;
    route(from->vcpu->vm, from, ipi);
}

/* An I/O APIC's message: an 8-bit destination in the xAPIC format, whatever mode the local APICs are in. */
static struct vlapic_ipi ipi_of(const struct ioapic_msg *m)
{
    return (struct vlapic_ipi){ .vector = m->vector, .delivery = m->delivery_mode, .logical = m->logical,
                                .assert = true, .level_trigger = m->level, .dest = m->dest };
}

void apic_ioapic_message(struct vm *vm, const struct ioapic_msg *m)
{
    struct vlapic_ipi ipi = ipi_of(m);
    route(vm, NULL, &ipi);
}

u32 apic_physical_dest(struct vm *vm, u8 dest, bool logical)
{
    struct vlapic_ipi ipi = ipi_of(&(struct ioapic_msg){ .dest = dest, .logical = logical });
    for (u32 i = 0, n = smp_cpu_count(); i < n; i++)
        if (vm->vcpus[i] && targeted(NULL, vm->board.apic[i], &ipi))
            return vm->vcpus[i]->cpu->apic_id;
    return vm->vcpus[0] ? vm->vcpus[0]->cpu->apic_id : lapic_id();
}

/* The guest EOI'd a level-triggered vector: if it was a passed-through one, it leaves the physical ISR now. The
 * EOI comes from the vCPU's own register write, so this runs on its CPU, whose APIC holds the vector. */
static void level_eoi(void *ctx, u8 vector)
{
    struct vcpu_apic *a = ctx;
    u32 *word = &a->level_passthrough[vector / 32], bit = 1u << (vector % 32);
    if (*word & bit) {
        *word &= ~bit;
        lapic_eoi();
    }
    board_ioapic_eoi(a->vcpu->vm, vector);     /* remote IRR, and the passed-through pins held for it */
}

/* ---- The vCPU's interrupt source ---- */

/* The boot vCPU's LINT0 follows the 8259's INT (virtual wire). Sampled here: the PIC kicks only on a rise. */
static void follow_pic(struct vcpu_apic *a)
{
    bool level = pic_has_interrupt(&a->vcpu->vm->board.pic);
    if (level != a->lint0) {
        a->lint0 = level;
        vlapic_set_lint(&a->lapic, 0, level);
    }
}

static bool irq_pending(void *ctx)
{
    struct vcpu_apic *a = ctx;
    if (a->vcpu->parked)
        return false;           /* halted as firmware leaves an AP: it takes nothing before its INIT-SIPI */
    if (a->vcpu->index == 0)
        follow_pic(a);
    return vlapic_interrupt_pending(&a->lapic);
}

/* INTA: an ExtINT takes its vector from the 8259 pair's own INTA cycle. */
static u8 irq_ack(void *ctx)
{
    struct vcpu_apic *a = ctx;
    if (vlapic_extint_pending(&a->lapic)) {
        vlapic_extint_ack(&a->lapic);
        return pic_ack(&a->vcpu->vm->board.pic);
    }
    return vlapic_ack(&a->lapic);
}

static u32 irq_signals(void *ctx, u8 *sipi_vector)
{
    struct vcpu_apic *a = ctx;
    struct vlapic *l = &a->lapic;
    /* A hint without the lock, asked before every entry: whoever sets one kicks the vCPU afterwards. */
    if (!__atomic_load_n(&l->nmi, __ATOMIC_RELAXED) && !__atomic_load_n(&l->init, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&l->sipi, __ATOMIC_RELAXED))
        return 0;
    u32 s = 0;
    if (vlapic_take_init(l)) {
        vlapic_init_reset(l);
        vcpu_poke_timer(a->vcpu, &a->timer);
        s |= IRQ_SIGNAL_INIT;
    }
    if (vlapic_take_sipi(l, sipi_vector))
        s |= IRQ_SIGNAL_SIPI;
    if (vlapic_take_nmi(l))
        s |= IRQ_SIGNAL_NMI;
    return s;
}

/* ---- The APIC timer ---- */

/* The model's deadline is in guest TSC; the preemption timer counts host TSC (guest = host + tsc_offset). */
static u64 timer_fire(struct vtimer *t, u64 now_tsc)
{
    struct vcpu_apic *a = container_of(t, struct vcpu_apic, timer);
    (void)now_tsc;
    u64 d = vlapic_next_deadline(&a->lapic);
    return d == DEV_NO_DEADLINE ? VTIMER_NONE : d - a->vcpu->tsc_offset;
}

/* The registers whose writes move the timer's deadline (11.5.4); other writes (EOI, TPR, ICR) leave it. */
static bool timer_register(u32 offset)
{
    return offset == APIC_SVR || offset == APIC_LVT_TIMER || offset == APIC_TIMER_INITIAL ||
           offset == APIC_TIMER_DIVIDE;
}

static void timer_moved(struct vcpu_apic *a)
{
    vcpu_poke_timer(a->vcpu, &a->timer);
}

/* ---- The xAPIC page: the current vCPU's local APIC ---- */

static struct vcpu_apic *current_apic(struct vm *vm)
{
    return vm->board.apic[cpu_index()];
}

static u64 xapic_read(void *dev, u64 offset, unsigned size)
{
    struct vcpu_apic *a = current_apic(dev);
    if (a->xapic_moved)
        return ~0ULL;           /* its page is elsewhere: nothing answers here */
    return vlapic_mmio_read(&a->lapic, (u32)offset, size);
}

static void apic_page_write(struct vcpu_apic *a, u64 offset, unsigned size, u64 value)
{
    vlapic_mmio_write(&a->lapic, (u32)offset, size, (u32)value);
    if (timer_register((u32)offset))
        timer_moved(a);
}

static void xapic_write(void *dev, u64 offset, unsigned size, u64 value)
{
    struct vcpu_apic *a = current_apic(dev);
    if (!a->xapic_moved)
        apic_page_write(a, offset, size, value);
}

/* ---- The xAPIC page where the guest moved it: reached by its own vCPU only (apic_mmio_bus) ---- */

static u64 moved_read(void *dev, u64 offset, unsigned size)
{
    struct vcpu_apic *a = dev;
    return vlapic_mmio_read(&a->lapic, (u32)offset, size);
}

static void moved_write(void *dev, u64 offset, unsigned size, u64 value)
{
    apic_page_write(dev, offset, size, value);
}

bool apic_moved_page(struct vm *vm, u64 gpa)
{
    for (u32 i = 0, n = smp_cpu_count(); i < n; i++) {
        struct vcpu_apic *a = vm->vcpus[i] ? vm->board.apic[i] : NULL;
        for (u32 j = 0, m = a ? __atomic_load_n(&a->trapped_count, __ATOMIC_ACQUIRE) : 0; j < m; j++)
            if (ALIGN_DOWN(gpa, PAGE_SIZE) == a->trapped[j])
                return true;
    }
    return false;
}

const struct mmiobus *apic_mmio_bus(struct vcpu *v, u64 gpa)
{
    struct vcpu_apic *a = apic_of(v);
    if (a->moved_page.count && ALIGN_DOWN(gpa, PAGE_SIZE) == a->moved_page.region[0].first)
        return &a->moved_page;
    return &v->vm->mmio;
}

/*
 * IA32_APIC_BASE changed: the vCPU's xAPIC page follows its base (11.4.4). A new page is taken out of the EPT
 * (for every vCPU: the map is shared) and stays out; this CPU's cached translations go with INVEPT, while the
 * other CPUs may still see the memory behind it, as they would on hardware. A base on RAM or on another device
 * cannot be trapped for one vCPU alone: the VM stops, saying so.
 */
static enum vmexit_action follow_base(struct vcpu *v, struct vcpu_apic *a, u64 value)
{
    static struct spinlock ept_lock = SPINLOCK_INIT;
    u64 base = vlapic_xapic_base(&a->lapic);    /* 0 in x2APIC mode or disabled: no page at all */
    a->xapic_moved = base && base != XAPIC_DEFAULT_BASE;
    if (!a->xapic_moved) {
        a->moved_page.count = 0;
        return VMEXIT_ADVANCE;
    }
    if (a->moved_page.count && a->moved_page.region[0].first == base)
        return VMEXIT_ADVANCE;
    enum gpa_refusal why;
    guest_ptr(v->vm, base, PAGE_SIZE, &why);
    if (why != GPA_NOT_RAM || vm_mmio_page(v->vm, base))
        return vcpu_stop(v, "apic-base-moved", "value=%llx: the xAPIC page moves only to a page that is neither RAM "
                         "nor another device's (this one is %s)", (unsigned long long)value,
                         vm_mmio_page(v->vm, base) ? "a device's" : why == GPA_OK ? "RAM" : gpa_refusal_name(why));
    if (!apic_moved_page(v->vm, base)) {
        if (a->trapped_count == APIC_MOVED_PAGES)
            return vcpu_stop(v, "apic-base-moved", "value=%llx: the xAPIC page moved to more than %u pages",
                             (unsigned long long)value, APIC_MOVED_PAGES);
        spin_lock(&ept_lock);
        a->trapped[a->trapped_count] = base;
        __atomic_store_n(&a->trapped_count, a->trapped_count + 1, __ATOMIC_RELEASE);
        enum ept_status e = ept_set_range(&v->vm->ept, base, base + PAGE_SIZE, EPT_UNMAPPED);
        spin_unlock(&ept_lock);
        if (e != EPT_OK)
            return vcpu_stop(v, "apic-base-moved", "value=%llx: cannot take the page out of the EPT: %s",
                             (unsigned long long)value, ept_status_name(e));
    }
    if (vmx_invept_single(v->vm->eptp) != VMX_OK)
        vmx_instruction_failed("invept", v->vm->eptp);
    struct mmio_region r = { base, base + XAPIC_PAGE_SIZE - 1, moved_read, moved_write, a,
                             "local APIC (moved xAPIC page)" };
    mmiobus_init(&a->moved_page);
    if (mmiobus_register(&a->moved_page, &r) != MMIOBUS_OK)
        return vcpu_stop(v, "apic-base-moved", "value=%llx: no MMIO region for it", (unsigned long long)value);
    return VMEXIT_ADVANCE;
}

bool apic_init(struct vm *vm)
{
    for (u32 msr = MSR_X2APIC_FIRST; msr <= MSR_X2APIC_LAST; msr++)
        vm_intercept_msr(vm, msr, true, true);
    vm_intercept_msr(vm, MSR_IA32_APIC_BASE, true, true);
    vm_intercept_msr(vm, MSR_IA32_TSC_DEADLINE, true, true);
    struct mmio_region r = { XAPIC_DEFAULT_BASE, XAPIC_DEFAULT_BASE + XAPIC_PAGE_SIZE - 1, xapic_read, xapic_write,
                             vm, "local APIC (xAPIC page)" };
    return vm_add_mmio(vm, &r);
}

/* The LVT CMCI entry exists where the CPU reports corrected machine-check interrupts (SDM Vol. 3B 17.5.1). */
static bool cmci_present(void)
{
    return (cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_MCA) && (rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_CMCI_P);
}

bool apic_attach_vcpu(struct vm *vm, struct vcpu *v)
{
    /* Allocated per vCPU, not a table for every possible CPU in the image's .bss (cleared at every boot). */
    struct vcpu_apic *a = (struct vcpu_apic *)page_alloc(ALIGN_UP(sizeof *a, PAGE_SIZE) / PAGE_SIZE);
    if (!a) {
        pr_err("vm: out of memory for cpu%u's local APIC", v->index);
        return false;
    }
    vm->board.apic[v->index] = a;
    u64 tsc_per_tick = MAX(1, tsc_hz() / APIC_TIMER_HZ);
    struct vlapic_config cfg = {
        .apic_id = v->cpu->apic_id,     /* what the MADT lists and CPUID 1/0xB/0x1F say on this CPU */
        .bsp = v->index == 0,
        .cmci = cmci_present(),         /* the guest reads IA32_MCG_CAP as the machine's: the two agree */
        .tsc_deadline = cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_TSC_DEADLINE,
        .phys_addr_bits = (u8)cpu_phys_addr_bits(),
        .tsc_per_tick = (u32)MIN(tsc_per_tick, 1u << 20),
    };
    struct vlapic_ops ops = { guest_tsc, kick, route_ipi, level_eoi, a };
    a->vcpu = v;
    vlapic_init(&a->lapic, &cfg, &ops);
    vlapic_firmware_handoff(&a->lapic);
    a->timer.fire = timer_fire;
    vtimer_add(&v->timers, &a->timer);
    v->irq = (struct irq_source){ irq_pending, irq_ack, irq_signals, a };
    return true;
}

/* ---- MSRs, CR8, TSC ---- */

static enum vmexit_action gp(struct vcpu *v, u32 msr)
{
    pr_debug("apic: msr 0x%x: #GP", msr);
    vcpu_inject_exception(v, VECTOR_GP, true, 0);
    return VMEXIT_RESUME;
}

enum vmexit_action apic_rdmsr(struct vcpu *v, u32 msr, u64 *value)
{
    struct vlapic *l = &apic_of(v)->lapic;
    enum vlapic_status st = VLAPIC_OK;
    if (msr == MSR_IA32_APIC_BASE)
        *value = vlapic_apic_base_read(l);
    else if (msr == MSR_IA32_TSC_DEADLINE)
        st = vlapic_tsc_deadline_read(l, value);
    else
        st = vlapic_msr_read(l, msr, value);
    return st == VLAPIC_OK ? VMEXIT_ADVANCE : gp(v, msr);
}

enum vmexit_action apic_wrmsr(struct vcpu *v, u32 msr, u64 value)
{
    struct vcpu_apic *a = apic_of(v);
    enum vlapic_status st;
    bool timer = true;
    if (msr == MSR_X2APIC_EOI) {
        st = vlapic_msr_eoi(&a->lapic, value);
        timer = false;
    } else if (msr == MSR_IA32_APIC_BASE) {
        st = vlapic_apic_base_write(&a->lapic, value);
        if (st == VLAPIC_OK) {
            enum vmexit_action act = follow_base(v, a, value);
            if (act != VMEXIT_ADVANCE)
                return act;
        }
    } else if (msr == MSR_IA32_TSC_DEADLINE) {
        st = vlapic_tsc_deadline_write(&a->lapic, value);
    } else {
        st = vlapic_msr_write(&a->lapic, msr, value);
        timer = timer_register((msr - MSR_X2APIC_FIRST) << 4);
    }
    if (st != VLAPIC_OK)
        return gp(v, msr);
    if (timer)
        timer_moved(a);
    return VMEXIT_ADVANCE;
}

u8 apic_cr8_read(struct vcpu *v)
{
    return vlapic_cr8_read(&apic_of(v)->lapic);
}

void apic_cr8_write(struct vcpu *v, u8 value)
{
    vlapic_cr8_write(&apic_of(v)->lapic, value);
}

void apic_tsc_moved(struct vcpu *v, s64 delta)
{
    struct vcpu_apic *a = apic_of(v);
    vlapic_tsc_moved(&a->lapic, delta);
    timer_moved(a);
}

/*
 * A passed-through interrupt that is no I/O APIC pin's (an MSI the guest programmed into a device, on its own
 * vector): an edge one is done at the physical APIC at once; a level one stays in its ISR, holding the line's next interrupt back, until the guest
 * EOIs it (level_eoi), unless the guest's APIC would not take it.
 */
void apic_external_interrupt(struct vcpu *v, u8 vector)
{
    struct vcpu_apic *a = apic_of(v);
    bool level = lapic_level_triggered(vector) && vlapic_accepts_fixed(&a->lapic);
    if (level)
        a->level_passthrough[vector / 32] |= 1u << (vector % 32);
    else
        lapic_eoi();
    vlapic_deliver(&a->lapic, VLAPIC_DM_FIXED, vector, level);
}
