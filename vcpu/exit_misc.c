/* SPDX-License-Identifier: BSD-2-Clause */
/* Exits with a short answer: VMX instructions (#UD), XSETBV (checked, then done), EPT violation and misconfig. */
#include "kernel/panic.h"
#include "kernel/x86_regs.h"
#include "kernel/x86.h"
#include "vcpu/exit_decode.h"
#include "vcpu/exits.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

#define XCR0_X87        BIT(0)
#define XCR0_SSE        BIT(1)
#define XCR0_AVX        BIT(2)
#define XCR0_BNDREGS    BIT(3)
#define XCR0_BNDCSR     BIT(4)
#define XCR0_AVX512     (BIT(5) | BIT(6) | BIT(7))
#define XCR0_AMX        (BIT(17) | BIT(18))     /* XTILECFG and XTILEDATA: both or neither */

/* The guest sees no VMX (CPUID.1:ECX[5] = 0), so its VMX instructions are invalid opcodes. */
enum vmexit_action exit_vmx_instruction(struct vcpu *v)
{
    vcpu_inject_exception(v, VECTOR_UD, false, 0);
    return VMEXIT_RESUME;
}

/* The rules XSETBV enforces (SDM Vol. 2C "XSETBV", Vol. 1 13.3): a #GP instead of a VM-entry failure later. */
static bool xcr0_valid(u64 value)
{
    struct cpuid leaf = cpuid(0xD, 0);
    u64 supported = ((u64)leaf.edx << 32) | leaf.eax;
    if (!(value & XCR0_X87) || (value & ~supported))
        return false;
    if ((value & XCR0_AVX) && !(value & XCR0_SSE))
        return false;
    if (!!(value & XCR0_BNDREGS) != !!(value & XCR0_BNDCSR))
        return false;
    if ((value & XCR0_AVX512) && ((value & XCR0_AVX512) != XCR0_AVX512 || !(value & XCR0_AVX)))
        return false;
    if ((value & XCR0_AMX) && (value & XCR0_AMX) != XCR0_AMX)
        return false;
    return true;
}

enum vmexit_action exit_xsetbv(struct vcpu *v)
{
    u64 value = (v->gpr[RDX] << 32) | (u32)v->gpr[RAX];
    if ((u32)v->gpr[RCX] != 0 || !xcr0_valid(value)) {
        vcpu_inject_exception(v, VECTOR_GP, true, 0);
        return VMEXIT_RESUME;
    }
    /* The hypervisor uses no extended state, so the guest's XCR0 can stay loaded (host CR4.OSXSAVE is set). */
    __asm__ volatile("xsetbv" :: "c"(0), "a"((u32)value), "d"((u32)(value >> 32)));
    return VMEXIT_ADVANCE;
}

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
