/* SPDX-License-Identifier: BSD-2-Clause */
/* The exit benchmark guest (kvm-unit-tests vmexit style): times CPUID, VMCALL, UART, RTC, MSR and local APIC (xAPIC
 * MMIO, x2APIC MSR) exits, and interrupts from the local APIC (a self-IPI, the timer) to their handler, with RDTSC.
 *
 * Two modes, one per kind of TSC:
 * - exact: where the TSC counts retired instructions (Bochs with one CPU: one per instruction, one per VM exit),
 *   each exit kind runs N times between two RDTSCs, then the same loop with a NOP where the exiting instruction
 *   was; (tsc - base) / N is the hypervisor's instructions per exit round trip. Each timed exit is also run once
 *   between two Bochs magic breakpoints (xchg %bx,%bx, a NOP elsewhere) for scripts/bench.py to trace.
 * - cycles: elsewhere (QEMU/KVM, bare metal) the kvm-unit-tests doubling loop: 64, 128, ... iterations until
 *   one run takes at least GOAL (2^30) TSC cycles; prints cycles per iteration, with and without the exit.
 * Entry points (the flat image's start= option picks one):
 *   0000:7C00  auto: exact if a calibration loop shows the TSC advancing exactly one per instruction, else cycles
 *   0000:7C10  cycles, goal 2^30 (forced)
 *   0000:7C20  cycles, goal 2^16 (quick: exercises the cycles path in Bochs)
 * Output: "bench: ..." lines on the hypercall console (scripts/bench.py parses them), then HC_EXIT 0.
 */
#include "tests/guests/guest.h"

#define PML4        0x1000
#define STATS       0x6000
#define STACK       0x7000
#define N_EXACT     1600            /* iterations per loop in exact mode */
#define N_TIMER     100             /* for the timer row: its base loop must stay below the hypervisor's 100 ms
                                       stop watch (400,000 TSC ticks in Bochs), which would exit there */
#define GOAL_FULL   30              /* log2 of the cycles a doubling run must reach (kvm-unit-tests GOAL) */
#define GOAL_QUICK  16
#define HC_NULL     0x100           /* no such hypercall: ENOSYS, the hypercall dispatch alone */
#define COM1        0x3F8
#define UART_RBR    0
#define UART_MCR    4
#define UART_LSR    5
#define MCR_LOOP    0x10            /* loopback: THR feeds the receiver, nothing reaches the console */
#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define PIT_CH2     0x42
#define PIT_CONTROL 0x43
#define   PIT_CH2_MSB_MODE0 0xA0  /* counter 2, MSB only, mode 0, binary */
#define PORT_61     0x61
#define   PORT_61_GATE2   0x01
#define   PORT_61_SPEAKER 0x02
#define MODE_AUTO   0
#define MODE_CYCLES 1
#define MODE_QUICK  2
#define TEST_SIZE   56              /* bytes per entry of the tests table */
#define PD_APIC     0x4000          /* page directory of the 4th GiB: maps the xAPIC page (2 MiB, uncached) */
#define IDT         0x5000          /* 64-bit IDT for the interrupt rows: 16 bytes a gate */
#define VEC_APIC    0x40            /* the self-IPI's and the APIC timer's vector: its handler EOIs */
#define VEC_BASE    0x41            /* INT in the base loops: the same handler with a NOP for the EOI */
#define TIMER_COUNT 2000            /* one-shot count, divide by 1: Bochs's APIC timer clock is the TSC (4 MHz) */
#define TIMER_SPIN  1500            /* DEC/JNZ pairs after arming: 3000 instructions, past the deadline */

/* Appends a fixed text to the output line. */
.macro PUT text
    jmp     .Lend\@
.Lmsg\@: .ascii "\text"
.Lend\@: leaq .Lmsg\@(%rip), %rsi
    movl    $(.Lend\@ - .Lmsg\@), %ecx
    call    put_mem
.endm

