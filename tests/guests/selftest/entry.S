/* SPDX-License-Identifier: BSD-2-Clause */
/* The self-test guest's entry: a multiboot1 header (ELF), a stack, the IDT stubs that call into C. */
#include "kernel/multiboot_abi.h"
#include "tests/guests/selftest/vectors.h"

#define GUEST_MB1_FLAGS ((1 << 0) | (1 << 1))   /* page-aligned modules, memory information */

    .section .note.GNU-stack, "", @progbits
    .section .multiboot, "a"
    .balign 4
    .long   MB1_HEADER_MAGIC
    .long   GUEST_MB1_FLAGS
    .long   -(MB1_HEADER_MAGIC + GUEST_MB1_FLAGS)

    .text
    .code32
    .globl _start
_start:
    /* Multiboot1 leaves GDTR undefined (spec 3.2): load our own before any interrupt reloads CS. */
    lgdt    gdt_desc
    ljmp    $0x08, $1f
1:  movw    $0x10, %cx
    movw    %cx, %ds
    movw    %cx, %es
    movw    %cx, %ss
    movw    %cx, %fs
    movw    %cx, %gs
    movl    $stack_top, %esp
    pushl   %ebx                    /* multiboot information */
    pushl   %eax                    /* magic */
    call    guest_main
1:  cli
    hlt
    jmp     1b

/*
 * The AP trampoline, copied to AP_TRAMPOLINE (0x8000) by smp.c: the guest's own SIPI starts it in real mode
 * with CS = 0x800; it loads our GDT, enters protected mode, takes a stack and calls ap_main().
 */
#define AP_STACK_SIZE 4096
    .code16
    .globl ap_trampoline, ap_trampoline_end
ap_trampoline:
    cli
    cld
    movw    %cs, %ax
    movw    %ax, %ds
    lgdtl   ap_gdt_desc - ap_trampoline
    movl    %cr0, %eax
    orl     $1, %eax
    movl    %eax, %cr0
    ljmpl   $0x08, $ap_entry32
    .balign 4
ap_gdt_desc:
    .word   gdt_desc - gdt - 1
    .long   gdt
ap_trampoline_end:

    .code32
ap_entry32:
    movw    $0x10, %cx
    movw    %cx, %ds
    movw    %cx, %es
    movw    %cx, %ss
    movw    %cx, %fs
    movw    %cx, %gs
    movl    $AP_STACK_SIZE, %eax
    lock xaddl %eax, ap_stack_used
    leal    ap_stacks + AP_STACK_SIZE(%eax), %esp
    call    ap_main
2:  cli                             /* parked, as an OS parks a CPU it does not use */
    hlt
    jmp     2b

    .data
ap_stack_used: .long 0
    .text

/*
 * The #GP handler of a test that expects one: it drops the error code, counts the fault and resumes at
 * gp_resume (set by the test just before the faulting instruction).
 */
    .globl gp_recover, gp_resume, gp_count
gp_recover:
    addl    $4, %esp
    incl    gp_count
    pushl   %eax
    movl    gp_resume, %eax
    movl    %eax, 4(%esp)
    popl    %eax
    iret
    .data
gp_resume: .long 0
gp_count:  .long 0
    .text

/* One stub per vector 0-79 (STUBS): push the vector, save the caller-saved registers, call trap(vector). */
.macro stub v
    .balign 16
stub_\v:
    pushl   %eax
    pushl   %ecx
    pushl   %edx
    pushl   $\v
    call    trap
    addl    $4, %esp
    popl    %edx
    popl    %ecx
    popl    %eax
    iret
.endm
    .altmacro
    .set v, 0
    .rept STUBS
    stub %v
    .set v, v + 1
    .endr

.macro stub_addr v
    .long stub_\v
.endm
    .section .rodata
    .balign 8
gdt:
    .quad   0
    .quad   0x00CF9A000000FFFF          /* 0x08: flat 32-bit code */
    .quad   0x00CF92000000FFFF          /* 0x10: flat data */
gdt_desc:
    .word   gdt_desc - gdt - 1
    .long   gdt
    .globl stubs
stubs:
    .set v, 0
    .rept STUBS
    stub_addr %v
    .set v, v + 1
    .endr

    .bss
    .balign 16
    .skip 16384
stack_top:
ap_stacks:
    .skip 64 * AP_STACK_SIZE
