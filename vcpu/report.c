/* SPDX-License-Identifier: BSD-2-Clause */
/* vm-stop reports and VMCS dumps; vmx_instruction_failed, the one report for a VMX instruction that failed. */
#include <stdarg.h>

#include "kernel/exit.h"
#include "kernel/format.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_names.h"

static u64 try_read(void *ctx, u32 field, bool *ok)
{
    (void)ctx;
    u64 v = 0;
    *ok = vmcs_try_read(field, &v) == VMX_OK;
    return v;
}

static void print_field(void *ctx, const char *name, u32 field, u64 value)
{
    (void)ctx;
    pr_err("  %-32s (%04x) = %016llx", name, field, (unsigned long long)value);
}

void vmcs_dump_all(void)
{
    pr_err("VMCS:");
    vmcs_dump(try_read, print_field, NULL);
}

NORETURN void vmx_instruction_failed(const char *insn, u64 operand)
{
    u64 error;
    if (vmcs_try_read(VM_INSTRUCTION_ERROR, &error) != VMX_OK)
        panic("%s (operand %#llx) failed: VMfailInvalid (no current VMCS)", insn, (unsigned long long)operand);
    pr_err("vmx: %s (operand %#llx) failed: VM-instruction error %llu: %s", insn, (unsigned long long)operand,
           (unsigned long long)error, vmx_instruction_error_name((u32)error));
    vmcs_dump_all();
    panic("%s failed", insn);
}

static void dump_guest(struct vcpu *v)
{
    pr_err("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx", (unsigned long long)v->gpr[RAX],
           (unsigned long long)v->gpr[RBX], (unsigned long long)v->gpr[RCX], (unsigned long long)v->gpr[RDX]);
    pr_err("  rsi=%016llx rdi=%016llx rbp=%016llx rsp=%016llx", (unsigned long long)v->gpr[RSI],
           (unsigned long long)v->gpr[RDI], (unsigned long long)v->gpr[RBP],
           (unsigned long long)vmcs_read_natural(GUEST_RSP));
    pr_err("  r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx", (unsigned long long)v->gpr[R8],
           (unsigned long long)v->gpr[R9], (unsigned long long)v->gpr[R10], (unsigned long long)v->gpr[R11]);
    pr_err("  r12=%016llx r13=%016llx r14=%016llx r15=%016llx", (unsigned long long)v->gpr[R12],
           (unsigned long long)v->gpr[R13], (unsigned long long)v->gpr[R14], (unsigned long long)v->gpr[R15]);
    pr_err("  rip=%016llx rflags=%016llx cs=%04x (base %llx, ar %x) ss=%04x", (unsigned long long)vmcs_read_natural(GUEST_RIP),
           (unsigned long long)vmcs_read_natural(GUEST_RFLAGS), vmcs_read16(GUEST_CS_SELECTOR),
           (unsigned long long)vmcs_read_natural(GUEST_CS_BASE), vmcs_read32(GUEST_CS_AR), vmcs_read16(GUEST_SS_SELECTOR));
    pr_err("  cr0=%016llx cr3=%016llx cr4=%016llx efer=%016llx", (unsigned long long)vmcs_read_natural(GUEST_CR0),
           (unsigned long long)vmcs_read_natural(GUEST_CR3), (unsigned long long)vmcs_read_natural(GUEST_CR4),
           (unsigned long long)vmcs_read64(GUEST_IA32_EFER));
    pr_err("  exit reason %u (%s), qualification %016llx, interruptibility %x, activity %u",
           vmcs_read32(VM_EXIT_REASON) & EXIT_REASON_BASIC_MASK,
           vmx_exit_reason_name(vmcs_read32(VM_EXIT_REASON) & EXIT_REASON_BASIC_MASK),
           (unsigned long long)vmcs_read_natural(EXIT_QUALIFICATION), vmcs_read32(GUEST_INTERRUPTIBILITY),
           vmcs_read32(GUEST_ACTIVITY_STATE));
}

enum vmexit_action vcpu_stop(struct vcpu *v, const char *reason, const char *extra_fmt, ...)
{
    char extra[160] = "";
    if (extra_fmt) {
        va_list ap;
        va_start(ap, extra_fmt);
        extra[0] = ' ';
        kvsnprintf(extra + 1, sizeof extra - 1, extra_fmt, ap);
        va_end(ap);
    }
    guest_console_flush(&v->vm->board.console);
    guest_console_flush(&v->console);
    printk(LOG_ALWAYS, "vm-stop: reason=%s cpu=%u rip=%llx%s", reason, v->index,
           (unsigned long long)vmcs_read_natural(GUEST_RIP), extra);
    dump_guest(v);
    vm_stop(v->vm, EXIT_VM_STOPPED);
    return VMEXIT_STOP;
}

enum vmexit_action vcpu_triple_fault(struct vcpu *v, int vector)
{
    /* A triple fault shuts the CPU down, and a PC's chipset answers shutdown with a reset: the guest reset. */
    if (vm_guest_reset(v->vm, "triple fault")) {
        if (vector >= 0)
            pr_err("  vector %d raised while #DF was pending", vector);
        dump_guest(v);
    }
    return VMEXIT_STOP;
}
