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
    [EXIT_REASON_VMCLEAR] = exit_vmx_instruction,
    [EXIT_REASON_VMLAUNCH] = exit_vmx_instruction,
    [EXIT_REASON_VMPTRLD] = exit_vmx_instruction,
    [EXIT_REASON_VMPTRST] = exit_vmx_instruction,
    [EXIT_REASON_VMREAD] = exit_vmx_instruction,
    [EXIT_REASON_VMRESUME] = exit_vmx_instruction,
    [EXIT_REASON_VMWRITE] = exit_vmx_instruction,
    [EXIT_REASON_VMXOFF] = exit_vmx_instruction,
    [EXIT_REASON_VMXON] = exit_vmx_instruction,
    [EXIT_REASON_INVEPT] = exit_vmx_instruction,
    [EXIT_REASON_INVVPID] = exit_vmx_instruction,
    [EXIT_REASON_VMFUNC] = exit_vmx_instruction,
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
    if (!events_push_front(&v->events, e))
        vcpu_stop(v, "event-queue-full", "vector=%u", vector);
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

/*
 * Delivers one pending event if the guest can take it now (SDM Vol. 3C 27.6): exceptions and NMIs at once;
 * an external interrupt (queued, or the emulated PIC's for vCPU 0) needs RFLAGS.IF = 1 and no STI/MOV-SS
 * shadow, otherwise interrupt-window exiting brings us back when it can. The PIC is acknowledged (INTA)
 * only at the moment its vector is injected.
 */
static void deliver_event(struct vcpu *v, struct pic *pic)
{
    bool pic_wants = pic && pic_has_interrupt(pic);
    if (events_empty(&v->events) && !pic_wants) {
        vcpu_set_window_exiting(v, false);
        return;
    }
    if (!events_empty(&v->events) && events_peek(&v->events)->type == INTR_TYPE_NMI) {
        /* An NMI waits for STI/MOV-SS/NMI blocking to end (SDM 26.3.1.5, 26.6.1). */
        u32 shadow = guest_interruptibility(v);
        if (shadow & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI)) {
            if ((vmcs_read32(PIN_BASED_CONTROLS) & PIN_VIRTUAL_NMIS) && !v->nmi_window_exiting) {
                v->nmi_window_exiting = true;
                v->proc_controls |= PROC_NMI_WINDOW_EXITING;
                vmcs_write32(PRIMARY_PROC_CONTROLS, v->proc_controls);
            }
            return;
        }
    }
    if (!events_empty(&v->events) && events_peek(&v->events)->type != INTR_TYPE_EXTERNAL) {
        inject(*events_peek(&v->events));
        events_pop(&v->events);
        return;
    }
    if (!can_take_interrupt(v)) {
        vcpu_set_window_exiting(v, true);
        return;
    }
    if (!events_empty(&v->events)) {
        inject(*events_peek(&v->events));
        events_pop(&v->events);
    } else {
        inject((struct event){ pic_ack(pic), INTR_TYPE_EXTERNAL, false, 0 });
    }
    vcpu_set_window_exiting(v, !events_empty(&v->events) || (pic && pic_has_interrupt(pic)));
}

#define HALT_WATCH_PER_SECOND 100  /* the halt watch looks every 10 ms */

/* Arms the VMX-preemption timer to fire at TSC value `deadline`, or (DEV_NO_DEADLINE) sets it back to the stop
 * watch (vcpu/vmx/preemption_timer.h). */
static void set_timer(struct vcpu *v, u64 deadline)
{
    if (deadline != DEV_NO_DEADLINE) {
        v->timer_on = true;
        v->timer_deadline = deadline;
        preemption_timer_load(deadline, rdtsc());
    } else if (v->timer_on) {
        v->timer_on = false;
        preemption_timer_load_watch();
    }
}