/* Appends " name=" and the decimal value of a register (not %rax, %rcx, %rdx, %rsi, %rdi). */
.macro PUTNUM name, reg
    PUT     " \name="
    movq    \reg, %rax
    call    put_dec
.endm

    .text
    .code16
    .globl start
start:                              /* 0000:7C00: the first guest instruction reads the TSC */
    rdtsc
    movw    $MODE_AUTO, %bx
    jmp     common
    .org    0x10
    rdtsc                           /* 0000:7C10 */
    movw    $MODE_CYCLES, %bx
    jmp     common
    .org    0x20
    rdtsc                           /* 0000:7C20 */
    movw    $MODE_QUICK, %bx
common:
    cli
    movl    %eax, %cs:first_tsc
    movl    %edx, %cs:first_tsc + 4
    movw    %bx, %cs:mode
    xorw    %ax, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    movw    $STACK, %sp
    ENTER_PROTECTED_MODE protected

    .code32
protected:
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    ENTER_LONG_MODE PML4, 0x18, long_mode

    .code64
long_mode:
    FLAT_DATA_SEGMENTS64
    movq    $STACK, %rsp
    call    map_xapic

    PUT     "bench: started"
    PUTNUM  first-tsc, first_tsc(%rip)
    call    flush

    /* Calibration: two loops of 1000 and 3000 DEC/JNZ pairs differ by exactly 4000 instructions. */
    movl    $1000, %edi
    call    spin
    movq    %rax, %r12
    movl    $3000, %edi
    call    spin
    movq    %rax, %r13
    PUT     "bench: calibration"
    PUTNUM  spin1000, %r12
    PUTNUM  spin3000, %r13
    call    flush
    subq    %r12, %r13
    movl    $GOAL_FULL, %ecx
    cmpw    $MODE_CYCLES, mode(%rip)
    je      cycles_mode
    movl    $GOAL_QUICK, %ecx
    cmpw    $MODE_QUICK, mode(%rip)
    je      cycles_mode
    movl    $GOAL_FULL, %ecx
    cmpq    $4000, %r13
    jne     cycles_mode

    PUT     "bench: mode=exact n="
    movl    $N_EXACT, %eax
    call    put_dec
    call    flush
    leaq    tests(%rip), %rbx
1:  cmpq    $0, (%rbx)
    je      done
    call    exact_test
    addq    $TEST_SIZE, %rbx
    jmp     1b

cycles_mode:
    movl    $1, %eax
    shlq    %cl, %rax
    movq    %rax, goal(%rip)
    movl    %ecx, %r12d
    PUT     "bench: mode=cycles goal=2^"
    movl    %r12d, %eax
    call    put_dec
    call    flush
    leaq    tests(%rip), %rbx
1:  cmpq    $0, (%rbx)
    je      done
    call    cycles_test
    addq    $TEST_SIZE, %rbx
    jmp     1b

done:
    PUT     "bench: done"
    call    flush
    EXIT    0

/* ---- the exit kinds: a body with the exiting instruction, a base with a NOP in its place ----
 * Bodies may clobber rax, rbx, rcx, rdx, rsi, rdi; they keep r8-r15 and rbp. */
cpuid_body:
    xorl    %eax, %eax
    cpuid
    ret
cpuid_base:
    xorl    %eax, %eax
    nop
    ret

vmcall_body:
    movl    $HC_NULL, %eax
    vmcall
    ret
vmcall_base:
    movl    $HC_NULL, %eax
    nop
    ret

thr_body:
    movw    $(COM1 + UART_RBR), %dx
    movb    $'.', %al
    outb    %al, %dx
    ret
thr_base:
    movw    $(COM1 + UART_RBR), %dx
    movb    $'.', %al
    nop
    ret

lsr_body:
    movw    $(COM1 + UART_LSR), %dx
    inb     %dx, %al
    ret
lsr_base:
    movw    $(COM1 + UART_LSR), %dx
    nop
    ret

