/* SPDX-License-Identifier: BSD-2-Clause */
/* VMCALL: the hypercall ABI of vcpu/hypervisor_abi.h. Bad numbers and pointers get an error code, nothing more. */
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vcpu/exits.h"
#include "vcpu/hypervisor_abi.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

#define CONSOLE_WRITE_MAX   4096
#define AR_DPL_SHIFT        5

_Static_assert(HV_EXIT_REASONS >= EXIT_REASON_COUNT, "struct hv_exit_stats is too small");

static s64 console_write(struct vcpu *v, u64 gpa, u64 len)
{
    if (len > CONSOLE_WRITE_MAX)
        return HC_EINVAL;
    if (len && !vm_guest_ram(v->vm, gpa, len))
        return HC_EFAULT;
    for (u64 i = 0; i < len; i++)
        guest_console_put(&v->console, ((const u8 *)gpa)[i]);
    return (s64)len;
}

static s64 exit_stats(struct vcpu *v, u64 gpa, u64 size)
{
    struct hv_exit_stats s;
    memset(&s, 0, sizeof s);
    s.total = vcpu_exits_total(v);
    for (u32 i = 0; i < EXIT_REASON_COUNT; i++)
        s.by_reason[i] = v->exits[i];
    size = MIN(size, sizeof s);
    if (size && !vm_guest_ram(v->vm, gpa, size))
        return HC_EFAULT;
    memcpy((void *)gpa, &s, size);
    return (s64)size;
}

static s64 raise_interrupt(struct vcpu *v, u64 vector)
{
    if (vector < 32 || vector > 255)
        return HC_EINVAL;
    vcpu_raise_vector(v, (u8)vector);
    return 0;
}

enum vmexit_action exit_vmcall(struct vcpu *v)
{
    u64 nr = v->gpr[RAX], a0 = v->gpr[RDI], a1 = v->gpr[RSI];
    s64 result;

    /* CPL = SS.DPL (SDM Vol. 3A 5.5): user code of the guest must not reach the hypervisor. */
    if ((vmcs_read32(GUEST_SS_AR) >> AR_DPL_SHIFT & 3) != 0) {
        result = HC_EPERM;
    } else {
        switch (nr) {
        case HC_CONSOLE_WRITE:
            result = console_write(v, a0, a1);
            break;
        case HC_EXIT:
            vm_guest_exit(v->vm, a0);
            return VMEXIT_STOP;
        case HC_EXIT_STATS:
            result = exit_stats(v, a0, a1);
            break;
        case HC_RAISE_INTERRUPT:
            result = raise_interrupt(v, a0);
            break;
        default:
            result = HC_ENOSYS;
        }
    }
    v->gpr[RAX] = (u64)result;
    return VMEXIT_ADVANCE;
}
