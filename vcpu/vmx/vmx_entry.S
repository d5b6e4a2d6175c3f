/* SPDX-License-Identifier: BSD-2-Clause */
/* VM entry and the VM-exit stub: load the guest GPRs, VMLAUNCH/VMRESUME; on exit save them all into the vCPU. */
#include "kernel/cpuid.h"
#include "kernel/x86_regs.h"
#include "vcpu/vmx/vmx_asm.h"

/*
 * Loads the guest's registers that a C call may clobber, plus RBP, from the vCPU at RDI; RDI last. (RBP: the
 * exit stub zeroes it for C.) Leaves the flags alone.
 */
.macro LOAD_GUEST_CLOBBERED
    movq    8*0(%rdi), %rax
    movq    8*1(%rdi), %rcx
    movq    8*2(%rdi), %rdx
    movq    8*5(%rdi), %rbp
    movq    8*6(%rdi), %rsi
    movq    8*8(%rdi), %r8
    movq    8*9(%rdi), %r9
    movq    8*10(%rdi), %r10
    movq    8*11(%rdi), %r11
    movq    8*7(%rdi), %rdi
.endm

/*
 * int vmx_enter(struct vcpu *v): returns ENTER_EXIT after a VM exit for the run loop, ENTER_EXIT_HANDLED after
 * one the fast path handled, ENTER_FAIL_INVALID or ENTER_FAIL_VALID if the entry instruction failed (vmx_asm.h).
 * The vCPU pointer stays at the top of the host stack while the guest runs, where the exit stub finds it
 * (HOST_RSP points at it).
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
    movq    8*3(%rdi), %rbx
    movq    8*12(%rdi), %r12
    movq    8*13(%rdi), %r13
    movq    8*14(%rdi), %r14
    movq    8*15(%rdi), %r15
    LOAD_GUEST_CLOBBERED
    jnz     2f
    vmlaunch
    jmp     entry_failed
2:  vmresume
entry_failed:
    movl    $ENTER_FAIL_INVALID, %eax
    jc      3f
    movl    $ENTER_FAIL_VALID, %eax
3:  popq    %rdi
    jmp     restore_host

/* Saves the guest's registers a C call may clobber but RSI and RDI (on the stack), and RBP, into the vCPU at RDI. */
.macro SAVE_GUEST_CLOBBERED
    movq    %rax, 8*0(%rdi)
    movq    %rcx, 8*1(%rdi)
    movq    %rdx, 8*2(%rdi)
    movq    %rbp, 8*5(%rdi)
    movq    %r8, 8*8(%rdi)
    movq    %r9, 8*9(%rdi)
    movq    %r10, 8*10(%rdi)
    movq    %r11, 8*11(%rdi)
.endm

/* Saves the guest's registers a C call keeps, but RBP: RBX and R12-R15. */
.macro SAVE_GUEST_KEPT
    movq    %rbx, 8*3(%rdi)
    movq    %r12, 8*12(%rdi)
    movq    %r13, 8*13(%rdi)
    movq    %r14, 8*14(%rdi)
    movq    %r15, 8*15(%rdi)
.endm

/* After a fast handler: on FAST_RESUME restore what C may have clobbered and resume the guest; otherwise fall
 * through with RDI = the vCPU and EAX = FAST_DECLINED (ENTER_EXIT) or FAST_HANDLED for the run loop. */
.macro RESUME_IF_FAST
    movq    (%rsp), %rdi
    cmpl    $FAST_RESUME, %eax
    jne     .Lloop\@
    LOAD_GUEST_CLOBBERED
    vmresume
    jmp     entry_failed
.Lloop\@:
.endm

/*
 * HOST_RIP. RSP = HOST_RSP: [rsp] holds the vCPU pointer. Interrupts are off (RFLAGS is cleared on exit).
 *
 * The fast path, taken while the run loop has nothing to do before the next entry (vcpu->fast_exits, see
 * vcpu/run.c) and no NMI came in root mode:
 * - CPUID for a leaf the hypervisor passes through is answered here with the guest's registers live: two
 *   scratch registers, four VMREADs, one VMWRITE. Only while the preemption timer holds no deadline and the
 *   guest does not single-step.
 * - The exits in FAST_C_REASONS go to vcpu_fast_exit (vcpu/exit_fast.c) with every register saved, as the
 *   run loop would see them, and RBP zeroed (a backtrace from inside stops there instead of walking guest
 *   memory). Their handlers touch only the registers a C call may clobber, so resuming the guest restores only
 *   those: the C code kept RBX and R12-R15 by the ABI. Or it hands the exit, handled or not, to the run loop.
 * - Port exits go to vcpu_fast_io (vcpu/exit_io.c) the same way, but RBX and R12-R15 are saved only if the
 *   exit goes on to the run loop (fast_io below).
 * Every other exit saves all registers and returns to the run loop.
 */
    .globl vmx_exit_stub
