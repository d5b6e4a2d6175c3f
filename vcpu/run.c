/* SPDX-License-Identifier: BSD-2-Clause */
/* The vCPU run loop: deliver a pending event, enter, decode the exit reason once, dispatch through a table. */
#include "kernel/lapic.h"
#include "kernel/percpu.h"
#include "kernel/x86_regs.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/wallclock.h"
#include "vcpu/vmx/vmx_cpu.h"
#include "kernel/x86.h"
#include "vcpu/exit_decode.h"
#include "vcpu/exits.h"
#include "vcpu/gpr.h"
#include "vcpu/vmx/preemption_timer.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs_setup.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_controls.h"
#include "vcpu/vmx/vmx_asm.h"
#include "vcpu/vmx/vmx_names.h"


int vmx_enter(struct vcpu *v);

static exit_handler *const handlers[EXIT_REASON_COUNT] = {
    [EXIT_REASON_EXCEPTION_NMI] = exit_exception_nmi,
    [EXIT_REASON_EXTERNAL_INTERRUPT] = exit_external_interrupt,
    [EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
    [EXIT_REASON_INIT_SIGNAL] = exit_init,
    [EXIT_REASON_SIPI] = exit_sipi,
    [EXIT_REASON_INTERRUPT_WINDOW] = exit_interrupt_window,
    [EXIT_REASON_NMI_WINDOW] = exit_nmi_window,
    [EXIT_REASON_CPUID] = exit_cpuid,
    [EXIT_REASON_HLT] = exit_hlt,
    [EXIT_REASON_VMCALL] = exit_vmcall,
    [EXIT_REASON_VMCLEAR] = exit_invalid_opcode,
    [EXIT_REASON_VMLAUNCH] = exit_invalid_opcode,
    [EXIT_REASON_VMPTRLD] = exit_invalid_opcode,
    [EXIT_REASON_VMPTRST] = exit_invalid_opcode,
    [EXIT_REASON_VMREAD] = exit_invalid_opcode,
    [EXIT_REASON_VMRESUME] = exit_invalid_opcode,
    [EXIT_REASON_VMWRITE] = exit_invalid_opcode,
    [EXIT_REASON_VMXOFF] = exit_invalid_opcode,
    [EXIT_REASON_VMXON] = exit_invalid_opcode,
    [EXIT_REASON_MWAIT] = exit_invalid_opcode,        /* hidden too (CPUID.1:ECX.MONITOR = 0): #UD */
    [EXIT_REASON_MONITOR] = exit_invalid_opcode,
    [EXIT_REASON_INVEPT] = exit_invalid_opcode,
    [EXIT_REASON_INVVPID] = exit_invalid_opcode,
    [EXIT_REASON_VMFUNC] = exit_invalid_opcode,
    [EXIT_REASON_CR_ACCESS] = exit_cr_access,
    [EXIT_REASON_IO_INSTRUCTION] = exit_io,
    [EXIT_REASON_RDMSR] = exit_rdmsr,
    [EXIT_REASON_WRMSR] = exit_wrmsr,
    [EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
    [EXIT_REASON_EPT_MISCONFIG] = exit_ept_misconfig,
    [EXIT_REASON_INVD] = exit_invd,
    [EXIT_REASON_XSETBV] = exit_xsetbv,
    [EXIT_REASON_PREEMPTION_TIMER] = exit_preemption_timer,
};

u64 vcpu_gpr(struct vcpu *v, enum gpr r)
{
    return r == RSP ? vmcs_read_natural(GUEST_RSP) : v->gpr[r];
}

void vcpu_set_gpr(struct vcpu *v, enum gpr r, u64 value, unsigned size)
{
    if (r == RSP)
        vmcs_write_natural(GUEST_RSP, gpr_merge(vmcs_read_natural(GUEST_RSP), value, size));
    else
        v->gpr[r] = gpr_merge(v->gpr[r], value, size);
}

void vcpu_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
    struct event e = { vector, INTR_TYPE_HW_EXCEPTION, has_error, error };
    __atomic_fetch_or(&v->requests, VCPU_REQ_EVENT, __ATOMIC_RELAXED);    /* the fast path hands over */
    if (events_raise_exception(&v->events, e) == EXCEPTION_TRIPLE_FAULT)
        vcpu_triple_fault(v, vector);
}

void vcpu_set_window_exiting(struct vcpu *v, bool on)
{
    if (v->window_exiting == on)
        return;
    v->window_exiting = on;
    v->proc_controls = on ? v->proc_controls | PROC_INTR_WINDOW_EXITING : v->proc_controls & ~PROC_INTR_WINDOW_EXITING;
    vmcs_write32(PRIMARY_PROC_CONTROLS, v->proc_controls);
}

/*
 * The guest's interruptibility state. An STI/MOV-SS shadow that belonged to the instruction we emulated and
 * skipped is over: cleared here, lazily, so that exits which inject nothing pay no VMCS access for it.
 */
static u32 guest_interruptibility(struct vcpu *v)
{
    u32 shadow = vmcs_read32(GUEST_INTERRUPTIBILITY);
    if (v->rip_advanced && (shadow & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))) {
        shadow &= ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
        vmcs_write32(GUEST_INTERRUPTIBILITY, shadow);
    }
    return shadow;
}

