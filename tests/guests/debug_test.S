/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug test guest: the guest's debug registers, breakpoints, single-step and INVD across VM exits. */
#include "tests/guests/guest.h"

/*
 * Scenario n starts at 0000:7c00 + 8 * n (module line `flat start=0000:7c08` and so on), in long mode:
 *   0 dr7          DR7 and IA32_DEBUGCTL read back unchanged after CPUID, port, VMCALL, RDMSR and CR exits
 *   1 breakpoint   instruction breakpoints (DR0-DR2) deliver #DB after exits, also on and right after an
 *                  instruction the hypervisor emulated (RFLAGS.RF must not outlive it)
 *   2 invd         INVD at CPL 0 goes on, and memory written before it keeps its value
 *   3 single-step  RFLAGS.TF over emulated OUT, IN, CPUID (fast and slow), RDMSR, VMCALL, INVD and a MOV SS
 *                  shadow: exactly one #DB per instruction, at the next instruction, with DR6.BS
 * Verdict: HC_EXIT 0, else the number of the failed check.
 */
#define PML4        0x1000
#define IDT         0x5000
#define STACK       0x7000
#define COM1_SCR    0x3FF           /* UART scratch register: emulated, no side effect */
#define HC_NULL     0x100           /* no such hypercall: ENOSYS */
#define DR6_B0      (1 << 0)
#define DR6_B1      (1 << 1)
#define DR6_B2      (1 << 2)
#define DR6_BS      (1 << 14)
#define DR6_CLEAR   0xFFFF0FF0      /* DR6 with no condition reported (SDM Vol. 3B 18.2.3) */
#define DR7_FIXED   0x400
#define DR7_L0      (1 << 0)        /* local enables; R/W and LEN 0 = instruction breakpoint */
#define DR7_L1      (1 << 2)
#define DR7_L2      (1 << 4)
#define DR7_DATA1   (DR7_FIXED | (1 << 8) | DR7_L1 | (1 << 20))  /* LE, L1: write of byte DR1 */
#define DATA_WATCH  0x6F00          /* never written */
#define MAX_DB      32

.macro FAIL64 code, msg
    PRINT64 "debug-test: FAILED: \msg"
    EXIT \code
.endm

/* DR7 and DEBUGCTL still hold what the dr7 scenario wrote (DEBUGCTL: what it read back then, in R15), after
 * `what`. */
.macro CHECK_DEBUG code, what
    movq    %dr7, %rax
    cmpq    $DR7_DATA1, %rax
    je      .Ldr7\@
    FAIL64  \code, "DR7 changed across \what"
.Ldr7\@:
    movl    $MSR_IA32_DEBUGCTL, %ecx
    rdmsr
    cmpl    %r15d, %eax
    je      .Lok\@
    FAIL64  (\code + 50), "IA32_DEBUGCTL changed across \what"
.Lok\@:
.endm

/* One single-stepped instruction: the #DB it owes is expected at the address right after it. */
.macro STEP insn:vararg
    \insn
.Lafter\@:
    .pushsection .text, 1
    .quad   .Lafter\@
    .popsection
.endm

    .text
    .code16
    .globl start
start:
    .irp n, 0, 1, 2, 3
    .balign 8
    movw    $\n, %bp
    jmp     common
    .endr

common:
    REAL_MODE_START STACK
    cld
    movzwl  %bp, %ebp
    ENTER_PROTECTED_MODE protected

    .code32
protected:
    FLAT_DATA_SEGMENTS
    movl    $STACK, %esp
    ENTER_LONG_MODE PML4, 0x18, long_mode

    .code64
long_mode:
    FLAT_DATA_SEGMENTS64
    movq    $STACK, %rsp
    leaq    db_handler(%rip), %rax
    movl    $(IDT + 1 * 16), %edi
    call    set_gate
    leaq    other_handler(%rip), %rax
    .irp v, 0, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14
    movl    $(IDT + \v * 16), %edi
    call    set_gate
    .endr
    lidt    idt_desc(%rip)
    leaq    scenarios(%rip), %rax
    jmp     *(%rax, %rbp, 8)

