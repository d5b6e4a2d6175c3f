/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's x2APIC ICR writes. INIT is delivered to the target vCPUs in software: it puts them in the INIT
 * state, waiting for SIPI (SDM Vol. 3A 9.4, 11.6.1). A physical INIT would reach a CPU in VMX operation as an
 * INIT exit, which Bochs 2.7 does not consume (the INIT stays pending, re-exits at every entry and resets the
 * CPU at VMXOFF). SIPIs and every other IPI go to the hardware as written: a SIPI then exits on the target
 * as the SDM describes (vcpu/exit_events.c).
 */
#include "kernel/apic_regs.h"
#include "kernel/lapic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "vcpu/ipi.h"
#include "vm/vm.h"

#define ICR_DELIVERY(icr)       ((icr) & ICR_DELIVERY_MASK)
#define ICR_SHORTHAND(icr)      ((icr) & ICR_SHORTHAND_MASK)
#define ICR_LOW_HALF            0xFFFFFFFFull   /* the fields; the x2APIC destination is above */
#define INIT_ACCEPT_US          25000   /* longer than the halt watch (10 ms), after which even a cli; hlt
                                           vCPU takes it; the guest's SIPI then finds it waiting */

static bool targeted(const struct vcpu *sender, const struct vcpu *t, u64 icr)
{
    switch (ICR_SHORTHAND(icr)) {
    case ICR_SELF: return t == sender;
    case ICR_ALL: return true;
    case ICR_ALL_BUT_SELF: return t != sender;
    default: return !(icr & ICR_LOGICAL) && t->cpu->apic_id == (u32)(icr >> X2APIC_ICR_DEST_SHIFT);
    }
}

/*
 * A SIPI to several CPUs goes out as one SIPI per target: Bochs 2.7 ends a broadcast at the first CPU whose
 * SIPI causes a VM exit, so the others would never see it.
 */
static void send_sipis(struct vcpu *v, u64 icr)
{
    for (u32 i = 0; i < HV_MAX_CPUS; i++) {
        struct vcpu *t = v->vm->vcpus[i];
        if (t && targeted(v, t, icr))
            wrmsr(MSR_X2APIC_ICR, ((u64)t->cpu->apic_id << X2APIC_ICR_DEST_SHIFT) |
                                  (icr & ICR_LOW_HALF & ~(u64)ICR_SHORTHAND_MASK));
    }
}

bool ipi_icr_write(struct vcpu *v, u64 icr)
{
    /* Where the hardware would fault (x2APIC off, reserved bits), the guest gets the #GP, not the host. */
    if (!lapic_x2apic() || (icr & ICR_X2APIC_RESERVED))
        return false;
    if (ICR_DELIVERY(icr) == ICR_STARTUP && ICR_SHORTHAND(icr) != ICR_NO_SHORTHAND) {
        send_sipis(v, icr);
        return true;
    }
    if (ICR_DELIVERY(icr) != ICR_INIT) {
        wrmsr(MSR_X2APIC_ICR, icr);     /* the guest owns its local APIC: everything else as written */
        return true;
    }
    if (!(icr & ICR_LEVEL_ASSERT))
        return true;                    /* INIT level de-assert: a no-op since the Pentium 4 (SDM 11.6.1) */
    if (ICR_SHORTHAND(icr) == ICR_NO_SHORTHAND && (icr & ICR_LOGICAL)) {
        pr_warn("ipi: cpu%u sent INIT in logical destination mode, which is not supported; ignored", v->index);
        return true;
    }
    struct vm *vm = v->vm;
    for (u32 i = 0; i < HV_MAX_CPUS; i++) {
        struct vcpu *t = vm->vcpus[i];
        if (!t || !targeted(v, t, icr))
            continue;
        __atomic_store_n(&t->pending_init, true, __ATOMIC_RELEASE);
        vcpu_kick(t, VCPU_REQ_INIT);
        if (t == v)
            continue;                   /* applied before this vCPU's next entry */
        /* Wait until the target took it, so the guest's SIPI finds it waiting for one. */
        u64 end = tsc_deadline_us(INIT_ACCEPT_US);
        while (__atomic_load_n(&t->pending_init, __ATOMIC_ACQUIRE) && rdtsc() < end)
            cpu_relax();
    }
    return true;
}
