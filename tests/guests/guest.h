/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler helpers for test guests: hypercalls and fixed-text output in each CPU mode. */
#ifndef TESTS_GUESTS_GUEST_H
#define TESTS_GUESTS_GUEST_H

#include "kernel/apic_regs.h"
#include "kernel/cpuid.h"
#include "kernel/msr.h"
#include "kernel/x86_regs.h"
#include "vcpu/hypervisor_abi.h"

/* PRINT16/PRINT32 use absolute addresses (the image is linked where it runs); PRINT64 is RIP-relative.
 * Macro labels are unique (\@), so callers' numeric local labels never bind to them. */
/* The same bytes serve 16- and 32-bit code: the assembler adds the operand-size prefixes. */
.macro PRINT16 msg
    PRINT32 "\msg"
.endm

.macro PRINT32 msg
    jmp     .Lend\@
.Lmsg\@: .ascii "\msg\n"
.Lend\@: movl $.Lmsg\@, %edi
    movl    $(.Lend\@ - .Lmsg\@), %esi
    movl    $HC_CONSOLE_WRITE, %eax
    vmcall
.endm

.macro PRINT64 msg
    jmp     .Lend\@
.Lmsg\@: .ascii "\msg\n"
.Lend\@: leaq .Lmsg\@(%rip), %rdi
    movl    $(.Lend\@ - .Lmsg\@), %esi
    movl    $HC_CONSOLE_WRITE, %eax
    vmcall
.endm

/*
 * The guest's local APIC from the xAPIC mode firmware leaves it in to x2APIC mode (SDM Vol. 3A 11.12.5: EN and
 * EXTD in IA32_APIC_BASE), for guests that use the x2APIC MSRs. Any CPU mode; clobbers EAX, ECX, EDX.
 */
.macro X2APIC_ON
    movl    $MSR_IA32_APIC_BASE, %ecx
    rdmsr
    orl     $(APIC_BASE_EN | APIC_BASE_EXTD), %eax
    wrmsr
.endm

/* The real-mode start every test guest makes at 0000:7C00: interrupts off, segments 0, a stack at `stack`. */
.macro REAL_MODE_START stack
    cli
    xorw    %ax, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    movw    $\stack, %sp
.endm

/*
 * From 32-bit protected mode (flat segments, GDT with a 64-bit code segment at `code64`) to long mode at
 * `target`: identity-maps the first GiB with 2 MiB pages in three pages at `tables`, then PAE, EFER.LME and
 * CR0.PG, each of which the hypervisor sees as it would see an OS do it.
 */
.macro ENTER_LONG_MODE tables, code64, target
    movl    $\tables, %edi
    movl    $(3 * 4096 / 4), %ecx
    xorl    %eax, %eax
    rep stosl
    movl    $(\tables + 0x1000 + 3), \tables
    movl    $(\tables + 0x2000 + 3), \tables + 0x1000
    movl    $(\tables + 0x2000), %edi
    movl    $0x83, %eax
    movl    $512, %ecx
.Lpd\@:
    movl    %eax, (%edi)
    addl    $0x200000, %eax
    addl    $8, %edi
    loop    .Lpd\@
    movl    %cr4, %eax
    orl     $(1 << 5), %eax             /* PAE */
    movl    %eax, %cr4
    movl    $\tables, %eax
    movl    %eax, %cr3
    movl    $MSR_IA32_EFER, %ecx
    rdmsr
    orl     $EFER_LME, %eax
    wrmsr
    movl    %cr0, %eax
    orl     $(1 << 31), %eax            /* PG: long mode becomes active */
    movl    %eax, %cr0
    ljmp    $\code64, $\target
.endm

/* The test guests' GDT: 0x08 flat 32-bit code, 0x10 flat data, 0x18 64-bit code; more entries may follow
 * before GUEST_GDT_END. */
.macro GUEST_GDT
    .balign 8
gdt:
    .quad   0
    .quad   0x00CF9A000000FFFF          /* 0x08: 32-bit code */
    .quad   0x00CF92000000FFFF          /* 0x10: data */
    .quad   0x00AF9A000000FFFF          /* 0x18: 64-bit code */
.endm
.macro GUEST_GDT_END
gdt_desc:
    .word   gdt_desc - gdt - 1
    .long   gdt
.endm

/* From real mode to 32-bit protected mode at `target` (CS 0x08), through the GUEST_GDT. */
.macro ENTER_PROTECTED_MODE target
    lgdtl   gdt_desc
    movl    %cr0, %eax
    orl     $1, %eax
    movl    %eax, %cr0
    ljmpl   $0x08, $\target
.endm

/* All data segments flat (selector 0x10), after entering protected mode; 64-bit code needs DS, ES, SS. */
.macro FLAT_DATA_SEGMENTS
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    movw    %ax, %fs
    movw    %ax, %gs
.endm
.macro FLAT_DATA_SEGMENTS64
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
.endm

/* set_gate(rax = handler, rdi = gate address): a 64-bit interrupt gate in code segment 0x18. */
.macro SET_GATE_FUNCTION
set_gate:
    movw    %ax, (%rdi)
    movw    $0x18, 2(%rdi)
    movw    $0x8E00, 4(%rdi)
    shrq    $16, %rax
    movw    %ax, 6(%rdi)
    shrq    $16, %rax
    movl    %eax, 8(%rdi)
    movl    $0, 12(%rdi)
    ret
.endm

/* Ends the run with a verdict: 0 passed, anything else names the check that failed. */
.macro EXIT code
    movl    $\code, %edi
    movl    $HC_EXIT, %eax
    vmcall
.endm

#endif