/* ---- 0: DR7 and IA32_DEBUGCTL across exits (the exit must save them, the entry load them: SDM 25.7.1) ---- */
dr7:
    movq    $DATA_WATCH, %rax
    movq    %rax, %dr1
    movq    $DR7_DATA1, %rax
    movq    %rax, %dr7
    movl    $MSR_IA32_DEBUGCTL, %ecx
    movl    $DEBUGCTL_LBR, %eax
    xorl    %edx, %edx
    wrmsr
    rdmsr
    movl    %eax, %r15d
    cmpl    $DEBUGCTL_LBR, %eax
    je      1f
    /* Bochs 2.7 has no IA32_DEBUGCTL MSR: it ignores the write and reads 0 (the VMCS field still exists). */
    PRINT64 "debug-test: dr7: IA32_DEBUGCTL reads 0 after a write of LBR: no such MSR here, checked as 0"
    jmp     2f
1:  PRINT64 "debug-test: dr7: IA32_DEBUGCTL holds LBR"
2:  CHECK_DEBUG 1, "nothing"
    xorl    %eax, %eax
    cpuid
    CHECK_DEBUG 2, "a CPUID exit (leaf 0)"
    movl    $1, %eax
    cpuid
    CHECK_DEBUG 3, "a CPUID exit (leaf 1)"
    movw    $COM1_SCR, %dx
    movb    $0xA5, %al
    outb    %al, %dx
    CHECK_DEBUG 4, "an OUT exit"
    movw    $COM1_SCR, %dx
    inb     %dx, %al
    CHECK_DEBUG 5, "an IN exit"
    movl    $HC_NULL, %eax
    vmcall
    CHECK_DEBUG 6, "a VMCALL exit"
    movl    $MSR_IA32_FEATURE_CONTROL, %ecx
    rdmsr
    CHECK_DEBUG 7, "an RDMSR exit"
    movq    %cr4, %rax
    movq    %rax, %cr4
    CHECK_DEBUG 8, "a CR4 exit"
    movq    $DR7_FIXED, %rax
    movq    %rax, %dr7
    PRINT64 "debug-test: dr7: DR7 and IA32_DEBUGCTL keep their values across CPUID, port, VMCALL, RDMSR and CR exits"
    EXIT    0

/* ---- 1: instruction breakpoints after exits, on and after an emulated instruction ---- */
breakpoint:
    leaq    bp_plain(%rip), %rax
    movq    %rax, %dr0
    leaq    bp_out(%rip), %rax
    movq    %rax, %dr1
    leaq    bp_after_out(%rip), %rax
    movq    %rax, %dr2
    movq    $(DR7_FIXED | DR7_L0), %rax
    movq    %rax, %dr7
    xorl    %eax, %eax
    cpuid
    movw    $COM1_SCR, %dx
    outb    %al, %dx
bp_plain:
    nop
    cmpl    $1, db_count(%rip)
    je      1f
    FAIL64  10, "a DR0 instruction breakpoint after CPUID and OUT exits did not fire once"
1:  leaq    bp_plain(%rip), %rax
    cmpq    %rax, db_rips(%rip)
    jne     1f
    testl   $DR6_B0, db_dr6s(%rip)
    jnz     2f
1:  FAIL64  11, "the DR0 #DB came at the wrong RIP or without DR6.B0"
2:  PRINT64 "debug-test: breakpoint: DR0 fires after CPUID and OUT exits"
    /* DR1 on an OUT, DR2 on the instruction after it: the handler returns with RF set to step off DR1's
     * fault; the OUT is emulated, and RF must be gone after it (SDM Vol. 3B 18.3.1.1) for DR2 to fire. */
    movq    $(DR7_FIXED | DR7_L1 | DR7_L2), %rax
    movq    %rax, %dr7
    movw    $COM1_SCR, %dx
bp_out:
    outb    %al, %dx
bp_after_out:
    nop
    movq    $DR7_FIXED, %rax
    movq    %rax, %dr7
    cmpl    $3, db_count(%rip)
    je      1f
    FAIL64  12, "DR1 on an emulated OUT and DR2 right after it did not fire once each"
1:  leaq    bp_out(%rip), %rax
    cmpq    %rax, db_rips + 8(%rip)
    jne     1f
    leaq    bp_after_out(%rip), %rax
    cmpq    %rax, db_rips + 16(%rip)
    jne     1f
    testl   $DR6_B1, db_dr6s + 8(%rip)
    jz      1f
    testl   $DR6_B2, db_dr6s + 16(%rip)
    jnz     2f
1:  FAIL64  13, "the DR1/DR2 #DBs came at the wrong RIP or without DR6.B1/B2"
2:  PRINT64 "debug-test: breakpoint: DR1 on an emulated OUT and DR2 right after it fire once each"
    EXIT    0

/* ---- 2: INVD (an unconditional exit, SDM Vol. 3C 26.1.2) ---- */
invd:
    movabsq $0x1122334455667788, %rax
    movq    %rax, invd_word(%rip)
    invd
    movabsq $0x1122334455667788, %rax
    cmpq    %rax, invd_word(%rip)
    je      1f
    FAIL64  20, "memory written before INVD lost its value"
