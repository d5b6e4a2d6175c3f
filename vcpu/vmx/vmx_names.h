/* SPDX-License-Identifier: BSD-2-Clause */
/* Names for the VMX vocabulary: exit reasons, VM-instruction errors, VMCS fields, control bits; and a VMCS dump. */
#ifndef VCPU_VMX_VMX_NAMES_H
#define VCPU_VMX_VMX_NAMES_H

#include "kernel/types.h"
#include "vcpu/vmx/vmx_defs.h"

/* "EPT_VIOLATION" for EXIT_REASON_EPT_VIOLATION; "unknown" for a number Appendix C does not define. */
const char *vmx_exit_reason_name(u32 basic_reason);

/* The SDM's text for a VM-instruction error number (31.4); "unknown VM-instruction error" otherwise. */
const char *vmx_instruction_error_name(u32 error);

/* The SDM's name of one control bit (mask with a single bit set): "HLT exiting"; NULL if unnamed. */
const char *vmx_ctl_bit_name(enum vmx_ctl_word word, u32 bit);

/* "primary processor-based", ...: the word's name for messages. */
const char *vmx_ctl_word_name(enum vmx_ctl_word word);

/* Every VMCS field the hypervisor knows, in SDM order. */
struct vmcs_field_info {
    u32 field;
    const char *name;
};
extern const struct vmcs_field_info vmcs_field_table[];
extern const u32 vmcs_field_count;

/*
 * Reads every field of vmcs_field_table through `read` and hands each one that reads (*ok set true) to
 * `print`. Fields the CPU lacks (VMREAD fails) are skipped, so the dump itself cannot fail.
 */
void vmcs_dump(u64 (*read)(void *ctx, u32 field, bool *ok),
               void (*print)(void *ctx, const char *name, u32 field, u64 value), void *ctx);

#endif
