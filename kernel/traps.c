/* SPDX-License-Identifier: BSD-2-Clause */
/* An exception in the hypervisor is our bug: name it, dump the registers and a backtrace, end the run. */
#include "kernel/lapic.h"
#include "kernel/traps.h"
#include "kernel/x86_regs.h"
#include "kernel/exit.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/x86.h"

static const char *const exception_names[32] = {
    [0] = "#DE divide error",         [1] = "#DB debug",
    [2] = "NMI",                      [3] = "#BP breakpoint",
    [4] = "#OF overflow",             [5] = "#BR bound range",
    [6] = "#UD invalid opcode",       [7] = "#NM device not available",
    [8] = "#DF double fault",         [9] = "coprocessor segment overrun",
    [10] = "#TS invalid TSS",         [11] = "#NP segment not present",
    [12] = "#SS stack fault",         [13] = "#GP general protection",
    [14] = "#PF page fault",          [16] = "#MF x87 floating point",
    [17] = "#AC alignment check",     [18] = "#MC machine check",
    [19] = "#XM SIMD floating point", [20] = "#VE virtualization exception",
    [21] = "#CP control protection",
};


void trap_handler(struct trap_frame *f)
{
    if (f->vector == VECTOR_NMI) {
        if (smp_nmi_stop())
            return;     /* not reached: a stop request halts this CPU */
        /* Anything else is the guest's (it owns its local APIC): kept for its next entry. No printing here:
         * this CPU may hold the console lock. The flag may be read already, on the way back into the guest:
         * a wake IPI to this CPU, held while interrupts are off, ends that guest execution right after the
         * entry, so the NMI waits for no later exit. */
        this_cpu()->nmi_pending = true;
        lapic_send_ipi(this_cpu()->apic_id, ICR_FIXED | VECTOR_WAKE_IPI);
        return;
    }
    const char *name = f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "reserved";

    if (this_cpu()->in_panic)
        halt_forever();     /* a fault while reporting a fault: stay silent rather than recurse */
    this_cpu()->in_panic = true;
    printk_break_lock();
    pr_err("panic: cpu%u: exception %s (vector %llu) error=0x%llx in the hypervisor", cpu_index(), name,
           (unsigned long long)f->vector, (unsigned long long)f->error);
    pr_err("  rip=%016llx cs=%04llx rflags=%016llx rsp=%016llx ss=%04llx",
           (unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->rflags,
           (unsigned long long)f->rsp, (unsigned long long)f->ss);
    pr_err("  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx", (unsigned long long)read_cr0(),
           (unsigned long long)read_cr2(), (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
    pr_err("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx", (unsigned long long)f->rax,
           (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    pr_err("  rsi=%016llx rdi=%016llx rbp=%016llx r8 =%016llx", (unsigned long long)f->rsi,
           (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
    pr_err("  r9 =%016llx r10=%016llx r11=%016llx r12=%016llx", (unsigned long long)f->r9,
           (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
    pr_err("  r13=%016llx r14=%016llx r15=%016llx", (unsigned long long)f->r13, (unsigned long long)f->r14,
           (unsigned long long)f->r15);
    print_backtrace(f->rip, f->rbp, f->rsp);
    run_exit(EXIT_PANIC);
}
