/* SPDX-License-Identifier: BSD-2-Clause */
/* The vCPU test guest: starts in real mode at 0000:7C00, goes through protected mode to long mode, and checks
 * the hypervisor's CPUID leaves, hypercalls, MSR and CR intercepts, #UD for VMX, and event delivery at HLT.
 * Verdict: HC_EXIT 0 when every check passed, else the number of the check that failed. */
#include "tests/guests/guest.h"

#define PML4        0x1000
#define IDT         0x5000
#define STATS       0x6000
#define STACK       0x7000
#define TEST_VECTOR 0x40
#define HC_NULL     0x100           /* no such hypercall */

.macro FAIL16 code, msg
    PRINT16 "vcpu-test: FAILED: \msg"
    EXIT \code
.endm
.macro FAIL32 code, msg
    PRINT32 "vcpu-test: FAILED: \msg"
    EXIT \code
.endm
.macro FAIL64 code, msg
    PRINT64 "vcpu-test: FAILED: \msg"
    EXIT \code
.endm

/* A distinct value in each register an exit must preserve (all but RAX, RBX, RCX, RDX and RSP), then a check;
 * `flip` varies the values, so that a register the hypervisor failed to save cannot hold them by chance. */
.macro SET_PATTERNS flip=0
    .irp r, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
    movabsq $(PATTERN_\r ^ \flip), %\r
    .endr
.endm
.macro CHECK_PATTERNS code, msg, flip=0
    pushq   %rax
    .irp r, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
    movabsq $(PATTERN_\r ^ \flip), %rax
    cmpq    %rax, %\r
    jne     .Lbad\@
    .endr
    popq    %rax
    jmp     .Lgood\@
.Lbad\@:
    FAIL64  \code, "\msg"
.Lgood\@:
.endm
.set PATTERN_rbp, 0x5BB5A55A0F0F0F05
.set PATTERN_rsi, 0x5BB5A55A0F0F0F06
.set PATTERN_rdi, 0x5BB5A55A0F0F0F07
.set PATTERN_r8, 0x5BB5A55A0F0F0F08
.set PATTERN_r9, 0x5BB5A55A0F0F0F09
.set PATTERN_r10, 0x5BB5A55A0F0F0F0A
.set PATTERN_r11, 0x5BB5A55A0F0F0F0B
.set PATTERN_r12, 0x5BB5A55A0F0F0F0C
.set PATTERN_r13, 0x5BB5A55A0F0F0F0D
.set PATTERN_r14, 0x5BB5A55A0F0F0F0E
.set PATTERN_r15, 0x5BB5A55A0F0F0F0F

/*
 * FAULT_BEGIN label / instructions / FAULT_END label, counter, code, msg: the instructions must fault once,
 * which the handler counts in `counter`, resuming at `label`. (GAS ends a macro argument at ';', so the
 * instructions go between the two macros.)
 */
.macro FAULT_BEGIN label
    leaq    \label(%rip), %rax
    movq    %rax, resume(%rip)
    movl    gp_count(%rip), %r12d
    movl    ud_count(%rip), %r13d
.endm
.macro FAULT_END label, counter, saved, code, msg
\label:
    incl    \saved
    cmpl    \saved, \counter(%rip)
    je      .Lok\@
    FAIL64  \code, "\msg"
.Lok\@:
.endm

    .text
    .code16
    .globl start
start:
    REAL_MODE_START STACK
    PRINT16 "vcpu-test: real mode: started at 0000:7c00"

    movl    $HV_CPUID_BASE, %eax
    cpuid
    cmpl    $HV_SIGNATURE_EBX, %ebx
    jne     1f
    cmpl    $HV_SIGNATURE_ECX, %ecx
    jne     1f
    cmpl    $HV_SIGNATURE_EDX, %edx
    je      2f
1:  FAIL16  1, "CPUID 0x40000000 signature"
2:  movl    $1, %eax
    cpuid
    testl   $CPUID_1_ECX_VMX, %ecx
    jz      1f
    FAIL16  2, "CPUID.1:ECX.VMX is visible"
1:  testl   $CPUID_1_ECX_HYPERVISOR, %ecx
    jnz     1f
    FAIL16  3, "CPUID.1:ECX hypervisor bit is clear"
1:  PRINT16 "vcpu-test: real mode: CPUID says MiniVisorVTx, VMX hidden, hypervisor bit set"

    ENTER_PROTECTED_MODE protected

    .code32