static bool can_take_interrupt(struct vcpu *v)
{
    u32 shadow = guest_interruptibility(v);
    return (vmcs_read_natural(GUEST_RFLAGS) & RFLAGS_IF) && !(shadow & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

static void inject(struct event e)
{
    /* Real mode pushes no error code, and VM entry rejects one with CR0.PE = 0 (SDM Vol. 3C 27.2.1.3). */
    if (e.has_error && !(vmcs_read_natural(GUEST_CR0) & CR0_PE))
        e.has_error = false;
    vmcs_write32(VM_ENTRY_INTR_INFO, intr_info_encode(e.vector, e.type, e.has_error));
    if (e.has_error)
        vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, e.error);
    if (vmcs_read32(GUEST_ACTIVITY_STATE) == ACTIVITY_HLT)
        vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);   /* the event ends the HLT */
}

static void set_nmi_window_exiting(struct vcpu *v)
{
    if ((vmcs_read32(PIN_BASED_CONTROLS) & PIN_VIRTUAL_NMIS) && !v->nmi_window_exiting) {
        v->nmi_window_exiting = true;
        v->proc_controls |= PROC_NMI_WINDOW_EXITING;
        vmcs_write32(PRIMARY_PROC_CONTROLS, v->proc_controls);
    }
}

/* An NMI waits for STI/MOV-SS/NMI blocking to end (SDM Vol. 3C 26.3.1.5, 26.6.1). */
static bool nmi_blocked(struct vcpu *v)
{
    return guest_interruptibility(v) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI);
}

/*
 * The single-step #DB an emulated instruction owes (BS pending, vmcs_advance_guest_rip) comes before an NMI or
 * an external interrupt, as the CPU takes a trap of the previous instruction first; and a VM entry that injects
 * an NMI or interrupt would drop the pending debug exception. The event waits for its window exit, which comes
 * after the #DB was delivered (SDM Vol. 3C 27.7.3 and 26.7.5-26.7.6).
 */
static bool single_step_trap_pending(void)
{
    return (vmcs_read_natural(GUEST_RFLAGS) & RFLAGS_TF) &&
           (vmcs_read_natural(GUEST_PENDING_DBG_EXCEPTIONS) & PENDING_DBG_BS);
}

/*
 * Delivers one pending event if the guest can take it now (SDM Vol. 3C 27.6): the exception first (it belongs
 * to the instruction just run), then the NMI, then an external interrupt (a vector the vCPU holds, the highest
 * first, else its interrupt source's), which needs RFLAGS.IF = 1 and no STI/MOV-SS shadow. What stays pending
 * turns on its window exiting, which brings the vCPU back as soon as the guest can take it (after the event
 * injected now, SDM 26.7.5-26.7.6). The source is acknowledged (INTA) only at the moment its vector is injected.
 * `irq`: whether the interrupt source has one waiting, asked once by the run loop; returned as it stands after
 * this entry's injection.
 */
static bool deliver_event(struct vcpu *v, bool irq)
{
    struct vcpu_events *q = &v->events;
    bool injected = false, trap = false;
    if (q->has_exception) {
        q->has_exception = false;
        inject(q->exception);
        injected = true;
    } else if (q->nmi || events_has_vector(q) || irq) {
        trap = single_step_trap_pending();
    }
    if (q->nmi && !injected && !trap && !nmi_blocked(v)) {
        q->nmi = false;
        inject((struct event){ VECTOR_NMI, INTR_TYPE_NMI, false, 0 });
        injected = true;
    }
    if (q->nmi)
        set_nmi_window_exiting(v);
    if (!injected && !trap && (events_has_vector(q) || irq) && can_take_interrupt(v)) {
        int vector = events_highest_vector(q);
        if (vector >= 0) {
            events_take_vector(q, (u8)vector);
            inject((struct event){ (u8)vector, INTR_TYPE_EXTERNAL, false, 0 });
        } else {
            inject((struct event){ v->irq.ack(v->irq.ctx), INTR_TYPE_EXTERNAL, false, 0 });
            irq = vcpu_irq_pending(v);          /* the INTA changed the source: ask again, once */
        }
    }
    vcpu_set_window_exiting(v, events_has_vector(q) || irq);
    return irq;
}

