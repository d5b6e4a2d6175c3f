/* SPDX-License-Identifier: BSD-2-Clause */
/* VMCALL: the hypercall ABI of vcpu/hypervisor_abi.h. Bad numbers and pointers get an error code, nothing more. */
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vcpu/exits.h"
#include "vcpu/guest_mode.h"
#include "vcpu/hypervisor_abi.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

#define CONSOLE_WRITE_MAX   4096

_Static_assert(HV_EXIT_REASONS >= EXIT_REASON_COUNT, "struct hv_exit_stats is too small");

/* Length 0 is a no-op whatever the pointer (hypervisor_abi.h); any other refused range gets HC_EFAULT. */
static s64 console_write(struct vcpu *v, u64 gpa, u64 len)
{
    if (len > CONSOLE_WRITE_MAX)
        return HC_EINVAL;
    if (len == 0)
        return 0;
    const u8 *text = guest_ptr(v->vm, gpa, len, NULL);
    if (!text)
        return HC_EFAULT;
    for (u64 i = 0; i < len; i++)
        guest_console_put(&v->console, text[i]);
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
    if (size == 0)
        return 0;
    void *out = guest_ptr(v->vm, gpa, size, NULL);
    if (!out)
        return HC_EFAULT;
    memcpy(out, &s, size);
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

    /* Only the guest's kernel (CPL 0) reaches the hypervisor, never its user code. */
    if (guest_cpl() != 0) {
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