protected:
    FLAT_DATA_SEGMENTS
    movl    $STACK, %esp
    PRINT32 "vcpu-test: protected mode: entered through CR0.PE"
    movl    $MSR_IA32_FEATURE_CONTROL, %ecx     /* intercepted */
    rdmsr
    cmpl    $1, %eax
    jne     1f
    testl   %edx, %edx
    jz      2f
1:  FAIL32  4, "IA32_FEATURE_CONTROL does not read 1"
2:  PRINT32 "vcpu-test: protected mode: IA32_FEATURE_CONTROL reads 1 (locked, VMX off)"

    ENTER_LONG_MODE PML4, 0x18, long_mode

    .code64
long_mode:
    FLAT_DATA_SEGMENTS64
    movq    $STACK, %rsp
    movl    $MSR_IA32_EFER, %ecx
    rdmsr
    testl   $EFER_LMA, %eax
    jnz     1f
    FAIL64  5, "EFER.LMA is clear in 64-bit code"
1:  PRINT64 "vcpu-test: long mode: entered through EFER.LME and CR0.PG"

    /* An IDT for the faults we provoke and the interrupt we ask for. */
    leaq    ud_handler(%rip), %rax
    movl    $(IDT + 6 * 16), %edi
    call    set_gate
    leaq    gp_handler(%rip), %rax
    movl    $(IDT + 13 * 16), %edi
    call    set_gate
    leaq    irq_handler(%rip), %rax
    movl    $(IDT + TEST_VECTOR * 16), %edi
    call    set_gate
    lidt    idt_desc(%rip)

    FAULT_BEGIN .Lfault1
    movl $0x40000123, %ecx
    rdmsr
    FAULT_END .Lfault1, gp_count, %r12d, 6, "RDMSR of unknown MSR 0x40000123 did not #GP"
    FAULT_BEGIN .Lfault2
    movl $0x480, %ecx
    rdmsr
    FAULT_END .Lfault2, gp_count, %r12d, 7, "RDMSR of IA32_VMX_BASIC did not #GP"
    FAULT_BEGIN .Lfault3
    movl $MSR_IA32_FEATURE_CONTROL, %ecx
    xorl %eax, %eax
    xorl %edx, %edx
    wrmsr
    FAULT_END .Lfault3, gp_count, %r12d, 8, "WRMSR of IA32_FEATURE_CONTROL did not #GP"
    PRINT64 "vcpu-test: long mode: unknown and VMX MSRs raise #GP"
    movl    $MSR_IA32_APIC_BASE, %ecx   /* its own local APIC: off is legal (SDM Vol. 3A 11.12.5), then back */
    rdmsr
    pushq   %rax
    andl    $~(APIC_BASE_EN | APIC_BASE_EXTD), %eax
    wrmsr
    rdmsr
    testl   $APIC_BASE_EN, %eax
    jz      1f
    FAIL64  28, "IA32_APIC_BASE did not turn the guest's local APIC off"
1:  popq    %rax                        /* disabled -> xAPIC */
    wrmsr
    X2APIC_ON                           /* xAPIC -> x2APIC */
    FAULT_BEGIN .Lfault_apic_back
    movl    $MSR_IA32_APIC_BASE, %ecx   /* x2APIC -> xAPIC directly is not a legal transition */
    rdmsr
    andl    $~APIC_BASE_EXTD, %eax
    wrmsr
    FAULT_END .Lfault_apic_back, gp_count, %r12d, 34, "IA32_APIC_BASE let x2APIC mode go straight to xAPIC"
    FAULT_BEGIN .Lfault_apic_reserved
    movl    $MSR_IA32_APIC_BASE, %ecx   /* a reserved bit: #GP for the guest, no fault in the hypervisor */
    rdmsr
    orl     $1, %eax
    wrmsr
    FAULT_END .Lfault_apic_reserved, gp_count, %r12d, 30, "a reserved bit in IA32_APIC_BASE did not #GP"
    FAULT_BEGIN .Lfault_icr_reserved
    movl    $MSR_X2APIC_ICR, %ecx       /* with reserved bit 16 */
    movl    $0x10000, %eax
    xorl    %edx, %edx
    wrmsr
    FAULT_END .Lfault_icr_reserved, gp_count, %r12d, 31, "a reserved bit in the x2APIC ICR did not #GP"
    PRINT64 "vcpu-test: long mode: IA32_APIC_BASE turns its own local APIC off and on; illegal transitions and reserved bits #GP"
    movl    $MSR_IA32_TIME_STAMP_COUNTER, %ecx  /* := 2^40: only our view moves */
    xorl    %eax, %eax
    movl    $0x100, %edx
    wrmsr
    rdtsc
    cmpl    $0x100, %edx
    je      1f
    FAIL64  29, "the TSC does not read back what was written"
