/* SPDX-License-Identifier: BSD-2-Clause */
/* Checked VMX instructions: width-typed VMREAD/VMWRITE accessors and VMXON/VMCLEAR/VMPTRLD/VMXOFF/INVEPT/INVVPID. */
#ifndef VCPU_VMX_VMCS_H
#define VCPU_VMX_VMCS_H

#if __STDC_HOSTED__
#error "vcpu/vmcs.h runs VMX instructions: kernel only"
#endif

#include "kernel/types.h"
#include "kernel/x86_regs.h"
#include "vcpu/vmx/single_step.h"
#include "vcpu/vmx/vmx_defs.h"

/* How a VMX instruction ended (31.2): CF=1 is VMfailInvalid (no current VMCS), ZF=1 is VMfailValid. */
enum vmx_status { VMX_OK = 0, VMX_FAIL_INVALID = 1, VMX_FAIL_VALID = 2 };

#define VMX_MUST_CHECK __attribute__((warn_unused_result))
#define VMX_INLINE     static inline __attribute__((always_inline))

/*
 * The one report for a VMX instruction that failed where failure is our bug: names the instruction, its
 * operand (the VMCS field, or the physical address for VMCLEAR/VMPTRLD), the VM-instruction error by name
 * when there is a current VMCS, dumps the VMCS, and stops. Implemented by the kernel.
 */
NORETURN void vmx_instruction_failed(const char *insn, u64 operand);

/* Called only when a constant field is used with the wrong accessor: the build fails (Linux vmx_ops.h idea). */
void vmcs_field_width_mismatch(void)
    __attribute__((error("VMCS field accessed with an accessor of the wrong width (encoding bits 14:13)")));

#define VMCS_CHECK_WIDTH(field, width)                                                  \
    do {                                                                                \
        if (__builtin_constant_p(field) && VMCS_FIELD_WIDTH(field) != (width))          \
            vmcs_field_width_mismatch();                                                \
    } while (0)

VMX_INLINE enum vmx_status vmx_status_of(bool cf, bool zf)
{
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

/* ---- VMREAD / VMWRITE of any width, returning the status: for dumps and for fields a CPU may lack ---- */

VMX_INLINE VMX_MUST_CHECK enum vmx_status vmcs_try_read(u32 field, u64 *value)
{
    bool cf, zf;
    u64 v;

    __asm__ volatile("vmread %[field], %[value]"
                     : [value] "=r"(v), "=@ccc"(cf), "=@ccz"(zf)
                     : [field] "r"((u64)field));
    *value = v;
    return vmx_status_of(cf, zf);
}

VMX_INLINE VMX_MUST_CHECK enum vmx_status vmcs_try_write(u32 field, u64 value)
{
    bool cf, zf;

    __asm__ volatile("vmwrite %[value], %[field]"
                     : "=@ccc"(cf), "=@ccz"(zf)
                     : [value] "rm"(value), [field] "r"((u64)field)
                     : "memory");
    return vmx_status_of(cf, zf);
}

/* ---- Width-typed accessors: a failure is our bug and goes to vmx_instruction_failed() ---- */

/* One branch on CF|ZF straight to the failure report: these run several times per VM exit. */
VMX_INLINE u64 vmcs_read_any(u32 field)
{
    u64 v;

    __asm__ goto("vmread %[field], %[value]\n\t"
                 "jbe %l[failed]"
                 : [value] "=r"(v)
                 : [field] "r"((u64)field)
                 : "cc"
                 : failed);
    return v;
failed:
    vmx_instruction_failed("vmread", field);
}

VMX_INLINE void vmcs_write_any(u32 field, u64 value)
{
    __asm__ goto("vmwrite %[value], %[field]\n\t"
                 "jbe %l[failed]"
                 :
                 : [value] "rm"(value), [field] "r"((u64)field)
                 : "cc", "memory"
                 : failed);
    return;
failed:
    vmx_instruction_failed("vmwrite", field);
}

VMX_INLINE u16 vmcs_read16(u32 field)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_16);
    return (u16)vmcs_read_any(field);
}

VMX_INLINE u32 vmcs_read32(u32 field)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_32);
    return (u32)vmcs_read_any(field);
}