rtc_body:                           /* two exits: index write, data read */
    movb    $0x00, %al              /* seconds */
    outb    %al, $CMOS_INDEX
    inb     $CMOS_DATA, %al
    ret
rtc_base:
    movb    $0x00, %al
    nop
    nop
    ret

pit_body:                           /* the quick calibration's read of counter 2 (MSB only: one exit a read) */
    inb     $PIT_CH2, %al
    ret
pit_base:
    nop
    ret

port61_body:                        /* firmware delay loops poll the refresh toggle */
    inb     $PORT_61, %al
    ret
port61_base:
    nop
    ret

/* Counter 2 counting down from 0xFF00 in mode 0, its gate on, read MSB only: as Linux's quick calibration. */
pit_on:
    inb     $PORT_61, %al
    andb    $~PORT_61_SPEAKER, %al
    orb     $PORT_61_GATE2, %al
    outb    %al, $PORT_61
    movb    $PIT_CH2_MSB_MODE0, %al
    outb    %al, $PIT_CONTROL
    movb    $0xFF, %al
    outb    %al, $PIT_CH2
    ret

rdmsr_body:                             /* IA32_FEATURE_CONTROL is intercepted: it reads 1 */
    movl    $MSR_IA32_FEATURE_CONTROL, %ecx
    rdmsr
    ret
rdmsr_base:
    movl    $MSR_IA32_FEATURE_CONTROL, %ecx
    nop
    ret

/* THR in loopback (MCR bit 4): the byte goes through the transmitter into the receiver, as the 16550 specifies,
 * and never to the console, so the log stays readable in every mode. Afterwards: loopback off, RBR and LSR read. */
loop_on:
    movb    $MCR_LOOP, %al
    movw    $(COM1 + UART_MCR), %dx
    outb    %al, %dx
    ret
loop_off:
    xorl    %eax, %eax
    movw    $(COM1 + UART_MCR), %dx
    outb    %al, %dx
    movw    $(COM1 + UART_RBR), %dx
    inb     %dx, %al
    movw    $(COM1 + UART_LSR), %dx
    inb     %dx, %al
    ret

/* The local APIC as firmware leaves it: enabled, xAPIC mode, its page at 0xFEE00000 (trapped and emulated by the
 * hypervisor: EPT violation, fetch, decode, run). The EOI with nothing in service is ignored, as the SDM says. */
xapic_read_body:                        /* the version register, as Linux's apic_read */
    movl    $XAPIC_DEFAULT_BASE, %esi
    movl    APIC_VERSION(%rsi), %eax
    ret
xapic_read_base:
    movl    $XAPIC_DEFAULT_BASE, %esi
    nop
    ret

xapic_eoi_body:                         /* as Linux's native_apic_mem_eoi */
    movl    $XAPIC_DEFAULT_BASE, %esi
    xorl    %eax, %eax
    movl    %eax, APIC_EOI(%rsi)
    ret
xapic_eoi_base:
    movl    $XAPIC_DEFAULT_BASE, %esi
    xorl    %eax, %eax
    nop
    ret

/* x2APIC: the EOI MSR, after x2apic_on switched the APIC (xAPIC -> x2APIC is allowed; back needs disable first,
 * SDM 11.12.5, so these rows come last). */
x2apic_eoi_body:
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    wrmsr
    ret
x2apic_eoi_base:
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    nop
    ret

x2apic_on:
    movl    $MSR_IA32_APIC_BASE, %ecx
    rdmsr
    orl     $APIC_BASE_EXTD, %eax
    wrmsr
    ret

/* Interrupts from the local APIC (x2APIC mode, interrupts on: irq_on), to a handler that ends with the EOI, as a
 * driver's does. Each base loop runs the same guest instructions with an INT to a twin handler (a NOP for the
 * EOI) where the body's WRMSR and the interrupt's delivery were: an exit ticks once, as the instruction it stands
 * in for, and an injected interrupt's delivery not at all (Bochs), so the difference is the hypervisor's alone.
 * The self-IPI: WRMSR to SELF IPI exits, the interrupt is injected at the next entry, the handler's EOI exits. */
