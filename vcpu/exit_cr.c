/* SPDX-License-Identifier: BSD-2-Clause */
/* Control-register exits: writes that change a CR0/CR4 bit the hypervisor owns (PE, PG, NE, CD, NW, PAE, VMXE), CR8. */
#include "kernel/cpuid.h"
#include "kernel/x86.h"
#include "kernel/x86_regs.h"
#include "vcpu/exit_decode.h"
#include "vcpu/exits.h"
#include "vcpu/guest_mode.h"
#include "vcpu/report.h"
#include "vcpu/vcpu.h"
#include "vm/apic.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_cpu.h"

#define PDPTE_PRESENT BIT(0)

static enum vmexit_action gp0(struct vcpu *v)
{
    vcpu_inject_exception(v, VECTOR_GP, true, 0);
    return VMEXIT_RESUME;
}

/*
 * PAE paging without long mode: the CPU holds four PDPTEs, read from the 32-byte PDPT at CR3[31:5] (SDM Vol. 3A
 * 4.4.1). A MOV to CR0 or CR4 after which PAE paging is in use reads them when it changes CR0.CD, NW or PG or
 * CR4.PAE, PGE, PSE or SMEP; a MOV to CR3 in PAE paging always does. The writes that exit to us are emulated
 * here; under EPT, VM entry then takes all four from the VMCS (SDM Vol. 3C 26.3.2.4, 29.3.3).
 */
#define PDPTE_COUNT         4
#define PDPT_ADDRESS(cr3)   ((cr3) & 0xFFFFFFE0)
#define CR0_PDPTE_LOAD      (CR0_CD | CR0_NW | CR0_PG)
#define CR4_PDPTE_LOAD      (CR4_PAE | CR4_PGE | CR4_PSE | CR4_SMEP)

static bool pae_paging(u64 cr0, u64 cr4, u64 efer)
{
    return (cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LME);
}

/* PDPTE bits that must be 0 in a present entry (SDM Vol. 3A 4.4.1): 2:1, 8:5, and above MAXPHYADDR. */
static bool pdptes_valid(const u64 pdpte[PDPTE_COUNT])
{
    u64 phys_bits = cpu_phys_addr_bits();
    u64 reserved = 0x1E6ULL | ~((BIT(phys_bits) - 1));
    for (int i = 0; i < PDPTE_COUNT; i++)
        if ((pdpte[i] & PDPTE_PRESENT) && (pdpte[i] & reserved))
            return false;
    return true;
}

/*
 * Reads the PDPTEs a CR write loads, before the write takes effect: VMEXIT_ADVANCE with them in out[], else
 * what the CPU would do. Bad entries make the MOV #GP (SDM Vol. 2B "MOV to/from control registers"). A PDPT in
 * the hypervisor's memory is what the CPU's read through EPT would be, an EPT violation, reported as one; one
 * in MMIO is not emulated.
 */
static enum vmexit_action read_pdptes(struct vcpu *v, u64 cr3, u64 out[PDPTE_COUNT])
{
    u64 gpa = PDPT_ADDRESS(cr3);
    enum gpa_refusal why;
    const u64 *pdpt = guest_ptr(v->vm, gpa, PDPTE_COUNT * sizeof *pdpt, &why);
    if (why == GPA_HYPERVISOR)
        return vcpu_stop(v, "ept-violation", "gpa=%llx access=r memory=hypervisor", (unsigned long long)gpa);
    if (!pdpt)
        return vcpu_stop(v, "pdpte-address", "gpa=%llx memory=%s", (unsigned long long)gpa, gpa_refusal_name(why));
    for (int i = 0; i < PDPTE_COUNT; i++)
        out[i] = __atomic_load_n(&pdpt[i], __ATOMIC_RELAXED);     /* each once: other vCPUs may write them */
    return pdptes_valid(out) ? VMEXIT_ADVANCE : gp0(v);
}

static void write_pdptes(const u64 pdpte[PDPTE_COUNT])
{
    vmcs_write64(GUEST_PDPTE0, pdpte[0]);
    vmcs_write64(GUEST_PDPTE1, pdpte[1]);
    vmcs_write64(GUEST_PDPTE2, pdpte[2]);
    vmcs_write64(GUEST_PDPTE3, pdpte[3]);
}

/* After a CR0/CR4 change: IA-32e mode follows EFER.LME and CR0.PG as the processor's does (SDM Vol. 3A 4.1.1). */
static void update_long_mode(struct vcpu *v)
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
}

