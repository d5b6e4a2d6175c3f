/* SPDX-License-Identifier: BSD-2-Clause */
/* XSETBV: checked against the rules the CPU enforces, then done on the hardware (the guest's XCR0 stays loaded). */
#include "kernel/cpuid.h"
#include "kernel/x86_regs.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"

#define XCR0_X87        BIT(0)
#define XCR0_SSE        BIT(1)
#define XCR0_AVX        BIT(2)
#define XCR0_BNDREGS    BIT(3)
#define XCR0_BNDCSR     BIT(4)
#define XCR0_AVX512     (BIT(5) | BIT(6) | BIT(7))
#define XCR0_AMX        (BIT(17) | BIT(18))     /* XTILECFG and XTILEDATA: both or neither */

/* The rules XSETBV enforces (SDM Vol. 2C "XSETBV", Vol. 1 13.3): a #GP instead of a VM-entry failure later. */
static bool xcr0_valid(u64 value)
{
    struct cpuid leaf = cpuid(CPUID_LEAF_XSAVE, 0);
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
