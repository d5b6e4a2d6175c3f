/* SPDX-License-Identifier: BSD-2-Clause */
/* AP trampoline, a flat blob copied to a page below 1 MiB: the SIPI starts it in real mode at CS:0 with
 * CS = page >> 4; it loads the boot CPU's page tables and enters long mode (SDM Vol. 3A 9.8.5). */
#include "kernel/msr.h"
#include "kernel/trampoline.h"
#include "kernel/x86_regs.h"

    .text
    .code16
    .globl start
start:
    jmp     real_mode

    .org TR_GDT_DESC
    .word   23
    .long   0
    .org TR_FAR64
    .long   0
    .word   0x08
    .org TR_CR3
    .long   0
    .org TR_STACK
    .quad   0
    .org TR_PERCPU
    .quad   0
    .org TR_ENTRY
    .quad   0
    .org TR_GDT
    .quad   0
    .quad   0x00AF9A000000FFFF
    .quad   0x00CF92000000FFFF

real_mode:
    cli
    cld
    mov     %cs, %ax
    mov     %ax, %ds
    lgdtl   TR_GDT_DESC
    movl    $CR4_PAE, %eax              /* explicit values: INIT leaves CR0.CD and CR0.NW set */
    mov     %eax, %cr4
    mov     TR_CR3, %eax
    mov     %eax, %cr3
    mov     $MSR_IA32_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    movl    $(CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_PE), %eax   /* caches on: CD = NW = 0 */
    mov     %eax, %cr0
    ljmpl   *TR_FAR64               /* straight from real mode into the 64-bit code segment */

    .org TR_CODE64
    .code64
    mov     $0x10, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    xor     %ax, %ax
    mov     %ax, %fs
    mov     %ax, %gs
    mov     TR_STACK + start(%rip), %rsp
    mov     TR_PERCPU + start(%rip), %rdi
    mov     %edi, %eax
    mov     TR_PERCPU + 4 + start(%rip), %edx
    mov     $MSR_IA32_GS_BASE, %ecx
    wrmsr
    xor     %ebp, %ebp
    pushq   $0                      /* no return address: ends the backtrace */
    jmp     *TR_ENTRY + start(%rip)

    .org TR_SIZE