/*
 * The VMX-preemption timer, always on where the CPU has it. On the vCPU that owns the devices it ends guest
 * execution at the nearest device deadline (RTC periodic, alarm and update interrupts; the UART's character
 * timeout). On a vCPU halted with interrupts off it is the halt watch: the timer ends even that HLT, so the
 * vCPU notices a stopping VM (Bochs, unlike the SDM, wakes such a HLT for neither an external interrupt nor a
 * blocked NMI). Otherwise it is the stop watch.
 */
static void arm_timer(struct vcpu *v, bool owns_devices)
{
    u64 deadline = owns_devices ? platform_timers(v->vm) : DEV_NO_DEADLINE;
    if (v->halted_interrupts_off)
        deadline = MIN(deadline, rdtsc() + tsc_hz() / HALT_WATCH_PER_SECOND);
    if (deadline != DEV_NO_DEADLINE || v->timer_on)
        set_timer(v, deadline);
}

/*
 * What the exit stub may handle itself and resume the guest without coming back here: only exits after which
 * this loop would do nothing before the next entry. Nothing to deliver (no queued event, no PIC interrupt for
 * vCPU 0); no Bochs SMI-blocking repair; no halt watch. vCPU 0's device deadlines need the preemption timer,
 * since without it they are checked only here. The timer counts only while the guest runs, so while it holds
 * a deadline each fast exit re-arms it from there (fast_exit_finish); the CPUID path in assembly does not, so
 * it runs only under the stop watch, which each entry reloads as it is. What other CPUs change (stopping, a guest INIT, a PIC interrupt, a device deadline) comes with a
 * wake IPI, which ends guest execution right after the entry; an NMI in root mode is checked by the stub.
 */
static u8 fast_exits_allowed(const struct vcpu *v, struct pic *pic)
{
    if (!events_empty(&v->events) || (pic && pic_has_interrupt(pic)) || v->started_by_sipi ||
        v->halted_interrupts_off || (pic && !vmx_caps.preemption_timer))
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
    struct pic *pic = v->index == 0 ? &v->vm->board.pic : NULL;    /* PIC interrupts go to the boot vCPU */
    for (;;) {
        /* Cleared before the loop reads what it flags, `stopping` first (a full barrier between), so a later
         * vcpu_attention is never lost. */
        __atomic_store_n(&v->attention, false, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&v->vm->stopping, __ATOMIC_ACQUIRE))
            break;
        if (v->cpu->nmi_pending) {      /* an NMI for the guest came while we were in the hypervisor */
            v->cpu->nmi_pending = false;
            if (!events_push_front(&v->events, (struct event){ VECTOR_NMI, INTR_TYPE_NMI, false, 0 }))
                vcpu_stop(v, "event-queue-full", "vector=2");
        }
        if (__atomic_load_n(&v->pending_init, __ATOMIC_ACQUIRE)) {
            /* The guest's INIT (vcpu/ipi.c): an AP waits for its SIPI; the boot vCPU stops, as in exit_init. */
            if (v->index == 0) {
                __atomic_store_n(&v->pending_init, false, __ATOMIC_RELEASE);
                vcpu_stop(v, "init-of-boot-cpu", NULL);
                break;
            }
            vmcs_set_guest_init(v);
            __atomic_store_n(&v->pending_init, false, __ATOMIC_RELEASE);
        }
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
        if (vmx_caps.preemption_timer && ((pic && !platform_timers_idle(&v->vm->board)) ||
                                          v->halted_interrupts_off || v->timer_on))
            arm_timer(v, pic != NULL);
        if (!events_empty(&v->events) || v->window_exiting || (pic && pic_has_interrupt(pic)))
            deliver_event(v, pic);
        v->rip_advanced = false;
        v->fast_exits = fast_exits_allowed(v, pic);
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
    /* The guest owned this CPU's local APIC and may have left its TPR up; after a SIPI Bochs leaves NMIs
     * blocked. The hypervisor's own IPIs and NMIs (the cross-CPU calls and stop at the end) must get through. */
    lapic_reclaim();
    nmi_unblock();
}