/*
 * Whether a CR0/CR4 write to (new_cr0, new_cr4) loads the PDPTEs; if so reads them into out[]. VMEXIT_ADVANCE to
 * go on with the write, else the action to return (#GP, VM stopped). The CR0 bits that matter are all ours, so
 * the read shadow holds the guest's view; of CR4 only PAE is, and PGE, PSE, SMEP change without an exit: their
 * current values are in GUEST_CR4.
 */
static enum vmexit_action pdptes_for(struct vcpu *v, u64 new_cr0, u64 new_cr4, bool *load, u64 out[PDPTE_COUNT])
{
    *load = pae_paging(new_cr0, new_cr4, vmcs_read64(GUEST_IA32_EFER)) &&
            (((v->cr0_shadow ^ new_cr0) & CR0_PDPTE_LOAD) ||
             ((vmcs_read_natural(GUEST_CR4) ^ new_cr4) & CR4_PDPTE_LOAD));
    return *load ? read_pdptes(v, vmcs_read_natural(GUEST_CR3), out) : VMEXIT_ADVANCE;
}

static enum vmexit_action write_cr0(struct vcpu *v, u64 value)
{
    bool code64 = guest_in_64bit_code();
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
    u64 pdpte[PDPTE_COUNT];
    bool load;
    enum vmexit_action a = pdptes_for(v, value, v->cr4_shadow, &load, pdpte);
    if (a != VMEXIT_ADVANCE)
        return a;
    v->cr0_shadow = value;
    vmcs_write_natural(CR0_READ_SHADOW, value);
    vmcs_write_natural(GUEST_CR0, vmx_cr_fix(value, vmx_cr0_fixed_for_guest(vmx_caps.cr0, true)));
    update_long_mode(v);
    if (load)
        write_pdptes(pdpte);
    return VMEXIT_ADVANCE;
}

static enum vmexit_action write_cr4(struct vcpu *v, u64 value)
{
    /* VMXE: the guest has no VMX. Other bits the CPU does not allow are reserved: #GP. */
    if ((value & CR4_VMXE) || (value & ~(vmx_caps.cr4.fixed1 & ~CR4_VMXE)))
        return gp0(v);
    if (!guest_in_64bit_code())
        value &= 0xFFFFFFFF;
    if (!(value & CR4_PAE) && (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA))
        return gp0(v);      /* leaving PAE in long mode */
    if ((value & CR4_PCIDE) && !(v->cr4_shadow & CR4_PCIDE) &&
        (!(vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) || (vmcs_read_natural(GUEST_CR3) & 0xFFF)))
        return gp0(v);      /* PCIDE needs long mode and CR3[11:0] = 0 */
    u64 pdpte[PDPTE_COUNT];
    bool load;
    enum vmexit_action a = pdptes_for(v, v->cr0_shadow, value, &load, pdpte);
    if (a != VMEXIT_ADVANCE)
        return a;
    v->cr4_shadow = value;
    vmcs_write_natural(CR4_READ_SHADOW, value);
    vmcs_write_natural(GUEST_CR4, vmx_cr_fix(value, vmx_caps.cr4));
    update_long_mode(v);
    if (load)
        write_pdptes(pdpte);
    return VMEXIT_ADVANCE;
}

/* In PAE paging a MOV to CR3 loads the PDPTEs from the new CR3 (SDM Vol. 3A 4.4.1). */
static enum vmexit_action write_cr3(struct vcpu *v, u64 value)
{
    u64 pdpte[PDPTE_COUNT];
    bool load = pae_paging(v->cr0_shadow, v->cr4_shadow, vmcs_read64(GUEST_IA32_EFER));
    if (load) {
        enum vmexit_action a = read_pdptes(v, value, pdpte);
        if (a != VMEXIT_ADVANCE)
            return a;
    }
    vmcs_write_natural(GUEST_CR3, value);
    if (load)
        write_pdptes(pdpte);
    return VMEXIT_ADVANCE;
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
        if (e.cr == 3)      /* only where CR3-load exiting cannot be turned off */
            return write_cr3(v, value);
        if (e.cr == 8) {    /* TPR[7:4] of the guest's own local APIC (vm/apic.c), never the hardware's */
            if (value >> 4)
                return gp0(v);      /* bits 63:4 are reserved */
            apic_cr8_write(v, (u8)value);
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
            vcpu_set_gpr(v, e.gpr, apic_cr8_read(v), 8);
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
