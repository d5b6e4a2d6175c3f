/* SPDX-License-Identifier: BSD-2-Clause */
/* VMCS setup (SDM Vol. 3C 25.6-25.8, 27.2-27.3): each control word in one line from its capability MSR. */
#include "kernel/cpuid.h"
#include "vcpu/vmx/vmcs_setup.h"
#include "kernel/x86_regs.h"
#include "kernel/x86_segment.h"
#include "kernel/gdt.h"
#include "kernel/memory.h"
#include "kernel/msr.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "vcpu/vmx/preemption_timer.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_cpu.h"
#include "vcpu/vmx/vmx_names.h"

#define PAT_RESET_VALUE     0x0007040600070406ULL
#define DR7_RESET_VALUE     0x400

/* Segment access rights (SDM Vol. 3C 25.4.1): type, S, DPL, P, AVL, L, D/B, G; bit 16 = unusable. */
#define AR_CODE16       (AR_P | AR_S | AR_TYPE_CODE | AR_TYPE_RW | AR_TYPE_ACCESSED)     /* execute/read */
#define AR_DATA16       (AR_P | AR_S | AR_TYPE_RW | AR_TYPE_ACCESSED)                    /* read/write */
#define AR_CODE32       (AR_CODE16 | AR_DB | AR_G)
#define AR_DATA32       (AR_DATA16 | AR_DB | AR_G)
#define AR_CODE64       (AR_CODE16 | AR_L | AR_G)
#define AR_TSS          (AR_P | AR_TYPE_TSS_BUSY)   /* what TR must hold for VM entry */
#define AR_LDT_PRESENT  (AR_P | AR_TYPE_LDT)

/* CR0 and CR4 bits the hypervisor owns: a guest write that changes them exits (vcpu/exit_cr.c). */
#define CR0_OWNED       (CR0_PE | CR0_PG | CR0_NE | BIT(29) | BIT(30))   /* + NW, CD: fixed-bit rules */
#define CR4_OWNED       (CR4_VMXE | CR4_PAE)

extern const char vmx_exit_stub[];

/* (required | optional) & allowed: the NOVA rule. A required bit the CPU lacks is named, then fatal. */
static bool control(enum vmx_ctl_word w, u32 field, u32 required, u32 optional, u32 *out)
{
    u32 value, missing;
    if (!vmx_ctl_compute(vmx_caps.ctl[w], required, optional, &value, &missing)) {
        char names[160];
        vmx_ctl_describe(w, missing, names, sizeof names);
        pr_err("vmx: %s controls lack %s", vmx_ctl_word_name(w), names);
        return false;
    }
    vmcs_write32(field, value);
    if (out)
        *out = value;
    return true;
}

/*
 * CR8 is the guest's own local APIC's TPR (vm/apic.c): without a TPR shadow, MOV to/from CR8 would reach the
 * physical APIC's, so both exit (SDM Vol. 3C 25.6.2).
 *
 * Every VM exit sets DR7 to 0x400 and clears IA32_DEBUGCTL (SDM Vol. 3C 28.5.1); the guest's own are kept only
 * by "save debug controls" on exit and "load debug controls" on entry (25.7.1, 25.8.1). Without them its
 * breakpoints die at the first exit. (The TRUE capability MSRs let both be 0, so they must be asked for.)
 */