/*
 * NMI, INIT and SIPI from the vCPU's interrupt source (its local APIC), before anything is delivered. INIT of an
 * application processor parks it in the INIT register state, halted, running no guest code (vmcs_set_guest_parked)
 * rather than in the wait-for-SIPI activity state, where neither the wake IPI nor anything but a physical SIPI
 * would reach it, and the guest's SIPIs are not physical; its next SIPI starts it (SDM Vol. 3A 9.4, 11.6.1). NMIs
 * are blocked in that state. INIT of the boot vCPU would restart the firmware, which is the hypervisor's: the VM
 * stops (false).
 */
static bool take_signals(struct vcpu *v)
{
    u8 sipi_vector;
    u32 s = v->irq.signals(v->irq.ctx, &sipi_vector);
    if (s & IRQ_SIGNAL_INIT) {
        if (v->index == 0) {
            vcpu_stop(v, "init-of-boot-cpu", NULL);
            return false;
        }
        vmcs_set_guest_parked(v);
        v->waiting_for_sipi = true;
    }
    if ((s & IRQ_SIGNAL_SIPI) && v->waiting_for_sipi) {
        v->waiting_for_sipi = false;
        vmcs_set_guest_sipi(v, sipi_vector);
    }
    if ((s & IRQ_SIGNAL_NMI) && !v->parked)
        events_raise_nmi(&v->events);
    return true;
}

#define HALT_WATCH_PER_SECOND 100  /* the halt watch looks every 10 ms */

/* Arms the VMX-preemption timer to fire at TSC value `deadline`, or (VTIMER_NONE) sets it back to the stop
 * watch (vcpu/vmx/preemption_timer.h). */
static void set_timer(struct vcpu *v, u64 deadline)
{
    if (deadline != VTIMER_NONE) {
        v->timer_on = true;
        v->timer_deadline = deadline;
        preemption_timer_load(deadline, rdtsc());
    } else if (v->timer_on) {
        v->timer_on = false;
        preemption_timer_load_watch();
    }
}

/*
 * The VMX-preemption timer, always on where the CPU has it. It ends guest execution at the nearest deadline
 * of the vCPU's timers (vcpu/vtimer.h). On a vCPU halted with interrupts off it is the halt watch as well: the
 * timer ends even that HLT, so the vCPU notices a stopping VM (Bochs, unlike the SDM, wakes such a HLT for
 * neither an external interrupt nor a blocked NMI). Otherwise it is the stop watch.
 */
static void arm_timer(struct vcpu *v)
{
    u64 deadline = v->timers.deadline;
    if (v->halted_interrupts_off)
        deadline = MIN(deadline, rdtsc() + tsc_hz() / HALT_WATCH_PER_SECOND);
    if (deadline != VTIMER_NONE || v->timer_on)
        set_timer(v, deadline);
}

static u64 tsc_now(void)
{
    return rdtsc();
}

/* The vCPU's timers that are due, or were poked (VCPU_REQ_TIMERS), run before the entry. */
static void run_timers(struct vcpu *v, u32 requests)
{
    if ((requests & VCPU_REQ_TIMERS) || (v->timers.deadline != VTIMER_NONE && vtimer_due(&v->timers, rdtsc())))
        vtimer_run(&v->timers, tsc_now);
}

/*
 * What the exit stub may handle itself and resume the guest without coming back here: only exits after which
 * this loop would do nothing before the next entry. Nothing to deliver (no pending event, nothing from the
 * interrupt source); no Bochs SMI-blocking repair; no halt watch. A vCPU with timers needs the preemption
 * timer, since without it they are run only here. The timer counts only while the guest runs, so while it
 * holds a deadline each fast exit re-arms it from there (fast_exit_finish); the CPUID path in assembly does not,
 * so it runs only under the stop watch, which each entry reloads as it is. What other CPUs change comes as a
 * request (vcpu_kick) with a wake IPI, which ends guest execution right after the entry; an NMI in root mode
 * is checked by the stub.
 */
static u8 fast_exits_allowed(const struct vcpu *v, bool irq)
{
    if (!events_empty(&v->events) || irq || v->started_by_sipi || v->halted_interrupts_off ||
        (v->timers.first && !vmx_caps.preemption_timer))
        return 0;
    return v->timer_on ? FAST_EXITS_C : FAST_EXITS_C | FAST_EXITS_CPUID;
}

static enum vmexit_action entry_failed(struct vcpu *v, struct exit_reason r)
{
    const char *why = r.basic == EXIT_REASON_INVALID_GUEST_STATE ? "invalid-guest-state"
                      : r.basic == EXIT_REASON_MSR_LOADING   ? "msr-loading"
                                                             : "machine-check";
    vcpu_stop(v, "entry-failure", "cause=%s qualification=%llx", why,
              (unsigned long long)vmcs_read_natural(EXIT_QUALIFICATION));
    vmcs_dump_all();
    return VMEXIT_STOP;
}

