/* SPDX-License-Identifier: BSD-2-Clause */
/* Thin wrappers for the x86 instructions the kernel uses: port I/O, CPUID, MSRs, control registers. */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include "kernel/cpuid.h"
#include "kernel/gdt.h"
#include "kernel/msr.h"         /* the numbers rdmsr and wrmsr take */
#include "kernel/types.h"

static inline void outb(u16 port, u8 v)  { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }

static inline u16 inw(u16 port)
{
    u16 v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline u32 inl(u16 port)
{
    u32 v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline u8 inb(u16 port)
{
    u8 v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

struct cpuid {
    u32 eax, ebx, ecx, edx;
};

static inline struct cpuid cpuid(u32 leaf, u32 subleaf)
{
    struct cpuid r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

/* MAXPHYADDR: the physical-address width, which bounds addresses in CR3, PDPTEs and IA32_APIC_BASE. */
static inline u32 cpu_phys_addr_bits(void)
{
    return cpuid(CPUID_LEAF_ADDRESS_SIZES, 0).eax & 0xFF;
}

static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

#define DEFINE_READ_CR(n) \
    static inline u64 read_cr##n(void) { u64 v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }

/*
 * Ends NMI blocking with an IRET to the next instruction. A VM exit caused by an NMI leaves NMIs blocked until
 * the next IRET (as NMI delivery would), and the hypervisor's own code runs none; without this, the CPU would
 * miss every later NMI, a stop request included. The kernel is built without a red zone.
 */
static inline void nmi_unblock(void)
{
    __asm__ volatile("movq %%rsp, %%rax\n\t"
                     "pushq %[ss]\n\t"
                     "pushq %%rax\n\t"
                     "pushfq\n\t"
                     "pushq %[cs]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "iretq\n"
                     "1:"
                     :: [ss] "i"(GDT_DATA), [cs] "i"(GDT_CODE) : "rax", "memory", "cc");
}
static inline void cpu_relax_io(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* Writes back every modified cache line, then invalidates the caches (SDM Vol. 2D "WBINVD"). */
static inline void wbinvd(void) { __asm__ volatile("wbinvd" ::: "memory"); }

static inline NORETURN void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

#endif