self_ipi_body:
    movl    $MSR_X2APIC_SELF_IPI, %ecx
    movl    $VEC_APIC, %eax
    xorl    %edx, %edx
    wrmsr                           /* the interrupt comes before the next instruction */
    ret
self_ipi_base:
    movl    $MSR_X2APIC_SELF_IPI, %ecx
    movl    $VEC_APIC, %eax
    xorl    %edx, %edx
    int     $VEC_BASE
    ret

/* The APIC timer, one-shot: WRMSR to the initial count arms it (an exit), the guest computes, the deadline ends
 * it in the middle (a VMX-preemption timer exit, the interrupt injected at that entry), the handler EOIs (an exit). */
apic_timer_body:
    movl    $X2APIC_MSR(APIC_TIMER_INITIAL), %ecx
    movl    $TIMER_COUNT, %eax
    xorl    %edx, %edx
    wrmsr
    movl    $TIMER_SPIN, %edi
1:  decl    %edi
    jnz     1b                      /* the timer fires in here */
    ret
apic_timer_base:
    movl    $X2APIC_MSR(APIC_TIMER_INITIAL), %ecx
    movl    $TIMER_COUNT, %eax
    xorl    %edx, %edx
    nop                             /* the WRMSR */
    int     $VEC_BASE               /* the preemption timer's exit and the delivery */
    movl    $TIMER_SPIN, %edi
1:  decl    %edi
    jnz     1b
    ret

apic_handler:
    pushq   %rcx
    pushq   %rax
    pushq   %rdx
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    wrmsr
    popq    %rdx
    popq    %rax
    popq    %rcx
    iretq
base_handler:
    pushq   %rcx
    pushq   %rax
    pushq   %rdx
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    nop
    popq    %rdx
    popq    %rax
    popq    %rcx
    iretq

/* The IDT's two gates, the 8259 pair masked (only the APIC interrupts), the APIC software-enabled with the timer
 * one-shot on VEC_APIC and divide by 1, then interrupts on for the rest of the run. */
irq_on:
    leaq    apic_handler(%rip), %rax
    movl    $(IDT + VEC_APIC * 16), %edi
    call    set_gate
    leaq    base_handler(%rip), %rax
    movl    $(IDT + VEC_BASE * 16), %edi
    call    set_gate
    lidt    idt_desc(%rip)
    movb    $0xFF, %al
    outb    %al, $0x21
    outb    %al, $0xA1
    xorl    %edx, %edx
    movl    $X2APIC_MSR(APIC_SVR), %ecx
    movl    $(SVR_ENABLE | 0xFF), %eax
    wrmsr
    movl    $X2APIC_MSR(APIC_TIMER_DIVIDE), %ecx
    movl    $0xB, %eax
    wrmsr
    movl    $X2APIC_MSR(APIC_LVT_TIMER), %ecx
    movl    $VEC_APIC, %eax
    wrmsr
    sti
    ret

    SET_GATE_FUNCTION

/* The first GiB's page tables (ENTER_LONG_MODE) miss the xAPIC page: a page directory for the 4th GiB with one
 * uncached 2 MiB page at 0xFEE00000. */
map_xapic:
    movl    $PD_APIC, %edi
    movl    $512, %ecx
    xorl    %eax, %eax
    rep stosq
    movl    $(XAPIC_DEFAULT_BASE | 0x9B), PD_APIC + ((XAPIC_DEFAULT_BASE >> 21) & 511) * 8      /* P, RW, PWT, PCD, PS */
    movl    $(PD_APIC | 3), PML4 + 0x1000 + 3 * 8
    movq    %cr3, %rax
    movq    %rax, %cr3
    ret

/* name (NUL-terminated), body, base, exits per iteration, setup and teardown (0: none), iterations in exact mode. */
.macro BENCH name, body, base, exits, pre=0, post=0, n=N_EXACT
    .quad   \name, \body, \base, \exits, \pre, \post, \n
