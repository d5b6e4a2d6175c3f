/* SPDX-License-Identifier: BSD-2-Clause */
/* EPT violations and misconfigurations: guest-physical accesses the EPT does not allow. */
#include "kernel/panic.h"
#include "vcpu/exit_decode.h"
#include "vcpu/exits.h"
#include "vcpu/mmio.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

/*
 * A guest-physical access the EPT does not allow. A load or store in a device's page (vm_mmio_page, or a page a
 * vCPU moved its xAPIC page to) is emulated against the device. Anything else stops the VM, naming the memory: a
 * fetch from a device page, an access to the hypervisor or to nothing, and a device access made while delivering
 * an event (IDT-vectoring information valid: the IDT, a stack or a TSS in a device page), which would have to be
 * re-injected (vcpu/mmio.h).
 */
enum vmexit_action exit_ept_violation(struct vcpu *v)
{
    struct ept_violation e = exit_decode_ept_violation(vmcs_read_natural(EXIT_QUALIFICATION),
                                                       vmcs_read64(GUEST_PHYSICAL_ADDRESS),
                                                       vmcs_read_natural(GUEST_LINEAR_ADDRESS));
    bool device = vm_mmio_page(v->vm, e.gpa) || apic_moved_page(v->vm, e.gpa);
    if (device && !e.fetch && !(vmcs_read32(IDT_VECTORING_INFO) & INTR_INFO_VALID)) {
        /* An IRET that faulted here had unblocked NMIs: blocked again, as before it (SDM Vol. 3C 28.2.3). */
        if (e.nmi_unblocking && (vmcs_read32(PIN_BASED_CONTROLS) & PIN_VIRTUAL_NMIS))
            vmcs_write32(GUEST_INTERRUPTIBILITY, vmcs_read32(GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
        return mmio_emulate(v, e.gpa);
    }
    const char *what = ranges_overlap((struct range){ e.gpa, e.gpa + 1 }, v->vm->hv) ? "hypervisor" : "unmapped";
    return vcpu_stop(v, "ept-violation", "gpa=%llx access=%s%s%s memory=%s", (unsigned long long)e.gpa,
                     e.read ? "r" : "", e.write ? "w" : "", e.fetch ? "x" : "", what);
}

/* Our EPT entries are built to be valid: a misconfiguration is a hypervisor bug. */
enum vmexit_action exit_ept_misconfig(struct vcpu *v)
{
    (void)v;
    panic("EPT misconfiguration at guest-physical %#llx", (unsigned long long)vmcs_read64(GUEST_PHYSICAL_ADDRESS));
}