/*
 * An event whose delivery a VM exit interrupted (IDT-vectoring information, SDM Vol. 3C 28.2.4) would have to
 * be injected again. With an empty exception bitmap, the only exits that can happen during delivery are EPT
 * violations, EPT misconfigurations and triple faults, and all of them stop the VM here; whoever adds an exit
 * that resumes after one (MMIO emulation, an exception intercept) must re-inject it first.
 */
void vcpu_run(struct vcpu *v)
{
    for (;;) {
        /* Taken before the loop reads the state they are about, so a later request is never lost. */
        u32 requests = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQ_REL);
        if (__atomic_load_n(&v->vm->stopping, __ATOMIC_ACQUIRE))
            break;
        if (v->cpu->nmi_pending) {      /* an NMI for the guest came while we were in the hypervisor */
            v->cpu->nmi_pending = false;
            events_raise_nmi(&v->events);
        }
        if (v->irq.signals && !take_signals(v))
            break;
        /*
         * A parked vCPU goes back in halted, however it came out. Our wake IPI ends its HLT (RFLAGS.IF = 1,
         * vmcs_set_guest_parked) and Bochs saves that exit's activity state as active (measured; the SDM returns
         * to the active state only after such an exit completes, Vol. 3C 28.1): entered as saved, the vCPU would
         * run the firmware from the reset vector without a SIPI. Any kick with no INIT to take does that: an NMI
         * to the parked AP, the second of two INITs taken in one pass (boot case bochs-adversarial-init-storm).
         */
        if (v->parked)
            vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_HLT);
        if (v->started_by_sipi) {
            /* Bochs 2.7 leaves SMIs blocked after it delivered a SIPI and saves that in every VM exit's
             * interruptibility state, which the next entry rejects outside SMM: our guests never run in SMM. */
            u32 shadow = vmcs_read32(GUEST_INTERRUPTIBILITY);
            if (shadow & INTERRUPTIBILITY_SMI)
                vmcs_write32(GUEST_INTERRUPTIBILITY, shadow & ~INTERRUPTIBILITY_SMI);
            else if (v->sipi_exits_seen)
                v->started_by_sipi = false;     /* an exit left SMIs unblocked: no quirk here, stop looking */
            v->sipi_exits_seen = true;          /* from the next entry on, the state comes from an exit */
        }
        run_timers(v, requests);
        if (vmx_caps.preemption_timer && (v->timers.deadline != VTIMER_NONE || v->halted_interrupts_off || v->timer_on))
            arm_timer(v);
        /*
         * The interrupt source is asked once a pass (its answer takes locks): new interrupts come with a kick. A
         * kick from this pass itself (the APIC timer fired in run_timers) is answered by the question below, so
         * it is dropped first; one that comes after the drop stays for the next exit to see.
         */
        __atomic_fetch_and(&v->requests, ~(u32)VCPU_REQ_INTERRUPT, __ATOMIC_ACQ_REL);
        bool irq = vcpu_irq_pending(v);
        if (!events_empty(&v->events) || v->window_exiting || irq)
            irq = deliver_event(v, irq);
        v->rip_advanced = false;
        v->fast_exits = fast_exits_allowed(v, irq);
        int entered = vmx_enter(v);
        if (entered == ENTER_FAIL_INVALID || entered == ENTER_FAIL_VALID)
            vmx_instruction_failed(v->launched ? "VMRESUME" : "VMLAUNCH", 0);
        v->launched = true;
        if (entered == ENTER_EXIT_HANDLED)
            continue;                           /* a fast path did it all; the loop prepares the entry */

        struct exit_reason r = exit_decode_reason(v->exit_reason);     /* read by the exit stub */
        if (r.basic != EXIT_REASON_PREEMPTION_TIMER)
            v->halted_interrupts_off = false;   /* anything but the halt watch means the HLT is over */
        v->exits[MIN(r.basic, EXIT_REASON_COUNT)]++;
        enum vmexit_action a;
        if (r.entry_failure)
            a = entry_failed(v, r);
        else if (r.basic < EXIT_REASON_COUNT && handlers[r.basic])
            a = handlers[r.basic](v);
        else
            a = vcpu_stop(v, "unexpected-exit", "exit=%u(%s)", r.basic, vmx_exit_reason_name(r.basic));
        if (a == VMEXIT_ADVANCE) {
            vmcs_skip_guest_instruction();
            v->rip_advanced = true;
        }
    }
    /* After a SIPI Bochs leaves NMIs blocked: the hypervisor's own NMIs (the stop at the end) must get through. */
    nmi_unblock();
}