.endm
    .balign 8
tests:
    BENCH   name_cpuid, cpuid_body, cpuid_base, 1
    BENCH   name_vmcall, vmcall_body, vmcall_base, 1
    BENCH   name_thr, thr_body, thr_base, 1, loop_on, loop_off
    BENCH   name_lsr, lsr_body, lsr_base, 1
    BENCH   name_rtc, rtc_body, rtc_base, 2
    BENCH   name_rdmsr, rdmsr_body, rdmsr_base, 1
    BENCH   name_pit, pit_body, pit_base, 1, pit_on
    BENCH   name_port61, port61_body, port61_base, 1
    BENCH   name_xapic_read, xapic_read_body, xapic_read_base, 1
    BENCH   name_xapic_eoi, xapic_eoi_body, xapic_eoi_base, 1
    BENCH   name_x2apic_eoi, x2apic_eoi_body, x2apic_eoi_base, 1, x2apic_on    /* leaves x2APIC mode on */
    BENCH   name_self_ipi, self_ipi_body, self_ipi_base, 2, irq_on           /* leaves interrupts on */
    BENCH   name_apic_timer, apic_timer_body, apic_timer_base, 3, 0, 0, N_TIMER
    .quad   0
name_cpuid:  .asciz "cpuid"
name_vmcall: .asciz "vmcall"
name_thr:    .asciz "out-thr"
name_lsr:    .asciz "in-lsr"
name_rtc:    .asciz "rtc"
name_rdmsr:  .asciz "rdmsr"
name_pit:    .asciz "pit-msb"
name_port61: .asciz "port61"
name_xapic_read: .asciz "xapic-read"
name_xapic_eoi:  .asciz "xapic-eoi"
name_x2apic_eoi: .asciz "x2apic-eoi"
name_self_ipi:   .asciz "self-ipi"
name_apic_timer: .asciz "apic-timer"

/* ---- measurement ---- */

/* rbx = test. Exact mode: the body and base loops of the test's iterations, then one traced exit. */
exact_test:
    call    test_pre
    movq    8(%rbx), %r12
    call    once                    /* one untimed exit first: no first-time path in the figures */
    movq    48(%rbx), %r14
    call    measure
    pushq   %rax
    pushq   %rdx
    movq    16(%rbx), %r12
    call    measure
    movq    %rax, %r13              /* base ticks */
    movq    %rdx, %r15              /* base exits */
    PUT     "bench: exact "
    call    put_name
    popq    %r12                    /* exits */
    popq    %r14                    /* ticks */
    PUTNUM  tsc, %r14
    PUTNUM  base, %r13
    PUTNUM  exits, %r12
    PUTNUM  base-exits, %r15
    PUTNUM  n, 48(%rbx)
    PUT     " per-iteration="
    movq    %r14, %rax
    subq    %r13, %rax
    xorl    %edx, %edx
    divq    48(%rbx)
    pushq   %rdx
    call    put_dec
    PUT     " rem="
    popq    %rax
    call    put_dec
    call    flush
    /* One exit between two magic breakpoints: bench.py traces the hypervisor's instructions in between. */
    movq    8(%rbx), %r12
    xchgw   %bx, %bx
    call    once
    xchgw   %bx, %bx
    jmp     test_post

/* rbx = test. Cycles mode: the kvm-unit-tests doubling loop for the body, then for the base. */
cycles_test:
    call    test_pre
    movq    8(%rbx), %r12
    call    once
    call    doubling
    pushq   %rax
    pushq   %r14
    movq    16(%rbx), %r12
    call    doubling
    movq    %rax, %r13
    movq    %r14, %r15
    PUT     "bench: cycles "
    call    put_name
    popq    %r14                    /* iterations */
    popq    %r12                    /* cycles */
    PUTNUM  cycles, %r12
    PUTNUM  iterations, %r14
    PUT     " per-iteration="
    movq    %r12, %rax
    xorl    %edx, %edx
    divq    %r14
    call    put_dec
    PUTNUM  base-cycles, %r13
    PUTNUM  base-iterations, %r15
    PUT     " base-per-iteration="
    movq    %r13, %rax
    xorl    %edx, %edx
    divq    %r15
    call    put_dec
    call    flush
    jmp     test_post