vmx_exit_stub:
    pushq   %rdi
    pushq   %rsi
    movq    16(%rsp), %rdi                  /* the vCPU */
    movl    $VMCS_EXIT_REASON, %esi
    vmread  %rsi, %rsi
    movl    %esi, VCPU_EXIT_REASON(%rdi)    /* the run loop reads it from here */
    testb   $FAST_EXITS_C, VCPU_FAST_EXITS(%rdi)
    jz      save_guest
    cmpb    $0, %gs:PERCPU_NMI_PENDING
    jne     save_guest
    cmpl    $REASON_CPUID, %esi             /* the raw reason: an entry failure (bit 31) never matches */
    je      fast_cpuid
    cmpl    $REASON_IO, %esi
    je      fast_io
    cmpl    $63, %esi
    ja      save_guest
    btq     %rsi, fast_c_reasons(%rip)
    jc      fast_c

save_guest:                                 /* RDI = vCPU; the guest's RSI and RDI are on the stack */
    popq    8*6(%rdi)
    popq    8*7(%rdi)
    SAVE_GUEST_CLOBBERED
    SAVE_GUEST_KEPT
    movl    $ENTER_EXIT, %eax
to_run_loop:
    addq    $8, %rsp                        /* the vCPU pointer */
restore_host:
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret

fast_c:
    popq    8*6(%rdi)
    popq    8*7(%rdi)
    SAVE_GUEST_CLOBBERED
    SAVE_GUEST_KEPT
    xorl    %ebp, %ebp
    call    vcpu_fast_exit
    RESUME_IF_FAST
    jmp     to_run_loop

/*
 * A port exit: vcpu_fast_io (vcpu/exit_io.c) takes a byte IN/OUT to a claimed port and declines the rest. C
 * keeps RBX and R12-R15 by the ABI, and nothing on this path reads them from the vCPU, so they are saved only
 * when the exit goes on to the run loop, still holding the guest's values. RBP is saved and zeroed as for
 * fast_c: a backtrace from inside stops there.
 */
fast_io:
    popq    8*6(%rdi)
    popq    8*7(%rdi)
    SAVE_GUEST_CLOBBERED
    xorl    %ebp, %ebp
    call    vcpu_fast_io
    RESUME_IF_FAST
    SAVE_GUEST_KEPT
    jmp     to_run_loop

fast_cpuid:
    /* Not while the preemption timer holds a deadline (it would need re-arming); leaves 1 to 0xD (among them
     * 1, 5, 7 and 0xD) and the hypervisor's leaves are adjusted in C (vcpu/exit_cpuid.c); nor under RFLAGS.TF,
     * where the CPUID owes the guest a single-step trap that the run loop's RIP advance delivers
     * (vmcs_skip_guest_instruction). */
    testb   $FAST_EXITS_CPUID, VCPU_FAST_EXITS(%rdi)
    jz      save_guest
    leal    -CPUID_LEAF_FEATURES(%rax), %esi    /* unsigned leaf - 1 <= 0xC: leaves 1 to 0xD */
    cmpl    $(CPUID_LEAF_XSAVE - CPUID_LEAF_FEATURES), %esi
    jbe     save_guest
    leal    -CPUID_HV_RANGE(%rax), %esi     /* unsigned leaf - 0x40000000 <= 0xFF: a hypervisor leaf */
    cmpl    $CPUID_HV_RANGE_LAST, %esi
    jbe     save_guest
    movl    $VMCS_GUEST_RFLAGS, %esi
    vmread  %rsi, %rsi
    testl   $RFLAGS_TF, %esi
    jnz     save_guest
    incq    VCPU_EXITS + 8 * REASON_CPUID(%rdi)
    cpuid                                   /* leaf EAX, subleaf ECX; writes RAX..RDX zero-extended */
    /* RIP += instruction length, then resume. */
    movl    $VMCS_EXIT_INSN_LEN, %esi
    vmread  %rsi, %rdi
    movl    $VMCS_GUEST_RIP, %esi
    vmread  %rsi, %rsi
    addq    %rdi, %rsi
    movl    $VMCS_GUEST_RIP, %edi
    vmwrite %rsi, %rdi
    popq    %rsi
    popq    %rdi
    vmresume
    jmp     entry_failed                    /* [rsp] is the vCPU pointer again, as after vmx_enter's VMRESUME */

    .section .rodata
    .balign 8
fast_c_reasons:
    .quad   FAST_C_REASONS
