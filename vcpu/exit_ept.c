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
 * Guest-physical access the EPT does not allow. In a device's page, a data access by an instruction is
 * emulated (vcpu/mmio.c); anything else stops the VM, naming the memory: code fetched from a device page, an
 * event delivery that touched one (IDT-vectoring information valid: the access was not an instruction's), the
 * hypervisor's memory, or nothing at all.
 */
enum vmexit_action exit_ept_violation(struct vcpu *v)
{
    struct ept_violation e = exit_decode_ept_violation(vmcs_read_natural(EXIT_QUALIFICATION),
                                                       vmcs_read64(GUEST_PHYSICAL_ADDRESS),
                                                       vmcs_read_natural(GUEST_LINEAR_ADDRESS));
    if (vm_mmio_page(v->vm, e.gpa)) {
        if (!e.fetch && !(vmcs_read32(IDT_VECTORING_INFO) & INTR_INFO_VALID))
            return mmio_emulate(v, e.gpa);
        return vcpu_stop(v, "ept-violation", "gpa=%llx access=%s%s%s memory=device%s", (unsigned long long)e.gpa,
                         e.read ? "r" : "", e.write ? "w" : "", e.fetch ? "x" : "",
                         e.fetch ? "" : " during=event-delivery");
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