1:  PRINT64 "debug-test: invd: INVD at CPL 0 went on; memory written before it kept its value"
    EXIT    0

/* ---- 3: single-step over emulated instructions (SDM Vol. 3C 27.3.4, pending debug exceptions) ---- */
single_step:
    .pushsection .text, 1
    .balign 8
step_rips:
    .popsection
    movw    $COM1_SCR, %dx
    movb    $0x5A, %al
    pushfq
    orq     $RFLAGS_TF, (%rsp)
    popfq                               /* TF was clear as POPF began: the first trap follows the next one */
    STEP    outb %al, %dx               /* the fast port path (vcpu_fast_io) */
    STEP    movb $0, %al
    STEP    inb %dx, %al
    STEP    movl %eax, %r8d
    STEP    xorl %eax, %eax
    STEP    cpuid                       /* leaf 0: the CPUID path in assembly */
    STEP    movl $1, %eax
    STEP    cpuid                       /* leaf 1: the run loop */
    STEP    movl $MSR_IA32_FEATURE_CONTROL, %ecx
    STEP    rdmsr                       /* the fast C exits */
    STEP    movl $HC_NULL, %eax
    STEP    vmcall
    STEP    invd                        /* the run loop */
    STEP    movw %ss, %ax
    movw    %ax, %ss                    /* MOV SS holds its own trap back until the next instruction ends */
    STEP    outb %al, %dx
    STEP    nop                         /* the handler clears TF here */
    .pushsection .text, 1
step_rips_end:
    .popsection
    cmpb    $0x5A, %r8b
    je      1f
    FAIL64  30, "IN of the scratch register under single-step read the wrong value"
1:  movl    db_count(%rip), %eax
    cmpl    $((step_rips_end - step_rips) / 8), %eax
    je      1f
    FAIL64  31, "single-step: not exactly one #DB per instruction"
1:  leaq    step_rips(%rip), %rsi
    leaq    db_rips(%rip), %rdi
    leaq    db_dr6s(%rip), %rdx
    movl    db_count(%rip), %ecx
2:  movq    (%rsi), %rax
    cmpq    %rax, (%rdi)
    je      3f
    FAIL64  32, "single-step: a #DB came at the wrong RIP"
3:  testl   $DR6_BS, (%rdx)
    jnz     4f
    FAIL64  33, "single-step: a #DB without DR6.BS"
4:  addq    $8, %rsi
    addq    $8, %rdi
    addq    $8, %rdx
    decl    %ecx
    jnz     2b
    PRINT64 "debug-test: single-step: one #DB per instruction over OUT, IN, CPUID, RDMSR, VMCALL, INVD and MOV SS"
    EXIT    0

    SET_GATE_FUNCTION

/* #DB: records RIP and DR6, clears DR6, returns with RF (steps off an instruction breakpoint) and, at the end
 * of the single-step sequence, with TF clear. */
db_handler:
    pushq   %rax
    pushq   %rcx
    pushq   %rdx
    movl    db_count(%rip), %ecx
    cmpl    $MAX_DB, %ecx
    jae     1f
    movq    24(%rsp), %rax
    leaq    db_rips(%rip), %rdx
    movq    %rax, (%rdx, %rcx, 8)
    movq    %dr6, %rax
    leaq    db_dr6s(%rip), %rdx
    movq    %rax, (%rdx, %rcx, 8)
1:  incl    db_count(%rip)
    movl    $DR6_CLEAR, %eax
    movq    %rax, %dr6
    orq     $RFLAGS_RF, 40(%rsp)
    leaq    step_rips_end(%rip), %rax
    movq    -8(%rax), %rax              /* the last expected single-step RIP */
    cmpq    %rax, 24(%rsp)
    jne     2f
    andq    $~RFLAGS_TF, 40(%rsp)
2:  popq    %rdx
    popq    %rcx
    popq    %rax
    iretq

other_handler:
    FAIL64  90, "an unexpected exception"

    .balign 8
scenarios:
    .quad   dr7, breakpoint, invd, single_step
    GUEST_GDT
    GUEST_GDT_END
idt_desc:
    .word   15 * 16 - 1
    .quad   IDT
    .balign 8
invd_word:      .quad 0
db_count:       .long 0
    .balign 8
db_rips:        .fill MAX_DB, 8, 0
db_dr6s:        .fill MAX_DB, 8, 0