static bool write_controls(struct vcpu *v)
{
    u32 proc2_optional = (vmx_caps.vpid ? PROC2_ENABLE_VPID : 0) | PROC2_ENABLE_RDTSCP | PROC2_ENABLE_INVPCID;
    /* Virtual NMIs let the guest's IRET end its NMI blocking and give NMI-window exiting (SDM 26.6.1). */
    u32 pin_optional = PIN_VIRTUAL_NMIS | (vmx_caps.preemption_timer ? PIN_PREEMPTION_TIMER : 0);
    bool ok = control(VMX_CTL_PIN, PIN_BASED_CONTROLS, PIN_EXTINT_EXITING | PIN_NMI_EXITING, pin_optional, NULL) &&
              control(VMX_CTL_PROC, PRIMARY_PROC_CONTROLS, PROC_HLT_EXITING | PROC_USE_IO_BITMAPS |
                      PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY | PROC_CR8_LOAD_EXITING |
                      PROC_CR8_STORE_EXITING | PROC_MWAIT_EXITING | PROC_MONITOR_EXITING, 0, &v->proc_controls) &&
              control(VMX_CTL_PROC2, SECONDARY_PROC_CONTROLS, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST,
                      proc2_optional, NULL) &&
              control(VMX_CTL_EXIT, VM_EXIT_CONTROLS, EXIT_CTL_HOST_ADDR_SPACE_SIZE | EXIT_CTL_ACK_INTR_ON_EXIT |
                      EXIT_CTL_SAVE_DEBUG_CONTROLS | EXIT_CTL_SAVE_IA32_EFER | EXIT_CTL_LOAD_IA32_EFER |
                      EXIT_CTL_SAVE_IA32_PAT | EXIT_CTL_LOAD_IA32_PAT, 0, NULL) &&
              control(VMX_CTL_ENTRY, VM_ENTRY_CONTROLS, ENTRY_CTL_LOAD_DEBUG_CONTROLS | ENTRY_CTL_LOAD_IA32_EFER |
                      ENTRY_CTL_LOAD_IA32_PAT, 0, NULL);
    if (!ok)
        return false;
    if (vmx_caps.preemption_timer)
        preemption_timer_load_watch();      /* always on: device deadlines, the halt watch, the stop watch */
    struct vm *vm = v->vm;
    vmcs_write32(EXCEPTION_BITMAP, 0);
    vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
    vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
    vmcs_write32(CR3_TARGET_COUNT, 0);
    vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
    vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
    vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
    vmcs_write32(VM_ENTRY_INTR_INFO, 0);
    vmcs_write64(IO_BITMAP_A, vm->io_bitmap[0]);
    vmcs_write64(IO_BITMAP_B, vm->io_bitmap[1]);
    vmcs_write64(MSR_BITMAP, vm->msr_bitmap);
    vmcs_write64(EPT_POINTER, vm->eptp);
    if (vmx_caps.vpid)
        vmcs_write16(VIRTUAL_PROCESSOR_ID, v->vpid);
    vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
    vmcs_write_natural(CR0_GUEST_HOST_MASK, CR0_OWNED);
    vmcs_write_natural(CR4_GUEST_HOST_MASK, CR4_OWNED);
    return true;
}

