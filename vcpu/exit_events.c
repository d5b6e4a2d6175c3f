/* SPDX-License-Identifier: BSD-2-Clause */
/* Exits about events and CPU state: HLT, interrupt window, external interrupt, NMI, INIT, SIPI, triple fault. */
#include "kernel/lapic.h"
#include "kernel/x86_regs.h"
#include "kernel/smp.h"
#include "vcpu/exit_decode.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vcpu/report.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmcs_setup.h"
#include "vm/apic.h"
#include "vm/vm.h"

/*
 * HLT waits for an event (SDM Vol. 2A "HLT"). A pending event that can be taken ends it at once; else the
 * guest halts in the HLT activity state, in VMX non-root operation, so that its own interrupts (passed through)
 * and ours (injected on the next exit) wake it as they would on bare metal.
 */
enum vmexit_action exit_hlt(struct vcpu *v)
{
    bool interrupts_on = vmcs_read_natural(GUEST_RFLAGS) & RFLAGS_IF;
    const struct vcpu_events *q = &v->events;
    if (q->has_exception || q->nmi || (interrupts_on && events_has_vector(q)))
        return VMEXIT_ADVANCE;
    /*
     * cli; hlt: only an NMI, INIT or SIPI can end it. On an application processor that is how an OS parks
     * a CPU; on the boot vCPU it is how a test kernel says it is done (or dead): the VM stops.
     */
    if (!interrupts_on && v->index == 0)
        return vcpu_stop(v, "hlt-with-interrupts-disabled", NULL);
    v->halted_interrupts_off = !interrupts_on;     /* see the halt watch in vcpu/run.c */
    u32 shadow = vmcs_read32(GUEST_INTERRUPTIBILITY);
    if (shadow & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
        vmcs_write32(GUEST_INTERRUPTIBILITY, shadow & ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
    /* With RFLAGS.TF, entering HLT needs the single-step trap pending (BS; SDM 27.3.1.5): the run loop's RIP
     * advance sets it (vmcs_skip_guest_instruction). */
    vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_HLT);
    return VMEXIT_ADVANCE;
}

enum vmexit_action exit_interrupt_window(struct vcpu *v)
{
    if (events_empty(&v->events))
        vcpu_set_window_exiting(v, false);
    return VMEXIT_RESUME;     /* the run loop injects the pending interrupt now that the guest can take it */
}

/* The guest can take an NMI again: the run loop injects the pending one. */
enum vmexit_action exit_nmi_window(struct vcpu *v)
{
    v->nmi_window_exiting = false;
    v->proc_controls &= ~PROC_NMI_WINDOW_EXITING;
    vmcs_write32(PRIMARY_PROC_CONTROLS, v->proc_controls);
    return VMEXIT_RESUME;
}

/*
 * With "acknowledge interrupt on exit" the vector arrives in the exit information (SDM Vol. 3C 28.2.2), in the
 * physical ISR. Our own wake IPI is EOI'd here. Any other vector is a passed-through device's: a host vector of
 * a machine I/O APIC pin raises the guest's pin (vm/ioapic.c), even for a parked vCPU (the pin is the VM's); any
 * other goes into the guest's local APIC, which the physical one never is (vm/apic.c says when the physical EOI
 * comes).
 */
enum vmexit_action exit_external_interrupt(struct vcpu *v)
{
    struct intr_info info = exit_decode_intr_info(vmcs_read32(VM_EXIT_INTR_INFO));
    if (info.vector == VECTOR_WAKE_IPI) {
        lapic_eoi();
        return VMEXIT_RESUME;
    }
    if (info.vector == VECTOR_SPURIOUS)
        return VMEXIT_RESUME;   /* a spurious interrupt sets no ISR bit: nothing to EOI (SDM Vol. 3A 11.9) */
    if (board_ioapic_interrupt(v->vm, info.vector))
        return VMEXIT_RESUME;
    if (v->parked) {
        lapic_eoi();            /* a parked AP runs no guest code: acknowledged (on exit) and dropped */
        return VMEXIT_RESUME;
    }
    apic_external_interrupt(v, info.vector);
    return VMEXIT_RESUME;
}

/* The exception bitmap is empty: only NMIs come here. Ours stop this CPU; the others are the guest's. */
enum vmexit_action exit_exception_nmi(struct vcpu *v)
{
    struct intr_info info = exit_decode_intr_info(vmcs_read32(VM_EXIT_INTR_INFO));
    if (info.type != INTR_TYPE_NMI)
        return vcpu_stop(v, "unexpected-exception", "vector=%u", info.vector);
    smp_nmi_stop();         /* does not return when the NMI was a stop request */
    nmi_unblock();          /* the exit left NMIs blocked in the hypervisor */
    if (__atomic_load_n(&v->vm->stopping, __ATOMIC_ACQUIRE))
        return VMEXIT_RESUME;   /* vm_stop's NMI (or the guest's, too late): the run loop ends */
    events_raise_nmi(&v->events);     /* NMIs that come while one is pending coalesce, as on hardware */
    return VMEXIT_RESUME;
}

/*
 * A physical INIT (SDM Vol. 3A 9.4.2, Vol. 3C 26.2): the guest's own INITs never reach the hardware (they go
 * from its local APIC to the target's, vm/apic.c), but the machine's I/O APIC, which the guest still programs,
 * can send one. An application processor enters the INIT state and waits for a SIPI; INIT of the boot vCPU
 * would restart the firmware, which belongs to the hypervisor: the VM stops.
 */
enum vmexit_action exit_init(struct vcpu *v)
{
    if (v->index == 0)
        return vcpu_stop(v, "init-of-boot-cpu", NULL);
    vmcs_set_guest_init(v);
    return VMEXIT_RESUME;
}

/*
 * A SIPI exit happens only in the wait-for-SIPI activity state, which a vCPU enters only from a physical INIT
 * (exit_init); the only physical SIPIs are vm_stop's. The guest's own SIPIs are its local APIC's signals
 * (vcpu/run.c). A SIPI that is not the stop's starts the vCPU as the SDM says.
 */
enum vmexit_action exit_sipi(struct vcpu *v)
{
    if (v->vm->stopping)
        return VMEXIT_RESUME;   /* vm_stop's SIPI: the run loop ends */
    vmcs_set_guest_sipi(v, (u8)vmcs_read_natural(EXIT_QUALIFICATION));
    v->started_by_sipi = true;
    v->sipi_exits_seen = false;
    return VMEXIT_RESUME;
}

enum vmexit_action exit_triple_fault(struct vcpu *v)
{
    return vcpu_triple_fault(v, -1);
}

/* A device deadline passed, or the halt watch: the run loop does what is due before the next entry. */
enum vmexit_action exit_preemption_timer(struct vcpu *v)
{
    (void)v;
    return VMEXIT_RESUME;
}
