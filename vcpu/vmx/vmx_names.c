/* SPDX-License-Identifier: BSD-2-Clause */
/* Names for exit reasons, VM-instruction errors, VMCS fields and control bits. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/vmx/vmx_names.h"

#define EXIT_REASON_NAME(name, nr) [nr] = #name,
static const char *const exit_reason_names[EXIT_REASON_COUNT] = { VMX_EXIT_REASONS(EXIT_REASON_NAME) };

#define INSTRUCTION_ERROR_TEXT(name, nr, text) [nr] = text,
static const char *const instruction_error_texts[] = { VMX_INSTRUCTION_ERRORS(INSTRUCTION_ERROR_TEXT) };

#define VMCS_FIELD_INFO(name, enc) { name, #name },
const struct vmcs_field_info vmcs_field_table[] = { VMCS_FIELDS(VMCS_FIELD_INFO) };
const u32 vmcs_field_count = ARRAY_SIZE(vmcs_field_table);

struct ctl_bit {
    u32 bit;
    const char *name;
};

static const struct ctl_bit pin_bits[] = {
    { PIN_EXTINT_EXITING, "external-interrupt exiting" },
    { PIN_NMI_EXITING, "NMI exiting" },
    { PIN_VIRTUAL_NMIS, "virtual NMIs" },
    { PIN_PREEMPTION_TIMER, "activate VMX-preemption timer" },
    { PIN_POSTED_INTERRUPTS, "process posted interrupts" },
};

static const struct ctl_bit proc_bits[] = {
    { PROC_INTR_WINDOW_EXITING, "interrupt-window exiting" },
    { PROC_USE_TSC_OFFSETTING, "use TSC offsetting" },
    { PROC_HLT_EXITING, "HLT exiting" },
    { PROC_INVLPG_EXITING, "INVLPG exiting" },
    { PROC_MWAIT_EXITING, "MWAIT exiting" },
    { PROC_RDPMC_EXITING, "RDPMC exiting" },
    { PROC_RDTSC_EXITING, "RDTSC exiting" },
    { PROC_CR3_LOAD_EXITING, "CR3-load exiting" },
    { PROC_CR3_STORE_EXITING, "CR3-store exiting" },
    { PROC_ACTIVATE_TERTIARY, "activate tertiary controls" },
    { PROC_CR8_LOAD_EXITING, "CR8-load exiting" },
    { PROC_CR8_STORE_EXITING, "CR8-store exiting" },
    { PROC_USE_TPR_SHADOW, "use TPR shadow" },
    { PROC_NMI_WINDOW_EXITING, "NMI-window exiting" },
    { PROC_MOV_DR_EXITING, "MOV-DR exiting" },
    { PROC_UNCOND_IO_EXITING, "unconditional I/O exiting" },
    { PROC_USE_IO_BITMAPS, "use I/O bitmaps" },
    { PROC_MONITOR_TRAP_FLAG, "monitor trap flag" },
    { PROC_USE_MSR_BITMAPS, "use MSR bitmaps" },
    { PROC_MONITOR_EXITING, "MONITOR exiting" },
    { PROC_PAUSE_EXITING, "PAUSE exiting" },
    { PROC_ACTIVATE_SECONDARY, "activate secondary controls" },
};

static const struct ctl_bit proc2_bits[] = {
    { PROC2_VIRTUALIZE_APIC_ACCESSES, "virtualize APIC accesses" },
    { PROC2_ENABLE_EPT, "enable EPT" },
    { PROC2_DESCRIPTOR_TABLE_EXITING, "descriptor-table exiting" },
    { PROC2_ENABLE_RDTSCP, "enable RDTSCP" },
    { PROC2_VIRTUALIZE_X2APIC, "virtualize x2APIC mode" },
    { PROC2_ENABLE_VPID, "enable VPID" },
    { PROC2_WBINVD_EXITING, "WBINVD exiting" },
    { PROC2_UNRESTRICTED_GUEST, "unrestricted guest" },
    { PROC2_APIC_REGISTER_VIRT, "APIC-register virtualization" },
    { PROC2_VIRTUAL_INTR_DELIVERY, "virtual-interrupt delivery" },
    { PROC2_PAUSE_LOOP_EXITING, "PAUSE-loop exiting" },
    { PROC2_RDRAND_EXITING, "RDRAND exiting" },
    { PROC2_ENABLE_INVPCID, "enable INVPCID" },
    { PROC2_ENABLE_VMFUNC, "enable VM functions" },
    { PROC2_VMCS_SHADOWING, "VMCS shadowing" },
    { PROC2_ENCLS_EXITING, "enable ENCLS exiting" },
    { PROC2_RDSEED_EXITING, "RDSEED exiting" },
    { PROC2_ENABLE_PML, "enable PML" },
    { PROC2_EPT_VIOLATION_VE, "EPT-violation #VE" },
    { PROC2_CONCEAL_VMX_FROM_PT, "conceal VMX from PT" },
    { PROC2_ENABLE_XSAVES, "enable XSAVES/XRSTORS" },
    { PROC2_MODE_BASED_EPT_EXEC, "mode-based execute control for EPT" },
    { PROC2_USE_TSC_SCALING, "use TSC scaling" },
    { PROC2_ENABLE_USER_WAIT_PAUSE, "enable user wait and pause" },
};

static const struct ctl_bit exit_bits[] = {
    { EXIT_CTL_SAVE_DEBUG_CONTROLS, "save debug controls" },
    { EXIT_CTL_HOST_ADDR_SPACE_SIZE, "host address-space size" },
    { EXIT_CTL_LOAD_PERF_GLOBAL_CTRL, "load IA32_PERF_GLOBAL_CTRL" },
    { EXIT_CTL_ACK_INTR_ON_EXIT, "acknowledge interrupt on exit" },
    { EXIT_CTL_SAVE_IA32_PAT, "save IA32_PAT" },
    { EXIT_CTL_LOAD_IA32_PAT, "load IA32_PAT" },
    { EXIT_CTL_SAVE_IA32_EFER, "save IA32_EFER" },
    { EXIT_CTL_LOAD_IA32_EFER, "load IA32_EFER" },
    { EXIT_CTL_SAVE_PREEMPTION_TIMER, "save VMX-preemption timer value" },
    { EXIT_CTL_CLEAR_IA32_BNDCFGS, "clear IA32_BNDCFGS" },
    { EXIT_CTL_CONCEAL_VMX_FROM_PT, "conceal VMX from PT" },
};

static const struct ctl_bit entry_bits[] = {
    { ENTRY_CTL_LOAD_DEBUG_CONTROLS, "load debug controls" },
    { ENTRY_CTL_IA32E_MODE_GUEST, "IA-32e mode guest" },
    { ENTRY_CTL_ENTRY_TO_SMM, "entry to SMM" },
    { ENTRY_CTL_DEACTIVATE_DUAL_MON, "deactivate dual-monitor treatment" },
    { ENTRY_CTL_LOAD_PERF_GLOBAL_CTRL, "load IA32_PERF_GLOBAL_CTRL" },
    { ENTRY_CTL_LOAD_IA32_PAT, "load IA32_PAT" },
    { ENTRY_CTL_LOAD_IA32_EFER, "load IA32_EFER" },
    { ENTRY_CTL_LOAD_IA32_BNDCFGS, "load IA32_BNDCFGS" },
    { ENTRY_CTL_CONCEAL_VMX_FROM_PT, "conceal VMX from PT" },
};

static const struct {
    const char *name;
    const struct ctl_bit *bits;
    u32 count;
} ctl_words[VMX_CTL_WORDS] = {
    [VMX_CTL_PIN] = { "pin-based", pin_bits, ARRAY_SIZE(pin_bits) },
    [VMX_CTL_PROC] = { "primary processor-based", proc_bits, ARRAY_SIZE(proc_bits) },
    [VMX_CTL_PROC2] = { "secondary processor-based", proc2_bits, ARRAY_SIZE(proc2_bits) },
    [VMX_CTL_EXIT] = { "VM-exit", exit_bits, ARRAY_SIZE(exit_bits) },
    [VMX_CTL_ENTRY] = { "VM-entry", entry_bits, ARRAY_SIZE(entry_bits) },
};

const char *vmx_exit_reason_name(u32 basic_reason)
{
    if (basic_reason >= ARRAY_SIZE(exit_reason_names) || !exit_reason_names[basic_reason])
        return "unknown";
    return exit_reason_names[basic_reason];
}

const char *vmx_instruction_error_name(u32 error)
{
    if (error >= ARRAY_SIZE(instruction_error_texts) || !instruction_error_texts[error])
        return "unknown VM-instruction error";
    return instruction_error_texts[error];
}

const char *vmx_ctl_word_name(enum vmx_ctl_word word)
{
    return (u32)word < VMX_CTL_WORDS ? ctl_words[word].name : "unknown";
}

const char *vmx_ctl_bit_name(enum vmx_ctl_word word, u32 bit)
{
    if ((u32)word >= VMX_CTL_WORDS)
        return NULL;
    for (u32 i = 0; i < ctl_words[word].count; i++)
        if (ctl_words[word].bits[i].bit == bit)
            return ctl_words[word].bits[i].name;
    return NULL;
}

void vmcs_dump(u64 (*read)(void *ctx, u32 field, bool *ok),
               void (*print)(void *ctx, const char *name, u32 field, u64 value), void *ctx)
{
    for (u32 i = 0; i < vmcs_field_count; i++) {
        bool ok = false;
        u64 value = read(ctx, vmcs_field_table[i].field, &ok);

        if (ok)
            print(ctx, vmcs_field_table[i].name, vmcs_field_table[i].field, value);
    }
}
