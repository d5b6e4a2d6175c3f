/* SPDX-License-Identifier: BSD-2-Clause */
/* CPU exceptions in the hypervisor: the IDT and the frame the entry stubs build. */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include "kernel/types.h"

/* Laid out by kernel/trap_entry.S; the last five words are pushed by the CPU. */
struct trap_frame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};

/* Fills the IDT (once) and loads it on this CPU. */
void idt_load(void);

void trap_handler(struct trap_frame *f);

#endif
