/* SPDX-License-Identifier: BSD-2-Clause */
/* VM entry and the VM-exit stub: load the guest GPRs, VMLAUNCH/VMRESUME; on exit save them all into the vCPU. */
#include "vcpu/vmx_asm.h"

/*
 * int vmx_enter(struct vcpu *v): returns 0 after a VM exit, 1 if the entry instruction failed with
 * VMfailInvalid (CF=1), 2 with VMfailValid (ZF=1). The vCPU pointer stays at the top of the host stack while
 * the guest runs, where the exit stub finds it (HOST_RSP points at it).
 */
    .text
    .globl vmx_enter
vmx_enter:
    pushq   %rbp
    movq    %rsp, %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    pushq   %rdi
    cmpq    %rsp, VCPU_HOST_RSP(%rdi)       /* one VMWRITE only when the stack moved */
    je      1f
    movq    %rsp, VCPU_HOST_RSP(%rdi)
    movq    $VMCS_HOST_RSP, %rax
    vmwrite %rsp, %rax
    jbe     entry_failed                    /* CF or ZF: the VMWRITE itself failed */
1:  testb   $1, VCPU_LAUNCHED(%rdi)         /* flags survive the MOVs below */
    movq    8*0(%rdi), %rax
    movq    8*1(%rdi), %rcx
    movq    8*2(%rdi), %rdx
    movq    8*3(%rdi), %rbx
    movq    8*5(%rdi), %rbp
    movq    8*6(%rdi), %rsi
    movq    8*8(%rdi), %r8
    movq    8*9(%rdi), %r9
    movq    8*10(%rdi), %r10
    movq    8*11(%rdi), %r11
    movq    8*12(%rdi), %r12
    movq    8*13(%rdi), %r13
    movq    8*14(%rdi), %r14
    movq    8*15(%rdi), %r15
    movq    8*7(%rdi), %rdi
    jnz     2f
    vmlaunch
    jmp     entry_failed
2:  vmresume
entry_failed:
    movl    $1, %eax
    jc      3f
    movl    $2, %eax
3:  popq    %rdi
    jmp     restore_host

/* HOST_RIP. RSP = HOST_RSP: [rsp] holds the vCPU pointer. Interrupts are off (RFLAGS is cleared on exit). */
    .globl vmx_exit_stub
vmx_exit_stub:
    pushq   %rdi
    movq    8(%rsp), %rdi
    movq    %rax, 8*0(%rdi)
    movq    %rcx, 8*1(%rdi)
    movq    %rdx, 8*2(%rdi)
    movq    %rbx, 8*3(%rdi)
    movq    %rbp, 8*5(%rdi)
    movq    %rsi, 8*6(%rdi)
    popq    8*7(%rdi)
    movq    %r8, 8*8(%rdi)
    movq    %r9, 8*9(%rdi)
    movq    %r10, 8*10(%rdi)
    movq    %r11, 8*11(%rdi)
    movq    %r12, 8*12(%rdi)
    movq    %r13, 8*13(%rdi)
    movq    %r14, 8*14(%rdi)
    movq    %r15, 8*15(%rdi)
    addq    $8, %rsp                        /* the vCPU pointer */
    xorl    %eax, %eax
restore_host:
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
