/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-CPU block, reached through GS: gs:0 holds its own address. */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/types.h"

struct cpu_tables;

struct percpu {
    struct percpu *self;    /* gs:0 */
    u32 index;              /* gs:8, dense CPU number: 0 is the boot CPU */
    u32 apic_id;
    bool in_panic;          /* a panic or trap report is being printed on this CPU */
    volatile bool online;   /* set by the CPU itself once it runs C code */
    volatile bool stopped;  /* set by the CPU itself when it obeys a stop request */
    volatile bool nmi_pending;  /* an NMI arrived in the hypervisor: the guest gets it on its next entry */
    struct cpu_tables *tables;
    /* Cross-CPU calls (kernel/smp.c): the caller sets fn last; the CPU clears it when done. */
    void (*volatile call_fn)(void *arg);
    void *volatile call_arg;
};

extern struct percpu percpu_boot;

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

/* This CPU's nmi_pending, in one GS-relative load (the exit fast path reads it on every exit). */
static inline u32 this_cpu_nmi_pending(void)
{
    u32 v;
    __asm__ volatile("movzbl %%gs:%c1, %0" : "=r"(v) : "i"(offsetof(struct percpu, nmi_pending)));
    return v;
}

static inline u32 cpu_index(void)
{
    u32 v;
    __asm__ volatile("movl %%gs:8, %0" : "=r"(v));
    return v;
}

#endif