1:  PRINT64 "vcpu-test: long mode: a TSC write moves the guest's TSC (offsetting), not the hypervisor's"
    FAULT_BEGIN .Lfault4
    vmxon vmxon_region(%rip)
    FAULT_END .Lfault4, ud_count, %r13d, 9, "VMXON did not #UD"
    FAULT_BEGIN .Lfault5
    vmread %rax, %rbx
    FAULT_END .Lfault5, ud_count, %r13d, 10, "VMREAD did not #UD"
    FAULT_BEGIN .Lfault6
    invept invept_desc(%rip), %rax
    FAULT_END .Lfault6, ud_count, %r13d, 11, "INVEPT did not #UD"
    PRINT64 "vcpu-test: long mode: VMXON, VMREAD and INVEPT raise #UD"
    FAULT_BEGIN .Lfault7
    movq %cr4, %rax
    orq $(1 << 13), %rax
    movq %rax, %cr4
    FAULT_END .Lfault7, gp_count, %r12d, 12, "setting CR4.VMXE did not #GP"
    movq    %cr4, %rax
    testq   $(1 << 13), %rax
    jz      1f
    FAIL64  13, "CR4 reads with VMXE set"
1:  PRINT64 "vcpu-test: long mode: CR4.VMXE is hidden and cannot be set"

    movl    $99, %eax                   /* no such hypercall */
    vmcall
    cmpq    $HC_ENOSYS, %rax
    je      1f
    FAIL64  14, "hypercall 99 did not return ENOSYS"
1:  movl    $HV_CPUID_MEMORY, %eax      /* a pointer into the hypervisor, wherever it sits */
    cpuid
    movl    %eax, %edi
    movl    $HC_CONSOLE_WRITE, %eax
    movl    $16, %esi
    vmcall
    cmpq    $HC_EFAULT, %rax
    je      1f
    FAIL64  15, "console write from hypervisor memory did not return EFAULT"
1:  movl    $HC_CONSOLE_WRITE, %eax     /* too long */
    movl    $0x100000, %edi
    movl    $100000, %esi
    vmcall
    cmpq    $HC_EINVAL, %rax
    je      1f
    FAIL64  16, "an oversized console write did not return EINVAL"
1:  PRINT64 "vcpu-test: long mode: bad hypercalls get ENOSYS, EFAULT, EINVAL"

    movl    $HC_RAISE_INTERRUPT, %eax
    movl    $TEST_VECTOR, %edi
    vmcall
    testq   %rax, %rax
    jz      1f
    FAIL64  17, "HC_RAISE_INTERRUPT failed"
1:  cmpl    $0, irq_count(%rip)         /* interrupts are off: nothing delivered yet */
    je      1f
    FAIL64  18, "an interrupt arrived with RFLAGS.IF clear"
1:  sti
    hlt
    cli
    cmpl    $1, irq_count(%rip)
    je      1f
    FAIL64  19, "the pending interrupt was not delivered at sti; hlt"
1:  PRINT64 "vcpu-test: long mode: a pending interrupt ends sti; hlt"

    movl    $1, %eax
    cpuid
    testl   $(1 << 26), %ecx            /* XSAVE */
    jz      2f
    testl   $(1 << 27), %ecx            /* CPUID.1:ECX.OSXSAVE mirrors the guest's CR4: still clear */
    jz      1f
    FAIL64  32, "CPUID shows OSXSAVE before the guest set CR4.OSXSAVE"
1:  movq    %cr4, %rax
    orq     $(1 << 18), %rax            /* OSXSAVE */
    movq    %rax, %cr4
    movl    $1, %eax
    cpuid
    testl   $(1 << 27), %ecx
    jnz     1f
    FAIL64  33, "CPUID does not show OSXSAVE after the guest set CR4.OSXSAVE"
