/* SPDX-License-Identifier: BSD-2-Clause */
/* Control-register exits: writes that change a CR0/CR4 bit the hypervisor owns (PE, PG, NE, CD, NW, PAE, VMXE). */
#include "kernel/x86.h"
#include "kernel/x86_regs.h"
#include "vcpu/exit_decode.h"
#include "vcpu/exits.h"
#include "vcpu/report.h"
#include "vcpu/vcpu.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_cpu.h"

#define PDPTE_PRESENT BIT(0)
#define AR_L        BIT(13)

static enum vmexit_action gp0(struct vcpu *v)
{
    vcpu_inject_exception(v, VECTOR_GP, true, 0);
    return VMEXIT_RESUME;
}

/*
 * PAE paging without long mode takes its four PDPTEs from the VMCS under EPT (SDM Vol. 3C 29.3.3). The CPU
 * would read them through EPT: in the hypervisor's memory that is an EPT violation, reported as one.
 */
static bool load_pdptes(struct vcpu *v, u64 cr3)
{
    u64 gpa = cr3 & 0xFFFFFFE0;
    if (ranges_overlap((struct range){ gpa, gpa + 32 }, v->vm->hv)) {
        vcpu_stop(v, "ept-violation", "gpa=%llx access=r memory=hypervisor", (unsigned long long)gpa);
        return false;
    }
    if (!vm_guest_ram(v->vm, gpa, 32)) {
        vcpu_stop(v, "pdpte-address", "gpa=%llx", (unsigned long long)gpa);   /* MMIO: not emulated */
        return false;
    }
    const u64 *pdpte = (const u64 *)gpa;   /* identity EPT: guest-physical = host-physical */
    vmcs_write64(GUEST_PDPTE0, pdpte[0]);
    vmcs_write64(GUEST_PDPTE1, pdpte[1]);
    vmcs_write64(GUEST_PDPTE2, pdpte[2]);
    vmcs_write64(GUEST_PDPTE3, pdpte[3]);
    return true;
}

/*
 * After a CR0/CR4 change: paging modes follow EFER.LME and CR4.PAE as the processor would (SDM Vol. 3A 4.1.1).
 * False when the VM stopped (PDPTEs in the hypervisor's memory).
 */
/* PDPTE bits that must be 0 in a present entry (SDM Vol. 3A 4.4.1): 2:1, 8:5, and above MAXPHYADDR. */
static bool pdptes_valid(u64 cr3)
{
    u64 phys_bits = cpuid(0x80000008, 0).eax & 0xFF;
    u64 reserved = 0x1E6ULL | ~((BIT(phys_bits) - 1));
    const u64 *pdpte = (const u64 *)(cr3 & 0xFFFFFFE0);
    for (int i = 0; i < 4; i++)
        if ((pdpte[i] & PDPTE_PRESENT) && (pdpte[i] & reserved))
            return false;
    return true;
}

static bool update_paging_mode(struct vcpu *v)
{
    bool pg = v->cr0_shadow & CR0_PG;
    u64 efer = vmcs_read64(GUEST_IA32_EFER);
    bool lma = pg && (efer & EFER_LME);
    u32 entry = vmcs_read32(VM_ENTRY_CONTROLS);
    u32 want = lma ? entry | ENTRY_CTL_IA32E_MODE_GUEST : entry & ~ENTRY_CTL_IA32E_MODE_GUEST;
    if (want != entry)
        vmcs_write32(VM_ENTRY_CONTROLS, want);
    if (!!(efer & EFER_LMA) != lma)
        vmcs_write64(GUEST_IA32_EFER, lma ? efer | EFER_LMA : efer & ~EFER_LMA);
    if (pg && !lma && (v->cr4_shadow & CR4_PAE))
        return load_pdptes(v, vmcs_read_natural(GUEST_CR3));
    return true;
}

static bool in_64bit_code(void)
{
    return (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) && (vmcs_read32(GUEST_CS_AR) & AR_L);
}

