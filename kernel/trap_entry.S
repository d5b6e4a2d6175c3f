/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception entry stubs: push a uniform frame (struct trap_frame) and call trap_handler. */

/* Vectors that push an error code themselves (SDM Vol. 3A 6.13): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

    .text
    .altmacro
.macro trap_stub v
    .balign 16
trap_stub_\v:
    .if !HAS_ERROR(\v)
    pushq   $0
    .endif
    pushq   $\v
    jmp     trap_common
.endm

    .set v, 0
    .rept 32
    trap_stub %v
    .set v, v + 1
    .endr

trap_common:
    pushq   %rax
    pushq   %rbx
    pushq   %rcx
    pushq   %rdx
    pushq   %rbp
    pushq   %rsi
    pushq   %rdi
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    cld
    movq    %rsp, %rdi
    call    trap_handler
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rdi
    popq    %rsi
    popq    %rbp
    popq    %rdx
    popq    %rcx
    popq    %rbx
    popq    %rax
    addq    $16, %rsp               /* vector and error code */
    iretq

.macro stub_addr v
    .quad trap_stub_\v
.endm
    .section .rodata
    .balign 8
    .globl trap_stubs
trap_stubs:
    .set v, 0
    .rept 32
    stub_addr %v
    .set v, v + 1
    .endr

/* The wake IPI (kernel/smp.c) only ends a HLT: acknowledge it and return. Saves what C may clobber. */
    .text
    .globl wake_ipi_entry
wake_ipi_entry:
    pushq   %rax
    pushq   %rcx
    pushq   %rdx
    pushq   %rsi
    pushq   %rdi
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    cld
    call    lapic_eoi
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rdi
    popq    %rsi
    popq    %rdx
    popq    %rcx
    popq    %rax
    iretq

/* A spurious interrupt needs no EOI (SDM Vol. 3A 11.9). */
    .globl spurious_entry
spurious_entry:
    iretq