static void write_host_state(void)
{
    struct percpu *p = this_cpu();
    struct PACKED { u16 limit; u64 base; } gdtr, idtr;

    __asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
    vmcs_write_natural(HOST_CR0, read_cr0());
    vmcs_write_natural(HOST_CR3, read_cr3());
    vmcs_write_natural(HOST_CR4, read_cr4());
    vmcs_write16(HOST_CS_SELECTOR, GDT_CODE);
    vmcs_write16(HOST_SS_SELECTOR, GDT_DATA);
    vmcs_write16(HOST_DS_SELECTOR, GDT_DATA);
    vmcs_write16(HOST_ES_SELECTOR, GDT_DATA);
    vmcs_write16(HOST_FS_SELECTOR, 0);
    vmcs_write16(HOST_GS_SELECTOR, 0);
    vmcs_write16(HOST_TR_SELECTOR, GDT_TSS);
    vmcs_write_natural(HOST_FS_BASE, 0);
    vmcs_write_natural(HOST_GS_BASE, (u64)p);       /* this_cpu() works right after an exit */
    vmcs_write_natural(HOST_TR_BASE, (u64)&p->tables->tss);
    vmcs_write_natural(HOST_GDTR_BASE, gdtr.base);
    vmcs_write_natural(HOST_IDTR_BASE, idtr.base);
    vmcs_write32(HOST_IA32_SYSENTER_CS, 0);
    vmcs_write_natural(HOST_IA32_SYSENTER_ESP, 0);
    vmcs_write_natural(HOST_IA32_SYSENTER_EIP, 0);
    vmcs_write64(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
    vmcs_write64(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
    vmcs_write_natural(HOST_RIP, (u64)vmx_exit_stub);
    vmcs_write_natural(HOST_RSP, 0);                /* vmx_enter writes the real one */
}

bool vmcs_setup(struct vcpu *v)
{
    v->vmcs = page_alloc(1);
    if (!v->vmcs) {
        pr_err("vmx: out of memory for a VMCS");
        return false;
    }
    *(u32 *)v->vmcs = vmx_basic_revision(vmx_caps.basic);
    if (vmx_vmclear(v->vmcs) != VMX_OK)
        vmx_instruction_failed("VMCLEAR", v->vmcs);
    if (vmx_vmptrld(v->vmcs) != VMX_OK)
        vmx_instruction_failed("VMPTRLD", v->vmcs);
    if (!write_controls(v))
        return false;
    write_host_state();
    return true;
}

static void segment(u32 sel_field, u16 sel, u64 base, u32 limit, u32 ar)
{
    /* The four fields of a segment sit at fixed distances from its selector encoding (Appendix B). */
    u32 index = (sel_field - GUEST_ES_SELECTOR) / 2;
    vmcs_write_any(sel_field, sel);
    vmcs_write_any(GUEST_ES_BASE + 2 * index, base);
    vmcs_write_any(GUEST_ES_LIMIT + 2 * index, limit);
    vmcs_write_any(GUEST_ES_AR + 2 * index, ar);
}

static void data_segments(u16 sel, u64 base, u32 limit, u32 ar)
{
    static const u32 fields[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR, GUEST_FS_SELECTOR,
                                  GUEST_GS_SELECTOR };
    for (unsigned i = 0; i < ARRAY_SIZE(fields); i++)
        segment(fields[i], sel, base, limit, ar);
}

/* CR0/CR4/EFER for the guest: what it sees (shadows) and what the hardware holds (fixed bits forced). */
static void control_registers(struct vcpu *v, u64 cr0, u64 cr4, u64 efer)
{
    struct vmx_cr_fixed cr0_fixed = vmx_cr0_fixed_for_guest(vmx_caps.cr0, true);
    v->cr0_shadow = cr0;
    v->cr4_shadow = cr4;
    vmcs_write_natural(CR0_READ_SHADOW, cr0);
    vmcs_write_natural(CR4_READ_SHADOW, cr4);
    vmcs_write_natural(GUEST_CR0, vmx_cr_fix(cr0, cr0_fixed));
    vmcs_write_natural(GUEST_CR4, vmx_cr_fix(cr4, vmx_caps.cr4));
    vmcs_write64(GUEST_IA32_EFER, efer);
    u32 entry = vmcs_read32(VM_ENTRY_CONTROLS);
    entry = efer & EFER_LMA ? entry | ENTRY_CTL_IA32E_MODE_GUEST : entry & ~ENTRY_CTL_IA32E_MODE_GUEST;
    vmcs_write32(VM_ENTRY_CONTROLS, entry);
}

static void common_state(void)
{
    segment(GUEST_TR_SELECTOR, 0, 0, 0xFFFF, AR_TSS);
    segment(GUEST_LDTR_SELECTOR, 0, 0, 0xFFFF, AR_LDT_PRESENT);
    vmcs_write_natural(GUEST_GDTR_BASE, 0);
    vmcs_write32(GUEST_GDTR_LIMIT, 0xFFFF);
    vmcs_write_natural(GUEST_DR7, DR7_RESET_VALUE);
    vmcs_write_natural(GUEST_RFLAGS, RFLAGS_RESERVED1);
    vmcs_write_natural(GUEST_PENDING_DBG_EXCEPTIONS, 0);
    vmcs_write32(GUEST_INTERRUPTIBILITY, 0);
    vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
    vmcs_write32(GUEST_IA32_SYSENTER_CS, 0);
    vmcs_write_natural(GUEST_IA32_SYSENTER_ESP, 0);
    vmcs_write_natural(GUEST_IA32_SYSENTER_EIP, 0);
    vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
    vmcs_write64(GUEST_IA32_PAT, PAT_RESET_VALUE);
    vmcs_write_natural(GUEST_CR3, 0);
}

void vmcs_set_guest_start(struct vcpu *v, const struct guest_start *s)
{
    common_state();
    switch (s->mode) {
    case GUEST_REAL:
        segment(GUEST_CS_SELECTOR, s->cs, (u64)s->cs << 4, 0xFFFF, AR_CODE16);
        data_segments(0, 0, 0xFFFF, AR_DATA16);
        vmcs_write_natural(GUEST_IDTR_BASE, 0);
        vmcs_write32(GUEST_IDTR_LIMIT, 0x3FF);
        control_registers(v, CR0_ET, 0, 0);
        break;
    case GUEST_PROTECTED32:
        segment(GUEST_CS_SELECTOR, s->code_sel ? s->code_sel : GDT_CODE, 0, 0xFFFFFFFF, AR_CODE32);
        data_segments(s->data_sel ? s->data_sel : GDT_DATA, 0, 0xFFFFFFFF, AR_DATA32);
        vmcs_write_natural(GUEST_IDTR_BASE, 0);
        vmcs_write32(GUEST_IDTR_LIMIT, 0);
        control_registers(v, CR0_PE | CR0_ET, 0, 0);
        break;
    case GUEST_LONG64:
        segment(GUEST_CS_SELECTOR, GDT_CODE, 0, 0xFFFFFFFF, AR_CODE64);
        data_segments(GDT_DATA, 0, 0xFFFFFFFF, AR_DATA32);
        vmcs_write_natural(GUEST_IDTR_BASE, 0);
        vmcs_write32(GUEST_IDTR_LIMIT, 0);
        control_registers(v, CR0_PE | CR0_ET | CR0_WP | CR0_PG, CR4_PAE, EFER_LME | EFER_LMA);
        vmcs_write_natural(GUEST_CR3, s->cr3);
        break;
    }
    if (s->gdt_limit) {
        vmcs_write_natural(GUEST_GDTR_BASE, s->gdt_base);
        vmcs_write32(GUEST_GDTR_LIMIT, s->gdt_limit);
    }
    vmcs_write_natural(GUEST_RIP, s->rip);
    vmcs_write_natural(GUEST_RSP, s->rsp);
    memcpy(v->gpr, s->gpr, sizeof v->gpr);
}

void vmcs_set_guest_init(struct vcpu *v)
{
    struct guest_start reset = { .mode = GUEST_REAL, .cs = 0xF000, .rip = 0xFFF0 };
    vmcs_set_guest_start(v, &reset);
    /* The reset CS base is 0xFFFF0000, not selector << 4 (SDM Vol. 3A Table 10-1). */
    vmcs_write_natural(GUEST_CS_BASE, 0xFFFF0000);
    v->gpr[RDX] = cpuid(CPUID_LEAF_FEATURES, 0).eax;     /* EDX holds the processor signature after INIT */
    vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_SIPI);
    /* No event may be injected in wait-for-SIPI (SDM 26.3.1.5), and none survives an INIT. */
    v->events = (struct vcpu_events){ 0 };
    vcpu_set_window_exiting(v, false);
    v->halted_interrupts_off = false;
}

void vmcs_set_guest_parked(struct vcpu *v)
{
    vmcs_set_guest_init(v);
    vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_HLT);
    /* RFLAGS.IF = 1 so that our wake IPI ends the HLT: Bochs (unlike the SDM) keeps a CPU halted with IF = 0
     * on an external interrupt even with external-interrupt exiting. Nothing is ever injected into it. Bochs then
     * saves the exit's activity state as active: the run loop halts a parked vCPU again before each entry. */
    vmcs_write_natural(GUEST_RFLAGS, RFLAGS_RESERVED1 | RFLAGS_IF);
    v->parked = true;
}

void vmcs_set_guest_sipi(struct vcpu *v, u8 vector)
{
    v->parked = false;
    struct guest_start s = { .mode = GUEST_REAL, .cs = (u16)(vector << 8), .rip = 0 };
    vmcs_set_guest_start(v, &s);
}