/* PAE paging without long mode: bad PDPTEs make MOV to CR0/CR4 fault (SDM Vol. 2B "MOV to control registers"). */
static bool pae_pdptes_bad(struct vcpu *v, u64 cr0, u64 cr4)
{
    return (cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(vmcs_read64(GUEST_IA32_EFER) & EFER_LME) &&
           vm_guest_ram(v->vm, vmcs_read_natural(GUEST_CR3) & 0xFFFFFFE0, 32) &&
           !pdptes_valid(vmcs_read_natural(GUEST_CR3));
}

static enum vmexit_action write_cr0(struct vcpu *v, u64 value)
{
    bool code64 = in_64bit_code();
    if (!code64)
        value &= 0xFFFFFFFF;    /* outside 64-bit mode the operand is 32 bits */
    /* The #GP cases of MOV to CR0 (SDM Vol. 2B "MOV to/from control registers"). */
    if ((value >> 32) || ((value & CR0_PG) && !(value & CR0_PE)) || ((value & CR0_NW) && !(value & CR0_CD)))
        return gp0(v);
    if ((value & CR0_PG) && !(v->cr0_shadow & CR0_PG) && (vmcs_read64(GUEST_IA32_EFER) & EFER_LME) &&
        !(v->cr4_shadow & CR4_PAE))
        return gp0(v);      /* long mode needs PAE */
    if (code64 && !(value & CR0_PG))
        return gp0(v);      /* paging cannot be turned off from 64-bit code */
    if (pae_pdptes_bad(v, value, v->cr4_shadow))
        return gp0(v);
    v->cr0_shadow = value;
    vmcs_write_natural(CR0_READ_SHADOW, value);
    vmcs_write_natural(GUEST_CR0, vmx_cr_fix(value, vmx_cr0_fixed_for_guest(vmx_caps.cr0, true)));
    return update_paging_mode(v) ? VMEXIT_ADVANCE : VMEXIT_STOP;
}

static enum vmexit_action write_cr4(struct vcpu *v, u64 value)
{
    /* VMXE: the guest has no VMX. Other bits the CPU does not allow are reserved: #GP. */
    if ((value & CR4_VMXE) || (value & ~(vmx_caps.cr4.fixed1 & ~CR4_VMXE)))
        return gp0(v);
    if (!in_64bit_code())
        value &= 0xFFFFFFFF;
    if (!(value & CR4_PAE) && (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA))
        return gp0(v);      /* leaving PAE in long mode */
    if ((value & CR4_PCIDE) && !(v->cr4_shadow & CR4_PCIDE) &&
        (!(vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) || (vmcs_read_natural(GUEST_CR3) & 0xFFF)))
        return gp0(v);      /* PCIDE needs long mode and CR3[11:0] = 0 */
    if (pae_pdptes_bad(v, v->cr0_shadow, value))
        return gp0(v);
    v->cr4_shadow = value;
    vmcs_write_natural(CR4_READ_SHADOW, value);
    vmcs_write_natural(GUEST_CR4, vmx_cr_fix(value, vmx_caps.cr4));
    return update_paging_mode(v) ? VMEXIT_ADVANCE : VMEXIT_STOP;
}

enum vmexit_action exit_cr_access(struct vcpu *v)
{
    struct cr_exit e = exit_decode_cr(vmcs_read_natural(EXIT_QUALIFICATION));

    switch (e.access) {
    case CR_MOV_TO: {
        u64 value = vcpu_gpr(v, e.gpr);
        if (e.cr == 0)
            return write_cr0(v, value);
        if (e.cr == 4)
            return write_cr4(v, value);
        if (e.cr == 3) {    /* only where CR3-load exiting cannot be turned off */
            vmcs_write_natural(GUEST_CR3, value);
            return update_paging_mode(v) ? VMEXIT_ADVANCE : VMEXIT_STOP;
        }
        if (e.cr == 8) {    /* the guest owns its local APIC: its TPR is the hardware's */
            if (value >> 4)
                return gp0(v);      /* bits 63:4 are reserved */
            __asm__ volatile("mov %0, %%cr8" :: "r"(value));
            return VMEXIT_ADVANCE;
        }
        break;
    }
    case CR_MOV_FROM:
        if (e.cr == 3) {
            vcpu_set_gpr(v, e.gpr, vmcs_read_natural(GUEST_CR3), 8);
            return VMEXIT_ADVANCE;
        }
        if (e.cr == 8) {
            u64 tpr;
            __asm__ volatile("mov %%cr8, %0" : "=r"(tpr));
            vcpu_set_gpr(v, e.gpr, tpr, 8);
            return VMEXIT_ADVANCE;
        }
        break;
    case CR_LMSW:
        /* LMSW writes CR0 bits 3:0 but can set PE, never clear it (SDM Vol. 2A "LMSW"). */
        return write_cr0(v, (v->cr0_shadow & ~0xFULL) | (e.lmsw_data & 0xF) | (v->cr0_shadow & CR0_PE));
    case CR_CLTS:
        break;      /* TS is not owned: CLTS never exits */
    }
    return vcpu_stop(v, "unexpected-cr-access", "cr=%u access=%u", e.cr, e.access);
}