test_pre:
    movq    32(%rbx), %rax
    testq   %rax, %rax
    jz      1f
    jmp     *%rax
1:  ret
test_post:
    movq    40(%rbx), %rax
    testq   %rax, %rax
    jz      1f
    jmp     *%rax
1:  ret

/* r12 = body: runs it once (bodies clobber rbx, the test pointer). */
once:
    pushq   %rbx
    call    *%r12
    popq    %rbx
    ret

/* r12 = body: r14 = 32, doubled until a run of r14 iterations takes goal cycles. Returns rax = cycles. */
doubling:
    movl    $32, %r14d
1:  shlq    $1, %r14
    call    measure
    cmpq    goal(%rip), %rax
    jb      1b
    ret

/* r12 = body, r14 = iterations: rax = TSC ticks of the loop, rdx = VM exits in it (from HC_EXIT_STATS). */
measure:
    pushq   %rbx
    call    exits_now
    movq    %rax, %rbp
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, %r15
    movq    %r14, %r13
1:  call    *%r12
    decq    %r13
    jnz     1b
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    subq    %r15, %rax
    movq    %rax, %r15
    call    exits_now
    subq    %rbp, %rax
    leaq    -1(%rax), %rdx          /* the second HC_EXIT_STATS counts itself */
    movq    %r15, %rax
    popq    %rbx
    ret

/* rax = this vCPU's exits so far, this call's own exit included. */
exits_now:
    movl    $HC_EXIT_STATS, %eax
    movl    $STATS, %edi
    movl    $8, %esi                /* the total only */
    vmcall
    movq    STATS + HV_STATS_TOTAL, %rax
    ret

/* edi = pairs: rax = TSC ticks of a DEC/JNZ loop of that many iterations. */
spin:
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, %rsi
1:  decl    %edi
    jnz     1b
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    subq    %rsi, %rax
    ret

/* ---- output: one line at a time through HC_CONSOLE_WRITE ---- */

/* rsi = bytes, rcx = count: appended to the line. */
put_mem:
    movl    line_len(%rip), %edi
    leaq    line(%rip), %rax
    addq    %rax, %rdi
    addl    %ecx, line_len(%rip)
    rep movsb
    ret

/* The current test's name. */
put_name:
    movq    (%rbx), %rsi
    xorl    %ecx, %ecx
1:  cmpb    $0, (%rsi, %rcx)
    je      put_mem
    incl    %ecx
    jmp     1b

/* rax in decimal. */
put_dec:
    leaq    digits_end(%rip), %rsi
    movl    $10, %ecx
1:  xorl    %edx, %edx
    divq    %rcx
    addb    $'0', %dl
    decq    %rsi
    movb    %dl, (%rsi)
    testq   %rax, %rax
    jnz     1b
    leaq    digits_end(%rip), %rcx
    subq    %rsi, %rcx
    jmp     put_mem

/* Ends the line and prints it. */
flush:
    movl    line_len(%rip), %esi
    leaq    line(%rip), %rdi
    movb    $'\n', (%rdi, %rsi)
    incl    %esi
    movl    $HC_CONSOLE_WRITE, %eax
    vmcall
    movl    $0, line_len(%rip)
    ret

    GUEST_GDT
    GUEST_GDT_END
    .balign 8
idt_desc:   .word 256 * 16 - 1
            .quad IDT
first_tsc:  .quad 0
goal:       .quad 0
mode:       .word 0
line_len:   .long 0
digits:     .fill 20, 1, 0
digits_end:
line:       .fill 256, 1, 0
