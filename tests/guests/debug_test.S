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
 *   4 step-irq     RFLAGS.TF and IF over an emulated OUT that unmasks a pending 8259A interrupt (the UART's
 *                  THRE, IRQ 4): the #DB the OUT owes comes first, then the interrupt, each once
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
#define PIC1_CMD    0x20            /* the emulated 8259A pair */
#define PIC1_DATA   0x21
#define PIC2_CMD    0xA0
#define PIC2_DATA   0xA1
#define PIC_ICW1    0x11            /* edge, cascade, ICW4 follows */
#define PIC_ICW4    0x01            /* 8086 mode */
#define PIC_READ_IRR 0x0A           /* OCW3: the next read of the command port gives IRR */
#define PIC_EOI     0x20            /* OCW2: non-specific EOI */
#define IRQ_BASE    0x20            /* remapped as Linux does: master 0x20-0x27, slave 0x28-0x2F */
#define COM1_IRQ    4
#define COM1_IER    0x3F9
#define COM1_MCR    0x3FC
#define IER_ETBEI   0x02            /* THR-empty interrupt */
#define MCR_OUT2    0x08            /* gates the UART's interrupt onto IRQ 4 (PC wiring) */
#define IDT_VECTORS (IRQ_BASE + 16)
#define MAX_EV      8
#define EV_DB       1
#define EV_IRQ      2

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
    .irp n, 0, 1, 2, 3, 4
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
    .irp v, 0, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14
    leaq    other_handler(%rip), %rax   /* each time: set_gate shifts RAX */
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

/*
 * ---- 4: a single-step trap and an interrupt at the same instruction boundary ----
 * An OUT the hypervisor emulates unmasks IRQ 4, pending in the 8259A, with RFLAGS.IF and TF set. The CPU
 * takes the trap of the instruction just run before an interrupt (SDM Vol. 3A 6.9): the #DB (DR6.BS, RIP
 * after the OUT) first, then the interrupt at the same RIP once the #DB handler's IRET has run. The hypervisor
 * owes that #DB as a pending debug exception, which a VM entry injecting the interrupt would drop (SDM Vol. 3C
 * 27.7.3): it must hold the interrupt back for its window exit.
 */
step_irq:
    leaq    step_irq_db(%rip), %rax
    movl    $(IDT + 1 * 16), %edi
    call    set_gate
    .irp v, 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    leaq    stray_irq(%rip), %rax
    movl    $(IDT + (IRQ_BASE + \v) * 16), %edi
    call    set_gate
    .endr
    leaq    com1_irq(%rip), %rax
    movl    $(IDT + (IRQ_BASE + COM1_IRQ) * 16), %edi
    call    set_gate
    /* The 8259A pair as Linux sets it up, every line masked. */
    movb    $PIC_ICW1, %al
    outb    %al, $PIC1_CMD
    outb    %al, $PIC2_CMD
    movb    $IRQ_BASE, %al
    outb    %al, $PIC1_DATA
    movb    $(IRQ_BASE + 8), %al
    outb    %al, $PIC2_DATA
    movb    $(1 << 2), %al              /* ICW3: the slave on IRQ 2 */
    outb    %al, $PIC1_DATA
    movb    $2, %al                     /* ICW3: the slave's cascade identity */
    outb    %al, $PIC2_DATA
    movb    $PIC_ICW4, %al
    outb    %al, $PIC1_DATA
    outb    %al, $PIC2_DATA
    movb    $0xFF, %al
    outb    %al, $PIC1_DATA
    outb    %al, $PIC2_DATA
    /* The UART raises IRQ 4 (THR empty: the console goes by hypercall, the transmitter is idle). */
    movw    $COM1_MCR, %dx
    movb    $MCR_OUT2, %al
    outb    %al, %dx
    movw    $COM1_IER, %dx
    movb    $IER_ETBEI, %al
    outb    %al, %dx
    movb    $PIC_READ_IRR, %al
    outb    %al, $PIC1_CMD
    inb     $PIC1_CMD, %al
    testb   $(1 << COM1_IRQ), %al
    jnz     1f
    FAIL64  40, "step-irq: IRQ 4 (the UART's THRE) is not pending in the master 8259A's IRR"
1:  movb    $(0xFF & ~(1 << COM1_IRQ)), %al
    pushfq
    orq     $(RFLAGS_TF | RFLAGS_IF), (%rsp)
    popfq                               /* IF on, IRQ 4 still masked; TF: the trap follows the next instruction */
    nop
irq_out:
    outb    %al, $PIC1_DATA             /* unmasks IRQ 4: the trap of the OUT, and the interrupt */
irq_after_out:
    nop                                 /* the #DB handler cleared TF: no trap here */
irq_late:
    nop
    cli
    movw    $COM1_IER, %dx
    xorl    %eax, %eax
    outb    %al, %dx
    /* Expected: #DB at irq_out, #DB at irq_after_out, the interrupt at irq_after_out (or, late, irq_late). */
    xorl    %ecx, %ecx                  /* #DBs */
    xorl    %edx, %edx                  /* interrupts */
    movl    ev_count(%rip), %r8d
    cmpl    $MAX_EV, %r8d
    jbe     1f
    FAIL64  41, "step-irq: more events than recorded"
1:  leaq    ev_kinds(%rip), %rsi
    xorl    %edi, %edi
2:  cmpl    %r8d, %edi
    jae     4f
    cmpb    $EV_DB, (%rsi, %rdi)
    jne     3f
    incl    %ecx