1:
    xorl    %ecx, %ecx
    movl    $3, %eax                    /* x87 | SSE */
    xorl    %edx, %edx
    xsetbv
    xorl    %ecx, %ecx
    xgetbv
    cmpl    $3, %eax
    je      1f
    FAIL64  20, "XCR0 does not read back 3"
1:  FAULT_BEGIN .Lfault_xsetbv
    xorl    %ecx, %ecx
    movl    $2, %eax
    xorl    %edx, %edx
    xsetbv
    FAULT_END .Lfault_xsetbv, gp_count, %r12d, 21, "XSETBV without x87 did not #GP"
    PRINT64 "vcpu-test: long mode: XSETBV checked, then done"
2:
    /* A passed-through leaf is answered in the exit stub (vcpu/vmx/vmx_entry.S): CPUID's own rules, the other
     * registers untouched, and each exit counted. */
    call    cpuid_exits
    movq    %rax, cpuid_before(%rip)
    SET_PATTERNS
    movabsq $0xFFFFFFFF00000000, %rax   /* leaf 0, subleaf 0: CPUID reads only EAX and ECX */
    movq    %rax, %rcx
    movq    $-1, %rbx
    movq    $-1, %rdx
    cpuid
    CHECK_PATTERNS 34, "CPUID changed a register it does not write"
    movq    %rax, %r8
    orq     %rbx, %r8
    orq     %rcx, %r8
    orq     %rdx, %r8
    shrq    $32, %r8
    jz      1f
    FAIL64  35, "CPUID left the high half of RAX, RBX, RCX or RDX set"
1:  testl   %eax, %eax
    jnz     1f
    FAIL64  36, "CPUID.0:EAX (the highest basic leaf) reads 0"
1:  movl    %ebx, %r8d
    movl    %ecx, %r9d
    movl    %edx, %r10d
    xorl    %eax, %eax
    xorl    %ecx, %ecx
    cpuid
    cmpl    %ebx, %r8d
    jne     2f
    cmpl    %ecx, %r9d
    jne     2f
    cmpl    %edx, %r10d
    je      1f
2:  FAIL64  37, "two CPUID.0 give different vendor strings"
1:  call    cpuid_exits
    subq    cpuid_before(%rip), %rax
    cmpq    $2, %rax
    je      1f
    FAIL64  38, "two CPUID exits were not counted as two"
1:  PRINT64 "vcpu-test: long mode: passed-through CPUID keeps registers and is counted"

    /* Port I/O on the exit fast path (vcpu/exit_fast.c): the UART's scratch register holds what was written,
     * IN merges by its size, and only RAX changes. A 32-bit read over the UART's 8-bit ports is split by the
     * slow path, and zero-extends. */
    SET_PATTERNS
    movabsq $0x0123456789ABCDEF, %rbx
    movabsq $0x00000000000003FF, %rdx   /* COM1 scratch register */
    movabsq $0xFEDCBA9876543210, %rcx
    movb    $0x5A, %al
    outb    %al, %dx
    movabsq $0x1122334455667700, %rax
    inb     %dx, %al
    CHECK_PATTERNS 39, "a port exit changed a register it does not write"
    movabsq $0x112233445566775A, %r8
    cmpq    %r8, %rax
    jne     2f
    movabsq $0x0123456789ABCDEF, %r8
    cmpq    %r8, %rbx
    jne     2f
    movabsq $0xFEDCBA9876543210, %r8
    cmpq    %r8, %rcx
    jne     2f
    cmpq    $0x3FF, %rdx
    jne     2f
    /* The wide accesses go on to the run loop, which the exit stub completes the saved registers for. */
    SET_PATTERNS 0x3C00
    movabsq $0x0123456789AB3CEF, %rbx   /* a value no exit has saved yet */
    movw    $0x5AA5, %ax
    movw    $0x3FE, %dx
    outw    %ax, %dx                    /* 16-bit write to 8-bit ports: MSR (read-only) drops 0xA5, SCR gets 0x5A */
    movq    $-1, %rax
    movw    $0x3FF, %dx
    inw     %dx, %ax                    /* SCR, then the machine's port 0x400 (passed through) */
    movb    $0xFF, %ah                  /* whatever the machine has there */
    movabsq $0xFFFFFFFFFFFFFF5A, %rcx
    cmpq    %rcx, %rax
    jne     2f
    movq    $-1, %rax
    movw    $0x3FC, %dx
    inl     %dx, %eax
    CHECK_PATTERNS 39, "a port exit changed a register it does not write", 0x3C00
    movabsq $0x0123456789AB3CEF, %rcx
    cmpq    %rcx, %rbx
    jne     2f
    shrq    $32, %rax
    jz      1f