VMX_INLINE u64 vmcs_read64(u32 field)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_64);
    return vmcs_read_any(field);
}

VMX_INLINE u64 vmcs_read_natural(u32 field)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_NATURAL);
    return vmcs_read_any(field);
}

VMX_INLINE void vmcs_write16(u32 field, u16 value)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_16);
    vmcs_write_any(field, value);
}

VMX_INLINE void vmcs_write32(u32 field, u32 value)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_32);
    vmcs_write_any(field, value);
}

VMX_INLINE void vmcs_write64(u32 field, u64 value)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_64);
    vmcs_write_any(field, value);
}

VMX_INLINE void vmcs_write_natural(u32 field, u64 value)
{
    VMCS_CHECK_WIDTH(field, VMCS_WIDTH_NATURAL);
    vmcs_write_any(field, value);
}

/*
 * Moves the guest's RIP past an instruction the hypervisor emulated (`len` bytes), as the CPU
 * would have: with RFLAGS.TF, the instruction owes the guest a single-step #DB (vmcs_single_step_owed). One
 * VMREAD on every emulated exit; the CPUID path in assembly (vcpu/vmx/vmx_entry.S) checks the same bit.
 */
VMX_INLINE void vmcs_advance_guest_rip(u64 len)
{
    vmcs_write_natural(GUEST_RIP, vmcs_read_natural(GUEST_RIP) + len);
    if (__builtin_expect(vmcs_read_natural(GUEST_RFLAGS) & RFLAGS_TF, 0))
        vmcs_single_step_owed();
}

/* The same for an instruction exit, whose length the CPU reports (not valid for EPT violations, SDM 28.2.5). */
VMX_INLINE void vmcs_skip_guest_instruction(void)
{
    vmcs_advance_guest_rip(vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

/* ---- VMCS and VMX-operation instructions (31.3): each returns its status; callers decide ---- */

/* Enters VMX operation with the VMXON region at `pa` (4 KiB aligned, revision identifier written). */
VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_vmxon(u64 pa)
{
    bool cf, zf;

    __asm__ volatile("vmxon %[pa]" : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
    return vmx_status_of(cf, zf);
}

VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_vmxoff(void)
{
    bool cf, zf;

    __asm__ volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory");
    return vmx_status_of(cf, zf);
}

/* Makes the VMCS at `pa` inactive and clear, writing cached state back to memory. */
VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_vmclear(u64 pa)
{
    bool cf, zf;

    __asm__ volatile("vmclear %[pa]" : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
    return vmx_status_of(cf, zf);
}

/* Makes the VMCS at `pa` the current VMCS of this CPU. */
VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_vmptrld(u64 pa)
{
    bool cf, zf;

    __asm__ volatile("vmptrld %[pa]" : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
    return vmx_status_of(cf, zf);
}

/* INVEPT: drops cached guest-physical translations; the descriptor is {EPTP, 0}. */
VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_invept(enum invept_type type, u64 eptp)
{
    struct { u64 eptp, reserved; } desc = { eptp, 0 };
    bool cf, zf;

    __asm__ volatile("invept %[desc], %[type]"
                     : "=@ccc"(cf), "=@ccz"(zf)
                     : [desc] "m"(desc), [type] "r"((u64)type)
                     : "memory");
    return vmx_status_of(cf, zf);
}

VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_invept_single(u64 eptp)
{
    return vmx_invept(INVEPT_SINGLE_CONTEXT, eptp);
}

VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_invept_all(void)
{
    return vmx_invept(INVEPT_ALL_CONTEXT, 0);
}

/* INVVPID: drops cached linear translations tagged with `vpid`; the descriptor is {VPID in 15:0, address}. */
VMX_INLINE VMX_MUST_CHECK enum vmx_status vmx_invvpid(enum invvpid_type type, u16 vpid, u64 linear)
{
    struct { u64 vpid, linear; } desc = { vpid, linear };
    bool cf, zf;

    __asm__ volatile("invvpid %[desc], %[type]"
                     : "=@ccc"(cf), "=@ccz"(zf)
                     : [desc] "m"(desc), [type] "r"((u64)type)
                     : "memory");
    return vmx_status_of(cf, zf);
}

#endif