3:  cmpb    $EV_IRQ, (%rsi, %rdi)
    jne     3f
    incl    %edx
3:  incl    %edi
    jmp     2b
4:  testl   %edx, %edx
    jnz     1f
    FAIL64  42, "step-irq: the interrupt unmasked under single-step was lost"
1:  cmpl    $1, %edx
    je      1f
    FAIL64  43, "step-irq: the interrupt came more than once"
1:  cmpb    $EV_DB, ev_kinds(%rip)
    jne     1f
    leaq    irq_out(%rip), %rax
    cmpq    %rax, ev_rips(%rip)
    jne     1f
    testl   $DR6_BS, ev_dr6s(%rip)
    jnz     2f
1:  FAIL64  46, "step-irq: the first event is not the single-step #DB at the OUT"
    /* The trap of the OUT: a #DB with DR6.BS at irq_after_out. Without it, the stepping goes on after the
     * interrupt handler's IRET and the NOP there traps at irq_late instead. */
2:  leaq    irq_after_out(%rip), %rax
    xorl    %edi, %edi
1:  cmpl    %r8d, %edi
    jae     2f
    cmpb    $EV_DB, (%rsi, %rdi)
    jne     3f
    leaq    ev_rips(%rip), %r9
    cmpq    %rax, (%r9, %rdi, 8)
    jne     3f
    leaq    ev_dr6s(%rip), %r9
    testl   $DR6_BS, (%r9, %rdi, 8)
    jnz     4f
3:  incl    %edi
    jmp     1b
2:  FAIL64  44, "step-irq: the single-step #DB of the OUT that unmasked the interrupt was lost"
4:  cmpl    $2, %ecx
    je      2f
    FAIL64  45, "step-irq: not exactly one #DB per single-stepped instruction"
2:  cmpb    $EV_DB, ev_kinds + 1(%rip)
    je      1f
    FAIL64  47, "step-irq: the interrupt came before the single-step #DB of the OUT"
1:  leaq    irq_after_out(%rip), %rax
    cmpq    %rax, ev_rips + 8(%rip)
    jne     1f
    testl   $DR6_BS, ev_dr6s + 8(%rip)
    jnz     2f
1:  FAIL64  48, "step-irq: the #DB of the OUT came at the wrong RIP or without DR6.BS"
2:  cmpq    %rax, ev_rips + 16(%rip)
    je      1f
    leaq    irq_late(%rip), %rax
    cmpq    %rax, ev_rips + 16(%rip)
    je      2f
    FAIL64  49, "step-irq: the interrupt came at the wrong RIP"
2:  PRINT64 "debug-test: step-irq: the interrupt came one instruction late, after the #DB"
1:  PRINT64 "debug-test: step-irq: the #DB of the OUT that unmasked IRQ 4 came first, then the interrupt, once each"
    EXIT    0

/* #DB of step-irq: records RIP and DR6 in the event log, clears DR6; stepping ends with any trap but the one
 * at the OUT. */
step_irq_db:
    pushq   %rax
    pushq   %rcx
    pushq   %rdx
    movl    ev_count(%rip), %ecx
    cmpl    $MAX_EV, %ecx
    jae     1f
    movq    24(%rsp), %rax
    leaq    ev_rips(%rip), %rdx
    movq    %rax, (%rdx, %rcx, 8)
    movq    %dr6, %rax
    leaq    ev_dr6s(%rip), %rdx
    movq    %rax, (%rdx, %rcx, 8)
    leaq    ev_kinds(%rip), %rdx
    movb    $EV_DB, (%rdx, %rcx)
1:  incl    ev_count(%rip)
    movl    $DR6_CLEAR, %eax
    movq    %rax, %dr6
    leaq    irq_out(%rip), %rax
    cmpq    %rax, 24(%rsp)
    je      2f
    andq    $~RFLAGS_TF, 40(%rsp)       /* the trap of the OUT (or any later one) ends the stepping */
2:  popq    %rdx
    popq    %rcx
    popq    %rax
    iretq

/* IRQ 4: recorded, masked again (the UART holds its line up) and acknowledged. */
com1_irq:
    pushq   %rax
    pushq   %rcx
    pushq   %rdx
    movl    ev_count(%rip), %ecx
    cmpl    $MAX_EV, %ecx
    jae     1f
    movq    24(%rsp), %rax
    leaq    ev_rips(%rip), %rdx
    movq    %rax, (%rdx, %rcx, 8)
    leaq    ev_kinds(%rip), %rdx
    movb    $EV_IRQ, (%rdx, %rcx)
1:  incl    ev_count(%rip)
    movb    $0xFF, %al
    outb    %al, $PIC1_DATA
    movb    $PIC_EOI, %al
    outb    %al, $PIC1_CMD
    popq    %rdx
    popq    %rcx
    popq    %rax
    iretq

stray_irq:
    FAIL64  50, "step-irq: an interrupt on another 8259A vector"

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
    .quad   dr7, breakpoint, invd, single_step, step_irq
    GUEST_GDT
    GUEST_GDT_END
idt_desc:
    .word   IDT_VECTORS * 16 - 1
    .quad   IDT
    .balign 8
invd_word:      .quad 0
db_count:       .long 0
    .balign 8
db_rips:        .fill MAX_DB, 8, 0
db_dr6s:        .fill MAX_DB, 8, 0
ev_count:       .long 0
    .balign 8
ev_rips:        .fill MAX_EV, 8, 0
ev_dr6s:        .fill MAX_EV, 8, 0
ev_kinds:       .fill MAX_EV, 1, 0