2:  FAIL64  40, "IN/OUT through the UART scratch register gave the wrong RAX, RBX, RCX or RDX"
1:  PRINT64 "vcpu-test: long mode: port exits merge RAX by size and keep the other registers"

    /* RDMSR, WRMSR and VMCALL on the fast path: only the registers they write change. */
    SET_PATTERNS
    movabsq $0x0123456789ABCDEF, %rbx
    movl    $MSR_IA32_FEATURE_CONTROL, %ecx     /* reads 1 */
    rdmsr
    CHECK_PATTERNS 41, "RDMSR changed a register it does not write"
    cmpl    $1, %eax
    jne     2f
    testl   %edx, %edx
    jne     2f
    movl    $MSR_IA32_TIME_STAMP_COUNTER, %ecx  /* write it back where it is */
    rdmsr
    SET_PATTERNS
    movl    $MSR_IA32_TIME_STAMP_COUNTER, %ecx
    wrmsr
    CHECK_PATTERNS 41, "WRMSR changed a register it does not write"
    movl    $HC_NULL, %eax              /* an unknown hypercall: ENOSYS in RAX, nothing else */
    SET_PATTERNS
    vmcall
    CHECK_PATTERNS 41, "VMCALL changed a register it does not write"
    movabsq $0x0123456789ABCDEF, %r8
    cmpq    %r8, %rbx
    je      1f
2:  FAIL64  41, "RDMSR, WRMSR or VMCALL gave the wrong RAX/RDX or changed RBX"
1:  PRINT64 "vcpu-test: long mode: RDMSR, WRMSR and VMCALL keep the registers they do not write"

    movl    $HC_EXIT_STATS, %eax
    movl    $STATS, %edi
    movl    $(8 + 8 * HV_EXIT_REASONS), %esi
    vmcall
    cmpq    $(8 + 8 * HV_EXIT_REASONS), %rax
    je      1f
    FAIL64  22, "HC_EXIT_STATS returned the wrong size"
1:  cmpq    $3, STATS + HV_STATS_REASON(10)     /* CPUID: real mode twice, long mode once */
    jae     1f
    FAIL64  23, "fewer than 3 CPUID exits counted"
1:  cmpq    $10, STATS + HV_STATS_REASON(18)    /* VMCALL */
    jae     1f
    FAIL64  24, "fewer than 10 VMCALL exits counted"
1:  cmpq    $1, STATS + HV_STATS_REASON(12)     /* HLT */
    je      1f
    FAIL64  25, "HLT exits not counted once"
1:  cmpq    $3, STATS + HV_STATS_REASON(28)     /* CR access: PE, PAE, PG at least */
    jae     1f
    FAIL64  26, "fewer than 3 CR-access exits counted"
1:  PRINT64 "vcpu-test: long mode: exit statistics count CPUID, VMCALL, HLT and CR exits"
    PRINT64 "vcpu-test: all checks passed"
    EXIT    0
    FAIL64  27, "HC_EXIT returned"

    SET_GATE_FUNCTION

/* RAX = the CPUID exits counted so far (HC_EXIT_STATS into STATS). */
cpuid_exits:
    movl    $HC_EXIT_STATS, %eax
    movl    $STATS, %edi
    movl    $(8 + 8 * HV_EXIT_REASONS), %esi
    vmcall
    movq    STATS + HV_STATS_REASON(10), %rax
    ret

/* Faults resume at the address the test stored in `resume`. */
gp_handler:
    addq    $8, %rsp                    /* error code */
    incl    gp_count(%rip)
    jmp     1f
ud_handler:
    incl    ud_count(%rip)
1:  movq    resume(%rip), %rax
    movq    %rax, (%rsp)
    iretq
irq_handler:
    incl    irq_count(%rip)
    iretq

    GUEST_GDT
    GUEST_GDT_END
idt_desc:
    .word   (TEST_VECTOR + 1) * 16 - 1
    .quad   IDT
    .balign 8
resume:         .quad 0
cpuid_before:   .quad 0
vmxon_region:   .quad 0
invept_desc:    .quad 0, 0
gp_count:       .long 0
ud_count:       .long 0
irq_count:      .long 0
