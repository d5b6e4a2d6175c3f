/* SPDX-License-Identifier: BSD-2-Clause */
/* A virtual CPU: the guest registers the exit stub saves, its VMCS, what it owes the guest, its timers, its requests. */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include "devices/guest_console.h"
#include "kernel/types.h"
#include "vcpu/events.h"
#include "vcpu/gpr.h"
#include "vcpu/guest_walk.h"
#include "vcpu/insn_decode.h"
#include "vcpu/irq_source.h"
#include "vcpu/vtimer.h"
#include "vcpu/vmx/vmx_defs.h"

struct vm;
struct percpu;

struct vcpu {
    /* vcpu/vmx/vmx_entry.S knows the offsets up to exits[] (vcpu/vmx/vmx_asm.h): keep them first, in this order.
     * gpr[RSP] is unused: RSP is in the VMCS. */
    u64 gpr[GPR_COUNT];         /* offset 0 */
    u64 host_rsp;               /* offset 128: the HOST_RSP last written to the VMCS */
    bool launched;              /* offset 136: VMRESUME, not VMLAUNCH */
    u8 fast_exits;              /* offset 137: FAST_EXITS_* bits, what the exit stub may handle (vcpu/run.c) */
    u32 exit_reason;            /* offset 140: the raw exit reason, read once by the exit stub */
    u64 exits[EXIT_REASON_COUNT + 1];   /* offset 144: by basic reason; the last slot counts reasons past the table */

    struct vm *vm;
    struct percpu *cpu;
    u32 index;
    u16 vpid;
    u64 vmcs;                   /* physical address of this vCPU's VMCS */
    u32 requests;               /* enum vcpu_request bits: why the run loop must look before the next entry */
    bool parked;                /* halted in the INIT register state, running no guest code: an AP as firmware
                                   leaves it, or after the guest's INIT (vcpu/run.c) */
    bool waiting_for_sipi;      /* parked by the guest's INIT: its next SIPI starts it */
    bool started_by_sipi;       /* see the SMI-blocking note in vcpu/run.c */
    bool sipi_exits_seen;       /* an exit happened since that SIPI */
    bool halted_interrupts_off; /* in HLT with RFLAGS.IF = 0 (vcpu/run.c: halt watch) */
    bool timer_on;              /* the VMX-preemption timer holds a deadline, not the stop watch */
    u64 timer_deadline;         /* while it does: the TSC value it stands for (the fast path re-arms from it) */
    struct walk_memo code_memo;     /* the last translation of an MMIO instruction's code page (vcpu/mmio.c) */
    struct insn_memo insn_memo;     /* and the last instruction decoded there */
    bool rip_advanced;          /* RIP moved past an instruction: an STI/MOV-SS shadow may be stale */
    bool window_exiting;        /* interrupt-window exiting is on */
    bool nmi_window_exiting;    /* NMI-window exiting is on */
    u32 proc_controls;          /* primary processor-based controls as last written */
    u64 cr0_shadow, cr4_shadow; /* what the guest believes CR0/CR4 hold (the read shadows) */
    u64 tsc_offset, tsc_adjust; /* the guest's view of the TSC (vcpu/exit_msr.c) */
    struct guest_console console;   /* this vCPU's hypercall text, so lines of vCPUs never mix */
    struct vcpu_events events;  /* what the vCPU owes the guest, besides its interrupt source's vectors */
    struct irq_source irq;      /* its external interrupts (the board sets it) */
    struct vtimer_list timers;  /* served on the VMX-preemption timer (the board adds the devices') */
};

/* All exits of this vCPU: derived from the per-reason counts, so the exit path keeps one counter. */
static inline u64 vcpu_exits_total(const struct vcpu *v)
{
    u64 n = 0;
    for (u32 r = 0; r <= EXIT_REASON_COUNT; r++)
        n += v->exits[r];
    return n;
}

/* What an exit handler asks the run loop to do next. */
enum vmexit_action {
    VMEXIT_RESUME,        /* re-enter the guest at the same RIP (the event or state was handled) */
    VMEXIT_ADVANCE,       /* the instruction was emulated: move RIP past it, then re-enter */
    VMEXIT_STOP,          /* the VM stops (vm_stop was called with the reason) */
};

/*
 * Why a vCPU's run loop must look before the vCPU next runs guest code. The exit fast path (vcpu/exit_fast.h)
 * resumes the guest only while no request is set; the run loop takes them all before it looks at the state.
 */
enum vcpu_request {
    VCPU_REQ_STOP = BIT(0),         /* the VM is stopping */
    VCPU_REQ_TIMERS = BIT(2),       /* one of its timers was poked */
    VCPU_REQ_INTERRUPT = BIT(3),    /* its interrupt source has a new interrupt, NMI, INIT or SIPI */
    VCPU_REQ_EVENT = BIT(4),        /* an event was raised in v->events (set on v's own CPU) */
};

/*
 * Sets requests on v, from any CPU, after the state they are about, and brings v out of the guest if it runs
 * on another CPU: the wake IPI ends guest execution and HLT. VCPU_REQ_STOP also sends a SIPI, which ends the
 * wait-for-SIPI state, and an NMI, which no TPR the guest raised holds back (vcpu/kick.c).
 */
void vcpu_kick(struct vcpu *v, u32 requests);

/* A timer v serves has new inputs (any CPU): it runs on v before v next runs guest code. */
static inline void vcpu_poke_timer(struct vcpu *v, struct vtimer *t)
{
    vtimer_poke(t);
    vcpu_kick(v, VCPU_REQ_TIMERS);
}

/* Raises an external-interrupt vector on v, from v's own CPU (a hypercall, a passed-through interrupt). */
static inline void vcpu_raise_vector(struct vcpu *v, u8 vector)
{
    events_raise_vector(&v->events, vector);
    __atomic_fetch_or(&v->requests, VCPU_REQ_EVENT, __ATOMIC_RELAXED);
}

/* Whether v's interrupt source has an interrupt waiting (a hint: the ack settles it). */
static inline bool vcpu_irq_pending(const struct vcpu *v)
{
    return v->irq.pending && v->irq.pending(v->irq.ctx);
}

/* Reads a general register; RSP comes from the VMCS. */
u64 vcpu_gpr(struct vcpu *v, enum gpr r);
/* Writes `size` bytes (1, 2, 4, 8) of a register with the architectural rules: 4 zero-extends, 1/2 merge. */
void vcpu_set_gpr(struct vcpu *v, enum gpr r, u64 value, unsigned size);

/* Runs the vCPU on this CPU until its VM stops. */
void vcpu_run(struct vcpu *v);

/* Interrupt-window exiting on or off (one VMWRITE, only on a change). */
void vcpu_set_window_exiting(struct vcpu *v, bool on);

/* Queues an exception for the guest: #UD, #GP(0) and the like (guest misbehaviour with an architectural answer). */
void vcpu_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error);

#endif
