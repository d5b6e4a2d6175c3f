/* SPDX-License-Identifier: BSD-2-Clause */
/* 32-bit multiboot entry: zero bss, check for long mode, identity-map 4 GiB, enter 64-bit mode, move the image
 * to the top of RAM (boot/relocate.c), call kmain there. The 32-bit part runs at the load address only: its
 * absolute addresses are the link-time ones. From start64_moved on, code is RIP-relative. */
#include "kernel/memlayout.h"
#include "kernel/msr.h"
#include "kernel/x86_regs.h"

#define PTE_P_W         0x3
#define PDE_2M          0x83        /* present, writable, 2 MiB page */
#define COM1            0x3F8

    .section .text.boot, "ax"
    .code32
    .globl _start32
_start32:
    cli
    cld
    mov     %eax, %ebp                  /* multiboot magic: 0x36D76289 or 0x2BADB002 */
    mov     %ebx, %esi                  /* physical address of the multiboot info */
    mov     $boot_stack_top, %esp

    /* Zero bss ourselves: the a.out kludge leaves that to the loader, and not every loader does it. */
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    shr     $2, %ecx                    /* whole dwords: bss is page-aligned at both ends */
    xor     %eax, %eax
    rep stosl
    mov     %ebp, boot_magic
    mov     %esi, boot_info_addr

    /* Long mode: CPUID 0x80000001 EDX bit 29. Without it, say so on COM1 and stop. */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 512 x 2 MiB pages = 4 GiB. */
    mov     $boot_pdpt, %eax
    or      $PTE_P_W, %eax
    mov     %eax, boot_pml4
    mov     $boot_pd, %eax
    or      $PTE_P_W, %eax
    mov     $boot_pdpt, %edi
    mov     $4, %ecx
1:  mov     %eax, (%edi)
    add     $4096, %eax
    add     $8, %edi
    loop    1b
    mov     $boot_pd, %edi
    xor     %ebx, %ebx                  /* entry index: physical address = index * 2 MiB */
2:  mov     %ebx, %eax
    shl     $21, %eax
    or      $PDE_2M, %eax
    mov     %eax, (%edi,%ebx,8)
    mov     %ebx, %eax
    shr     $11, %eax                   /* high dword of index * 2 MiB */
    mov     %eax, 4(%edi,%ebx,8)
    inc     %ebx
    cmp     $2048, %ebx
    jne     2b

    /* Explicit values, not firmware's plus ours: UEFI leaves extra CR4 bits, INIT leaves CR0.CD/NW set. */
    mov     $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $boot_pml4, %eax
    mov     %eax, %cr3
    mov     $MSR_IA32_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     $(CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_PE), %eax     /* caches on: CD = NW = 0 */
    mov     %eax, %cr0
    lgdt    boot_gdt_ptr
    ljmp    $0x08, $start64

no_long_mode:
    mov     $no_lm_msg, %esi
3:  lodsb
    test    %al, %al
    jz      4f
    mov     %al, %bl
    mov     $(COM1 + 5), %dx
5:  in      %dx, %al                    /* wait for THR empty */
    test    $0x20, %al
    jz      5b
    mov     $COM1, %dx
    mov     %bl, %al
    out     %al, %dx
    jmp     3b
4:  hlt
    jmp     4b

    .code64
start64:
    mov     $0x10, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    xor     %ax, %ax
    mov     %ax, %fs
    mov     %ax, %gs
    lea     boot_stack_top(%rip), %rsp
    xor     %ebp, %ebp
    mov     boot_magic(%rip), %edi
    mov     boot_info_addr(%rip), %esi
    call    boot_relocate               /* copies the image up; returns how far (0: it stays) */
    lea     start64_moved(%rip), %rbx
    add     %rax, %rbx
    jmp     *%rbx                       /* into the copy */

start64_moved:
    /* The copy's page tables (boot_relocate pointed them at the copy), GDT and stack: nothing below is left in
     * use, and the load address becomes guest RAM. */
    lea     boot_pml4(%rip), %rax
    mov     %rax, %cr3
    lgdt    boot_gdt_ptr(%rip)
    lea     boot_stack_top(%rip), %rsp
    xor     %ebp, %ebp                  /* ends the backtrace */
    /* GS points at the boot CPU's per-CPU block from the first C instruction on. */
    lea     percpu_boot(%rip), %rax
    mov     %rax, %rdx
    shr     $32, %rdx
    mov     $MSR_IA32_GS_BASE, %ecx
    wrmsr
    mov     boot_magic(%rip), %edi
    mov     boot_info_addr(%rip), %esi
    call    kmain
6:  cli
    hlt
    jmp     6b

    .section .rodata
no_lm_msg:
    .asciz "boot: error: this CPU has no 64-bit long mode (CPUID 0x80000001 EDX bit 29); stopping\r\n"

    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF            /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF            /* 0x10: data */
boot_gdt_ptr:                           /* 32-bit LGDT reads the limit and 4 bytes of base, 64-bit LGDT all 8 */
    .short boot_gdt_ptr - boot_gdt - 1
    .quad boot_gdt

    .data
    .globl boot_magic, boot_info_addr
boot_magic:     .long 0
boot_info_addr: .long 0

    .bss
    .balign 4096
    .globl boot_pml4, boot_pdpt
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
    .balign 16
boot_stack: .skip BOOT_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:
