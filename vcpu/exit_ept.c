/* SPDX-License-Identifier: BSD-2-Clause */
/* EPT violations and misconfigurations: guest-physical accesses the EPT does not allow. */
#include "kernel/panic.h"
#include "vcpu/exit_decode.h"
#include "vcpu/exits.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

/* Guest-physical access EPT does not allow (no device is memory-mapped): the VM stops, naming the memory. */
enum vmexit_action exit_ept_violation(struct vcpu *v)
{
    struct ept_violation e = exit_decode_ept_violation(vmcs_read_natural(EXIT_QUALIFICATION),
                                                       vmcs_read64(GUEST_PHYSICAL_ADDRESS),
                                                       vmcs_read_natural(GUEST_LINEAR_ADDRESS));
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
