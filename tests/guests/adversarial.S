/* SPDX-License-Identifier: BSD-2-Clause */
/* The adversarial guest: one misbehaviour per scenario, chosen by the entry point (start=0000:7cNN, see below). */
#include "tests/guests/guest.h"

/*
 * Scenario n starts at 0000:7c00 + 8 * n (module line `flat start=0000:7c08` and so on):
 *   0 hv-read    reads the start of the hypervisor's block           -> vm-stop ept-violation access=r, rip 7d00
 *   1 hv-write   writes its second page                              -> vm-stop ept-violation access=w, rip 7d10
 *   2 hv-exec    jumps to its start                                  -> vm-stop ept-violation access=x, rip = it
 *   3 hv-pdpte   PAE paging with CR3 at its start (PDPTEs read)      -> vm-stop ept-violation access=r, rip 7d40
 *   4 triple     #UD with an empty IDT, known registers              -> guest: reset via triple fault, rip 7d20
 *   5 strings    REP OUTSB/INSB through the UART in real, protected and long mode, odd counts, DF=0/1, > 256
 *   6 ports      16- and 32-bit accesses to 8-bit device ports
 *   7 calls      faults in real mode; VMX instructions, unknown MSRs, bad hypercalls in long mode
 *   8 flood      FLOOD_LINES numbered lines through the UART, polling LSR
 *   9 init-bsp   INIT to itself on the boot vCPU                     -> vm-stop init-of-boot-cpu, rip 7d32
 *  10 init-ap    an AP sends INIT to itself, then a second SIPI restarts it (2 CPUs)
 *  11 random     random bytes to every PIC, ELCR, RTC and UART port -> exit code 42
 *  12 tpr        the boot CPU raises its TPR to 15 and spins exit-free; an AP ends the run (2 CPUs)
 *  13 tpr-ap     an AP raises its TPR to 15 and spins exit-free; the boot CPU ends the run (2 CPUs)
 *  14 ioapic-init  starts the PIT and programs the I/O APIC (the guest's own: the machine's is no longer reachable)
 *                to send INIT to the boot CPU on the PIT's pin, then spins
 *                                                                    -> vm-stop init-of-boot-cpu, rip 7d50
 *  15 vectors    interrupts on the hypervisor's own vectors 0xF0 and 0xFF: self-IPIs and IPIs to itself arrive,
 *                each once, and are EOI'd
 *  16 apic-off   the boot CPU software-disables its APIC, raises TPR to 15 and spins; an AP ends the run (2 CPUs)
 *  17 deadline   the guest writes its TSC, then a TSC-deadline timer interrupt must come
 *  18 init-storm the boot CPU restarts an AP with INIT-SIPI 100 times, then sends it 300 more INITs (physical
 *                and all-but-self), INIT de-asserts, NMIs and an INIT with the self shorthand; a last SIPI lets the
 *                AP end the run (2 CPUs)
 *  19 apic-move  xAPIC mode: the x2APIC MSRs #GP; the boot CPU moves its xAPIC page to 0xFEF00000 and finds its
 *                APIC there, nothing at 0xFEE00000 (junk written there goes nowhere); junk into every I/O APIC
 *                register; then the moved page's ICR starts an AP, which ends the run (2 CPUs)
 *  20 apic-ram   moves the xAPIC page onto RAM                       -> vm-stop apic-base-moved, rip 7d60
 * The instructions that stop the VM sit at fixed addresses (the .org slots), so the tests know the report's RIP.
 * The hypervisor's block is where CPUID 0x40000002 says (hv_block), wherever the hypervisor moved itself; the
 * long-mode scenarios map the first GiB only, so hv-read, hv-write and hv-exec need the block below 1 GiB.
 * Verdict of the scenarios that do not stop: HC_EXIT 0 (42 for random), else the number of the failed check.
 */
#define PML4        0x1000
#define PDPT        0x2000
#define PD          0x3000
#define PD_HIGH     0x4000          /* linear 1 GiB..: 2 MiB pages out of order, to test the guest page walk */
#define IDT         0x5000
#define AP_FLAG     0x6F00
#define AP_COUNT    0x6F04          /* init-storm: the AP's starts */
#define PD_TOP      0x10000         /* apic-move: linear 3-4 GiB, identity, uncached */
#define XAPIC_SCENARIOS 19          /* scenarios from here on keep the xAPIC mode and map the top GiB */
#define XAPIC       0xFEE00000
#define XAPIC_MOVED 0xFEF00000      /* neither RAM nor a device in Bochs's map */
#define STACK       0x7000
#define COM1        0x3F8
#define LSR_IDLE    0x60            /* THRE | TEMT, nothing received */
#define FLOOD_LINES 1000
#define RANDOM_OPS  4000
#define AP_PAGE_A   0x20            /* SIPI vectors: the AP code is copied to 0x20000 and 0x21000 */
#define AP_PAGE_B   0x21
#define ICR_INIT_ASSERT (ICR_INIT | ICR_LEVEL_ASSERT)   /* to an APIC ID: INIT has no self shorthand (SDM 11.6.1) */
#define TPR_HOLD_ALL 0xF0           /* task priority 15 holds every interrupt vector */
#define IOAPIC      0xFEC00000      /* the guest's I/O APIC: the machine's own at this address is the hypervisor's */
#define IOAPIC_WIN  0x10            /* IOWIN; IOREGSEL is at offset 0 */
#define IOREDTBL_LO(pin) (0x10 + 2 * (pin))
#define IOREDTBL_HI(pin) (0x11 + 2 * (pin))
#define PIT_PIN     2               /* IRQ 0 -> GSI 2 (the MADT's override): the emulated PIT ticks on it */
#define PIT_CTRL    0x43
#define PIT_CH0     0x40
#define PIT_RATE_GEN 0x34           /* counter 0, LSB then MSB, mode 2 (rate generator), binary */
#define PIT_10MS    11932           /* 1.193182 MHz / 100 */
#define REDIR_INIT  0x500           /* delivery mode INIT, physical destination, edge, unmasked */

/* Long-mode buffers in the out-of-order mapping: 1 GiB + [0,2M) -> 4 MiB, [2M,4M) -> 2 MiB, [4M,6M) -> 8 MiB... */
#define HIGH        0x40000000
#define LSRC        (HIGH + 0x1FFFFA)   /* 16 bytes straddling a 2 MiB page boundary */
#define LDST        (HIGH + 0x5FFFFA)
#define BIG         (HIGH + 0x3FFF9C)   /* 301 bytes straddling another */

.macro FAIL16 code, msg
    PRINT16 "adv: FAILED: \msg"
    EXIT \code
.endm
.macro FAIL32 code, msg
    PRINT32 "adv: FAILED: \msg"
    EXIT \code
.endm
.macro FAIL64 code, msg
    PRINT64 "adv: FAILED: \msg"
    EXIT \code
.endm

/*
 * REP OUTSB `n` bytes from seg:src (DF = dfo) to the UART in loopback, then REP INSB them into ES:dst (DF = dfi);
 * checks the index and count registers after each and the bytes (reversed when the directions differ).
 * cmpsrc is src as DS sees it. m: 16, 32 or 64; si, di, cx: that mode's registers.
 */
.macro LOOPBACK m, si, di, cx, seg, src, cmpsrc, dst, n, dfo, dfi, code
    movw    $(COM1 + 2), %dx
    movb    $7, %al
    outb    %al, %dx                    /* FCR: FIFOs on and emptied */
    mov     $(\src + \dfo * (\n - 1)), \si
    mov     $\n, \cx
    .if \dfo
    std
    .endif
    movw    $COM1, %dx
    rep outsb \seg:(\si), (%dx)
    cld
    cmp     $(\src + \n - \dfo * (\n + 1)), \si
    jne     .Lbad\@
    test    \cx, \cx
    jnz     .Lbad\@
    mov     $(\dst + \dfi * (\n - 1)), \di
    mov     $\n, \cx
    .if \dfi
    std
    .endif
    rep insb (%dx), %es:(\di)
    cld
    cmp     $(\dst + \n - \dfi * (\n + 1)), \di
    jne     .Lbad\@
    test    \cx, \cx
    jnz     .Lbad\@
    mov     $\cmpsrc, \si
    mov     $(\dst + (\dfo ^ \dfi) * (\n - 1)), \di
    mov     $\n, \cx
.Lcmp\@:
    movb    (\si), %al
    cmpb    %al, %es:(\di)
    jne     .Lbad\@
    inc     \si
    .if \dfo ^ \dfi
    dec     \di
    .else
    inc     \di
    .endif
    loop    .Lcmp\@
    jmp     .Lok\@
.Lbad\@:
    FAIL\m  \code, "REP OUTSB/INSB through the UART loopback, check \code"
.Lok\@:
.endm

/* Same fault bookkeeping as vcpu_test.S: the instructions between the two macros must fault exactly once. */
.macro FAULT_BEGIN label
    leaq    \label(%rip), %rax
    movq    %rax, resume(%rip)
    movl    fault_count(%rip), %r12d
.endm
.macro FAULT_END label, code, msg
\label:
    incl    %r12d
    cmpl    %r12d, fault_count(%rip)
    je      .Lok\@
    FAIL64  \code, "\msg"
.Lok\@:
.endm

/* A hypercall with bad arguments gets `want` in RAX and changes nothing else. */
.macro HC nr, a0, a1, want, code
    movabsq $\a0, %rdi
    HC_RDI  \nr, \a0, \a1, \want, \code
.endm

/* HC with the first argument `off` bytes from the start of the hypervisor's block. */
.macro HC_HV nr, off, a1, want, code
    movl    hv_block, %edi
    leaq    \off(%rdi), %rdi
    HC_RDI  \nr, "hv+\off", \a1, \want, \code
.endm

/* A hypercall with RDI loaded (`what` names it in the message): the result, and RDI and RSI unchanged. */
.macro HC_RDI nr, what, a1, want, code
    movabsq $\nr, %rax
    movabsq $\a1, %rsi
    movq    %rdi, %r8
    movq    %rsi, %r9
    vmcall
    cmpq    $\want, %rax
    jne     .Lbad\@
    cmpq    %r8, %rdi
    jne     .Lbad\@
    cmpq    %r9, %rsi
    je      .Lok\@
.Lbad\@:
    FAIL64  \code, "hypercall \nr(\what, \a1) did not return \want alone"
.Lok\@:
.endm

/* Real-mode faults resume at rm_resume; FAULT16 label / instructions / label: must fault once. */
.macro RM_FAULT label
    movw    $\label, rm_resume
.endm

    .text
    .code16
    .globl start
start:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
    .balign 8
    movw    $\n, %bp
    jmp     common
    .endr

/* ---- the instructions that stop the VM, at fixed addresses ---- */
    .code64
    .org    0x100
slot_hv_read:                           /* 0x7d00, RBX = the hypervisor's block */
    movq    (%rbx), %rax
    jmp     slot_returned
    .org    0x110
slot_hv_write:                          /* 0x7d10, RBX = the hypervisor's block */
    movq    %rax, 0x1000(%rbx)
    jmp     slot_returned
    .org    0x120
slot_triple:                            /* 0x7d20 */
    ud2
    jmp     slot_returned
    .org    0x130
slot_init_self:                         /* 0x7d30 */
    wrmsr
    jmp     slot_returned
    .code32
    .org    0x140
slot_pdpte:                             /* 0x7d40 */
    movl    %eax, %cr0
    jmp     pdpte_returned
    .org    0x150
slot_wait_init:                         /* 0x7d50 */
    jmp     slot_wait_init
    .code64
    .org    0x160
slot_apic_base:                         /* 0x7d60 */
    wrmsr
    jmp     slot_returned

    .org    0x180
    .code16
common:
    REAL_MODE_START STACK
    cld
    movl    $HV_CPUID_MEMORY, %eax
    cpuid
    movl    %eax, hv_block
    movzwl  %bp, %ebp
    cmpw    $5, %bp
    jne     1f
    call    strings16
1:  cmpw    $7, %bp
    jne     1f
    call    faults16

1:  ENTER_PROTECTED_MODE protected

/* Real mode: ES has a base (0x6000), DS not; SI/DI/CX wrap at 64 KiB and the upper halves stay as they were. */
strings16:
    movl    $0xABCD0000, %esi
    movl    $0xBCDE0000, %edi
    movl    $0xCDEF0000, %ecx
    movw    $(COM1 + 4), %dx
    movb    $0x10, %al
    outb    %al, %dx                    /* MCR: loopback */
    movw    $0x600, %ax
    movw    %ax, %es
    LOOPBACK 16, %si, %di, %cx, %ds, lb_src, lb_src, 0x200, 7, 0, 0, 30
    LOOPBACK 16, %si, %di, %cx, %ds, lb_src, lb_src, 0x200, 13, 1, 1, 31
    LOOPBACK 16, %si, %di, %cx, %ds, lb_src, lb_src, 0x200, 9, 0, 1, 32
    LOOPBACK 16, %si, %di, %cx, %ds, lb_src, lb_src, 0x200, 11, 1, 0, 33
    movl    %esi, %eax
    shrl    $16, %eax
    cmpw    $0xABCD, %ax
    jne     1f
    movl    %edi, %eax
    shrl    $16, %eax
    cmpw    $0xBCDE, %ax
    jne     1f
    movl    %ecx, %eax
    shrl    $16, %eax
    cmpw    $0xCDEF, %ax
    je      2f
1:  FAIL16  34, "a 16-bit REP INSB/OUTSB changed the upper half of ESI, EDI or ECX"
    /* REP INSB with DI wrapping from 0xFFFF to 0 (address size 16): ES:FFFE, ES:FFFF, ES:0000, ES:0001. */
2:  movl    $0xFFFFFFFF, %eax
    movl    %eax, %es:0xFFFC
    movl    %eax, %es:0
    movw    $0xFFFE, %di
    movw    $4, %cx
    movw    $(COM1 + 5), %dx
    rep insb
    cmpw    $2, %di
    jne     1f
    cmpl    $((LSR_IDLE << 24) | (LSR_IDLE << 16) | 0xFFFF), %es:0xFFFC
    jne     1f
    cmpl    $(0xFFFF0000 | (LSR_IDLE << 8) | LSR_IDLE), %es:0
    je      2f
1:  FAIL16  35, "REP INSB did not wrap DI at 64 KiB"
2:  xorw    %ax, %ax
    movw    %ax, %es
    PRINT16 "adv: strings: real mode: REP OUTSB/INSB of 7, 13, 9, 11 bytes, DF=0/1, DI wraps at 64 KiB"
    ret

/* Real mode: exceptions have no error code; the hypervisor must inject #GP and #UD without one. */
faults16:
    movw    $rm_fault, 6 * 4            /* #UD */
    movw    $0, 6 * 4 + 2
    movw    $rm_fault, 13 * 4           /* #GP */
    movw    $0, 13 * 4 + 2
    RM_FAULT .Lrm1
    movl    $0x40000123, %ecx
    rdmsr
.Lrm1:
    RM_FAULT .Lrm2
    movl    $MSR_IA32_FEATURE_CONTROL, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    wrmsr
.Lrm2:
    RM_FAULT .Lrm3
    movl    %cr4, %eax
    orl     $(1 << 13), %eax
    movl    %eax, %cr4
.Lrm3:
    RM_FAULT .Lrm4
    vmxon   vmxon_region
.Lrm4:
    cmpw    $4, rm_faults
    je      1f
    FAIL16  40, "real mode: RDMSR, WRMSR, CR4.VMXE and VMXON did not fault once each"
1:  PRINT16 "adv: calls: real mode: unknown RDMSR, WRMSR of FEATURE_CONTROL, CR4.VMXE, VMXON fault"
    ret

rm_fault:
    pushw   %bp
    movw    %sp, %bp
    pushw   %ax
    movw    rm_resume, %ax
    movw    %ax, 2(%bp)                 /* the IRET goes to rm_resume */
    popw    %ax
    popw    %bp
    incw    rm_faults
    iret

    .code32
protected:
    FLAT_DATA_SEGMENTS
    movl    $STACK, %esp
    cmpl    $3, %ebp
    jne     1f
    movl    hv_block, %eax              /* PAE paging: the CPU loads four PDPTEs from CR3 */
    movl    %eax, %cr3
    movl    %cr4, %eax
    orl     $CR4_PAE, %eax
    movl    %eax, %cr4
    movl    %cr0, %eax
    orl     $CR0_PG, %eax
    jmp     slot_pdpte
1:  cmpl    $14, %ebp
    jne     1f
    movb    $PIT_RATE_GEN, %al          /* the emulated PIT ticks only once programmed; its control word */
    outb    %al, $PIT_CTRL              /* raises OUT (an edge), so the I/O APIC entry is unmasked after it */
    movb    $(PIT_10MS & 0xFF), %al
    outb    %al, $PIT_CH0
    movb    $(PIT_10MS >> 8), %al
    outb    %al, $PIT_CH0
    movl    $IOAPIC, %ebx               /* destination APIC ID 0 (bits 63:56), then the low half unmasks */
    movl    $IOREDTBL_HI(PIT_PIN), (%ebx)
    movl    $0, IOAPIC_WIN(%ebx)
    movl    $IOREDTBL_LO(PIT_PIN), (%ebx)
    movl    $REDIR_INIT, IOAPIC_WIN(%ebx)
    jmp     slot_wait_init              /* the next PIT tick sends INIT to the boot CPU */
1:  cmpl    $5, %ebp
    jne     1f
    call    strings32

    /* Identity-map the first GiB with 2 MiB pages; linear 1 GiB + [0, 8 MiB) out of order. */
1:  movl    $PML4, %edi
    movl    $(4 * 4096 / 4), %ecx
    xorl    %eax, %eax
    rep stosl
    movl    $(PDPT | 3), PML4
    movl    $(PD | 3), PDPT
    movl    $(PD_HIGH | 3), PDPT + 8
    movl    $PD, %edi
    movl    $0x83, %eax
    movl    $512, %ecx
1:  movl    %eax, (%edi)
    addl    $0x200000, %eax
    addl    $8, %edi
    loop    1b
    movl    $(0x400000 | 0x83), PD_HIGH
    movl    $(0x200000 | 0x83), PD_HIGH + 8
    movl    $(0x800000 | 0x83), PD_HIGH + 16
    movl    $(0x600000 | 0x83), PD_HIGH + 24
    movl    %cr4, %eax
    orl     $CR4_PAE, %eax
    movl    %eax, %cr4
    movl    $PML4, %eax
    movl    %eax, %cr3
    movl    $MSR_IA32_EFER, %ecx
    rdmsr
    orl     $EFER_LME, %eax
    wrmsr
    movl    %cr0, %eax
    orl     $CR0_PG, %eax
    movl    %eax, %cr0
    ljmp    $0x18, $long_mode

pdpte_returned:
    FAIL32  2, "PAE paging with the PDPTEs in hypervisor memory went on"

/* Protected mode, flat: the source through FS (base 0x6000) as well as DS. */
strings32:
    movw    $(COM1 + 4), %dx
    movb    $0x10, %al
    outb    %al, %dx
    movw    $0x20, %ax
    movw    %ax, %fs
    LOOPBACK 32, %esi, %edi, %ecx, %ds, lb_src, lb_src, 0x6200, 15, 0, 0, 36
    LOOPBACK 32, %esi, %edi, %ecx, %ds, lb_src, lb_src, 0x6200, 5, 1, 1, 37
    LOOPBACK 32, %esi, %edi, %ecx, %fs, (lb_src - 0x6000), lb_src, 0x6200, 3, 1, 0, 38
    movw    $0x10, %ax
    movw    %ax, %fs
    PRINT32 "adv: strings: protected mode: REP OUTSB/INSB of 15, 5, 3 bytes, DF=0/1, through DS and FS"
    ret

    .code64
long_mode:
    FLAT_DATA_SEGMENTS64
    movq    $STACK, %rsp
    leaq    ud_handler(%rip), %rax
    movl    $(IDT + 6 * 16), %edi
    call    set_gate
    leaq    gp_handler(%rip), %rax
    movl    $(IDT + 13 * 16), %edi
    call    set_gate
    lidt    idt_desc(%rip)
    cmpl    $XAPIC_SCENARIOS, %ebp
    jae     1f
    X2APIC_ON                           /* the scenarios use the x2APIC MSRs */
    jmp     2f
1:  movl    $PD_TOP, %edi               /* the xAPIC scenarios: the top GiB (APICs, I/O APIC), 2 MiB pages, UC */
    movl    $(0xC0000000 | 0x9B), %eax
    movl    $512, %ecx
3:  movl    %eax, (%rdi)
    movl    $0, 4(%rdi)
    addl    $0x200000, %eax
    addq    $8, %rdi
    loop    3b
    movq    $(PD_TOP | 3), PDPT + 24
    movq    %cr3, %rax
    movq    %rax, %cr3
2:  leaq    scenarios(%rip), %rax
    jmp     *(%rax, %rbp, 8)

slot_returned:
    FAIL64  1, "the guest went on after an access that must stop it"
hv_read:
    movl    hv_block, %ebx
    jmp     slot_hv_read
hv_write:
    movl    hv_block, %ebx
    movabsq $0xCCCCCCCCCCCCCCCC, %rax
    jmp     slot_hv_write
hv_exec:
    movl    hv_block, %eax
    jmp     *%rax
triple:
    lidt    empty_idt(%rip)
    movabsq $0x1111111111111111, %rax
    movabsq $0x2222222222222222, %rbx
    movabsq $0x3333333333333333, %rcx
    movabsq $0x4444444444444444, %rdx
    jmp     slot_triple
init_bsp:
    movl    $MSR_X2APIC_ID, %ecx        /* its own APIC ID is the destination */
    rdmsr
    movl    %eax, %edx
    movl    $MSR_X2APIC_ICR, %ecx
    movl    $ICR_INIT_ASSERT, %eax
    jmp     slot_init_self

strings64:
    /* The source copied to where it straddles two out-of-order 2 MiB pages; FS based at 1 GiB. */
    leaq    lb_src(%rip), %rsi
    movl    $LSRC, %edi
    movl    $16, %ecx
    rep movsb
    movl    $MSR_IA32_FS_BASE, %ecx
    movl    $HIGH, %eax
    xorl    %edx, %edx
    wrmsr
    LOOPBACK 64, %rsi, %rdi, %rcx, %ds, LSRC, LSRC, LDST, 13, 0, 0, 50
    LOOPBACK 64, %rsi, %rdi, %rcx, %fs, (LSRC - HIGH), LSRC, LDST, 15, 1, 1, 51
    LOOPBACK 64, %rsi, %rdi, %rcx, %ds, LSRC, LSRC, LDST, 1, 1, 0, 52
    /* 301 LSR reads in one REP INSB (256 per exit, then the rest), forwards then backwards. */
    movw    $(COM1 + 5), %dx
    movl    $BIG, %edi
    movl    $301, %ecx
    rep insb
    cmpq    $(BIG + 301), %rdi
    jne     1f
    testq   %rcx, %rcx
    jnz     1f
    movl    $BIG, %edi
    movl    $301, %ecx
    movb    $LSR_IDLE, %al
    repe scasb
    jne     1f
    movl    $BIG, %edi
    movl    $301, %ecx
    xorl    %eax, %eax
    rep stosb
    movl    $(BIG + 300), %edi
    movl    $301, %ecx
    std
    rep insb
    cld
    cmpq    $(BIG - 1), %rdi
    jne     1f
    testq   %rcx, %rcx
    jnz     1f
    movl    $BIG, %edi
    movl    $301, %ecx
    movb    $LSR_IDLE, %al
    repe scasb
    je      2f
1:  FAIL64  53, "REP INSB of 301 bytes"
    /* 301 bytes in one REP OUTSB to the console (loopback off). */
2:  movw    $(COM1 + 4), %dx
    xorl    %eax, %eax
    outb    %al, %dx
    leaq    long_text(%rip), %rsi
    movl    $(long_text_end - long_text), %ecx
    movw    $COM1, %dx
    rep outsb
    leaq    long_text_end(%rip), %rax
    cmpq    %rax, %rsi
    jne     1f
    testq   %rcx, %rcx
    jz      2f
1:  FAIL64  54, "REP OUTSB of 301 bytes: RSI or RCX wrong"
2:  PRINT64 "adv: strings: long mode: REP OUTSB/INSB of 13, 15, 1 bytes across pages, DF=0/1, through DS and FS"
    PRINT64 "adv: strings: long mode: REP INSB of 301 bytes, DF=0 and DF=1"
    EXIT    0

/* in/out of `size` at `port`, compared with `want` (masked to `mask`). */
.macro PORT_IN insn, port, reg, mask, want, code
    movw    $\port, %dx
    xorl    %eax, %eax
    \insn   %dx, \reg
    andl    $\mask, %eax
    cmpl    $\want, %eax
    je      .Lok\@
    FAIL64  \code, "\insn \port did not read \want"
.Lok\@:
.endm
.macro PORT_OUT insn, port, reg, value
    movw    $\port, %dx
    movl    $\value, %eax
    \insn   \reg, %dx
.endm

ports:
    PORT_OUT outb, COM1 + 3, %al, 0x03              /* LCR: 8N1, DLAB off */
    PORT_OUT outb, COM1 + 4, %al, 0x03              /* MCR: DTR, RTS */
    PORT_OUT outb, COM1 + 7, %al, 0xA5              /* SCR */
    PORT_IN inw, COM1 + 4, %ax, 0xFFFF, 0x6003, 60  /* MCR, then LSR */
    PORT_IN inl, COM1 + 4, %eax, 0xFF00FFFF, 0xA5006003, 61     /* MCR, LSR, (MSR), SCR */
    PORT_IN inw, COM1 + 7, %ax, 0x00FF, 0x00A5, 62  /* SCR, then the machine's 0x400 (not checked) */
    /* 0x3F7 is passed through (under Bochs it reads 0x7E or so: not 0xFF); INW there exits for the UART's RBR at
     * 0x3F8 and must still read the hardware's byte at 0x3F7. */
    movw    $(COM1 - 1), %dx
    inb     %dx, %al
    cmpb    $0xFF, %al
    jne     1f
    FAIL64  59, "port 0x3f7 reads 0xff here: the passthrough check below cannot tell"
1:  movb    %al, %bl
    inw     %dx, %ax
    cmpb    %al, %bl
    je      1f
    FAIL64  69, "inw 0x3f7 did not read the hardware's byte at 0x3f7"
1:
    PORT_OUT outw, COM1 + 3, %ax, 0x1303            /* LCR = 0x03, MCR = 0x13 (loopback) */
    PORT_IN inb, COM1 + 4, %al, 0xFF, 0x13, 63
    PORT_OUT outb, COM1 + 4, %al, 0x03
    /* Three MCR/LSR pairs by one REP INSW. */
    movl    $0x6100, %edi
    movl    $3, %ecx
    rep insw
    movl    $0x6100, %edi
    movl    $3, %ecx
    movw    $0x6003, %ax
    repe scasw
    je      1f
    FAIL64  64, "REP INSW at 0x3fc did not read MCR and LSR three times"
1:  PORT_OUT outw, 0x70, %ax, 0x420E               /* index 0x0E, then data 0x42 (wider would reach 0x72) */
    PORT_OUT outb, 0x70, %al, 0x0E
    PORT_IN inb, 0x71, %al, 0xFF, 0x42, 65
    PORT_IN inw, 0x70, %ax, 0xFFFF, 0x42FF, 66      /* the index port reads 0xFF */
    PORT_OUT outw, 0x4D0, %ax, 0xFFFF               /* ELCR: edge-only lines stay edge */
    PORT_IN inw, 0x4D0, %ax, 0xFFFF, 0xDEF8, 68
    PORT_OUT outw, 0x4D0, %ax, 0
    PRINT64 "adv: ports: inw/inl at 0x3fc read MCR, LSR, MSR, SCR; inw 0x3ff reads SCR"
    PRINT64 "adv: ports: inw 0x3f7 reads the hardware's 0x3f7, then RBR"
    PRINT64 "adv: ports: outw 0x70 writes index and data; inw 0x70 reads 0xff, then data"
    PRINT64 "adv: ports: outw/inw 0x4d0 reach both ELCRs"
    EXIT    0

calls:
    FAULT_BEGIN .Lf1
    vmclear vmxon_region(%rip)
    FAULT_END .Lf1, 70, "VMCLEAR did not #UD"
    FAULT_BEGIN .Lf2
    vmptrld vmxon_region(%rip)
    FAULT_END .Lf2, 71, "VMPTRLD did not #UD"
    FAULT_BEGIN .Lf3
    vmptrst vmxon_region(%rip)
    FAULT_END .Lf3, 72, "VMPTRST did not #UD"
    FAULT_BEGIN .Lf4
    vmwrite %rax, %rbx
    FAULT_END .Lf4, 73, "VMWRITE did not #UD"
    FAULT_BEGIN .Lf5
    vmlaunch
    FAULT_END .Lf5, 74, "VMLAUNCH did not #UD"
    FAULT_BEGIN .Lf6
    vmresume
    FAULT_END .Lf6, 75, "VMRESUME did not #UD"
    FAULT_BEGIN .Lf7
    vmxoff
    FAULT_END .Lf7, 76, "VMXOFF did not #UD"
    FAULT_BEGIN .Lf8
    invvpid vmxon_region(%rip), %rax
    FAULT_END .Lf8, 77, "INVVPID did not #UD"
    PRINT64 "adv: calls: VMCLEAR, VMPTRLD, VMPTRST, VMWRITE, VMLAUNCH, VMRESUME, VMXOFF, INVVPID raise #UD"
    movl    $1, %eax                            /* CPUID hides VMX and MONITOR/MWAIT, and they #UD */
    cpuid
    testl   $(CPUID_1_ECX_VMX | CPUID_1_ECX_MONITOR), %ecx
    jz      1f
    FAIL64  104, "CPUID.1:ECX shows VMX or MONITOR/MWAIT"
1:  FAULT_BEGIN .Lf13
    leaq    vmxon_region(%rip), %rax
    xorl    %ecx, %ecx
    xorl    %edx, %edx
    monitor
    FAULT_END .Lf13, 105, "MONITOR did not #UD"
    FAULT_BEGIN .Lf14
    xorl    %eax, %eax
    xorl    %ecx, %ecx
    mwait
    FAULT_END .Lf14, 106, "MWAIT did not #UD"
    PRINT64 "adv: calls: CPUID.1 hides VMX and MONITOR/MWAIT; MONITOR and MWAIT raise #UD"
    movl    $5, %eax                            /* no MONITOR/MWAIT parameters either */
    xorl    %ecx, %ecx
    cpuid
    orl     %ebx, %eax
    orl     %ecx, %eax
    orl     %edx, %eax
    jz      1f
    FAIL64  107, "CPUID leaf 5 describes MONITOR/MWAIT"
1:  movl    $7, %eax                            /* instructions the VMCS does not enable: hidden */
    xorl    %ecx, %ecx
    cpuid
    testl   $CPUID_7_ECX_WAITPKG, %ecx
    jz      1f
    FAIL64  108, "CPUID.7:ECX shows WAITPKG"
1:  movl    $0xD, %eax
    movl    $1, %ecx
    cpuid
    testl   $CPUID_D_1_EAX_XSAVES, %eax
    jz      1f
    FAIL64  109, "CPUID.(0xD,1):EAX shows XSAVES"
1:  PRINT64 "adv: calls: CPUID leaf 5 is empty; WAITPKG and XSAVES hidden"
    FAULT_BEGIN .Lf9
    movl    $0xC0011234, %ecx
    rdmsr
    FAULT_END .Lf9, 78, "RDMSR 0xc0011234 did not #GP"
    FAULT_BEGIN .Lf10
    movl    $0xC0011234, %ecx
    wrmsr
    FAULT_END .Lf10, 79, "WRMSR 0xc0011234 did not #GP"
    FAULT_BEGIN .Lf11
    movl    $0x4B564D00, %ecx
    rdmsr
    FAULT_END .Lf11, 80, "RDMSR 0x4b564d00 did not #GP"
    FAULT_BEGIN .Lf12
    movl    $0x481, %ecx
    wrmsr
    FAULT_END .Lf12, 81, "WRMSR IA32_VMX_PINBASED_CTLS did not #GP"
    PRINT64 "adv: calls: RDMSR/WRMSR of unknown and VMX MSRs raise #GP"
    HC HC_CONSOLE_WRITE, 0xFEE00000, 16, HC_EFAULT, 82          /* local APIC (MMIO) */
    HC HC_CONSOLE_WRITE, 0xFEC00000, 16, HC_EFAULT, 83          /* I/O APIC (MMIO) */
    HC HC_CONSOLE_WRITE, 0x10000000, 1, HC_EFAULT, 84           /* past the end of RAM (256 MiB) */
    HC HC_CONSOLE_WRITE, 0xFFFFFFF0, 16, HC_EFAULT, 85          /* the BIOS ROM */
    HC_HV HC_CONSOLE_WRITE, -8, 16, HC_EFAULT, 86               /* runs into the hypervisor */
    HC HC_CONSOLE_WRITE, 0xFFFFFFFFFFFFFFF0, 0x20, HC_EFAULT, 87    /* wraps around */
    HC HC_CONSOLE_WRITE, 0x8000000000000000, 1, HC_EFAULT, 88
    HC HC_CONSOLE_WRITE, 0xFFFFFFFFFFFFFFFF, 0, 0, 89           /* length 0: nothing to read */
    HC_HV HC_CONSOLE_WRITE, 0, 0, 0, 90
    HC HC_CONSOLE_WRITE, 0x100000, 4097, HC_EINVAL, 91
    HC HC_CONSOLE_WRITE, 0x100000, 0xFFFFFFFFFFFFFFFF, HC_EINVAL, 92
    HC_HV HC_EXIT_STATS, 0, 8, HC_EFAULT, 93
    HC HC_EXIT_STATS, 0xFFFFFFFFFFFFFFF8, 16, HC_EFAULT, 94
    HC HC_EXIT_STATS, 0xFEE00000, 16, HC_EFAULT, 95
    HC_HV HC_EXIT_STATS, 0, 0, 0, 96
    HC HC_RAISE_INTERRUPT, 0, 0, HC_EINVAL, 97
    HC HC_RAISE_INTERRUPT, 31, 0, HC_EINVAL, 98
    HC HC_RAISE_INTERRUPT, 256, 0, HC_EINVAL, 99
    HC HC_RAISE_INTERRUPT, 0x100000040, 0, HC_EINVAL, 100
    HC 4, 0, 0, HC_ENOSYS, 101
    HC 0x100000000, 0x100000, 1, HC_ENOSYS, 102                 /* console write with high bits set */
    HC 0xFFFFFFFFFFFFFFFF, 0, 0, HC_ENOSYS, 103
    PRINT64 "adv: calls: hypercalls with pointers into MMIO, past RAM, into the hypervisor, wrapping: EFAULT"
    PRINT64 "adv: calls: length 0 returns 0; too long, bad vectors: EINVAL; unknown numbers: ENOSYS"
    EXIT    0

flood:
    movl    $FLOOD_LINES, %r12d
1:  leaq    flood_digits + 3(%rip), %rbx    /* count up in ASCII */
2:  incb    (%rbx)
    cmpb    $'9', (%rbx)
    jbe     3f
    movb    $'0', (%rbx)
    decq    %rbx
    jmp     2b
3:  leaq    flood_line(%rip), %rsi
    movl    $(flood_line_end - flood_line), %ecx
4:  movw    $(COM1 + 5), %dx
5:  inb     %dx, %al
    testb   $0x20, %al                  /* THRE */
    jz      5b
    movw    $COM1, %dx
    lodsb
    outb    %al, %dx
    loop    4b
    decl    %r12d
    jnz     1b
    PRINT64 "adv: flood: all lines sent"
    EXIT    0

/* Copies the AP code at RSI (RCX bytes) to page AP_PAGE_A and starts APIC ID 1 there with INIT-SIPI. Returns
 * once the AP set AP_FLAG to 1, or with CF set if it never did. */
start_ap:
    movl    $(AP_PAGE_A << 12), %edi
    rep movsb
    movb    $0, AP_FLAG
    movl    $MSR_X2APIC_ICR, %ecx
    movl    $1, %edx                    /* APIC ID 1 */
    movl    $(ICR_INIT | ICR_LEVEL_ASSERT), %eax
    wrmsr
    movl    $(ICR_STARTUP | ICR_LEVEL_ASSERT | AP_PAGE_A), %eax
    wrmsr
    movl    $50000000, %ecx
1:  cmpb    $1, AP_FLAG
    je      2f
    pause
    loop    1b
    stc
    ret
2:  clc
    ret

init_ap:
    leaq    ap_b(%rip), %rsi
    movl    $(AP_PAGE_B << 12), %edi
    movl    $(ap_b_end - ap_b), %ecx
    rep movsb
    leaq    ap_a(%rip), %rsi
    movl    $(ap_a_end - ap_a), %ecx
    call    start_ap
    jnc     1f
    FAIL64  110, "the AP did not start at the first SIPI"
1:  movl    $2000000, %ecx              /* time for the AP's INIT to itself to take effect */
2:  pause
    loop    2b
    cmpb    $1, AP_FLAG
    je      1f
    FAIL64  111, "the AP went on after its INIT to itself"
1:  movl    $MSR_X2APIC_ICR, %ecx
    movl    $1, %edx
    movl    $(ICR_STARTUP | ICR_LEVEL_ASSERT | AP_PAGE_B), %eax
    wrmsr
    movl    $50000000, %ecx
1:  cmpb    $2, AP_FLAG
    je      1f
    pause
    loop    1b
    FAIL64  112, "the AP did not wait for a SIPI after its INIT to itself"
1:  PRINT64 "adv: init-ap: an AP's INIT to itself left it waiting for SIPI; the next SIPI started it"
    EXIT    0

/* A vCPU the hypervisor's wake IPI cannot reach: TPR 15 holds every vector in its local APIC. The boot CPU
 * spins so, making no exits, and an AP ends the run with HC_EXIT 0: the run must still end, cleanly. */
tpr:
    PRINT64 "adv: tpr: the boot CPU spins with TPR 15 and interrupts off; an AP ends the run"
    leaq    ap_exit(%rip), %rsi
    movl    $(ap_exit_end - ap_exit), %ecx
    call    start_ap
    jnc     1f
    FAIL64  120, "the AP did not start"
1:  movl    $MSR_X2APIC_TPR, %ecx
    movl    $TPR_HOLD_ALL, %eax
    xorl    %edx, %edx
    wrmsr
    movb    $2, AP_FLAG                 /* the AP may exit now */
1:  jmp     1b

/* The other way round: under Bochs an AP that a SIPI started takes no NMI (see the README's platform notes),
 * so only the stop watch of the preemption timer ends its guest execution. */
tpr_ap:
    leaq    ap_tpr(%rip), %rsi
    movl    $(ap_tpr_end - ap_tpr), %ecx
    call    start_ap
    jnc     1f
    FAIL64  130, "the AP did not start"
1:  PRINT64 "adv: tpr-ap: an AP spins with TPR 15 and interrupts off; the boot CPU ends the run"
    EXIT    0

/* Interrupts on the vectors the hypervisor uses for itself (wake IPI 0xF0, spurious 0xFF) are the guest's own:
 * each self-IPI (SELF IPI register) and IPI to its own APIC ID arrives once, and its EOI lets the next one in. */
#define VEC_WAKE    0xF0
#define VEC_TOP     0xFF
vectors:
    leaq    vec_f0_handler(%rip), %rax
    movl    $(IDT + VEC_WAKE * 16), %edi
    call    set_gate
    leaq    vec_ff_handler(%rip), %rax
    movl    $(IDT + VEC_TOP * 16), %edi
    call    set_gate
    movl    $X2APIC_MSR(APIC_SVR), %ecx       /* software-enable, spurious vector 0x3F: 0xFF is a real vector here */
    movl    $(SVR_ENABLE | 0x3F), %eax
    xorl    %edx, %edx
    wrmsr
    movl    $MSR_X2APIC_ID, %ecx
    rdmsr
    movl    %eax, %r15d                 /* its own APIC ID */
    sti
    movl    $MSR_X2APIC_SELF_IPI, %ecx
    movl    $VEC_WAKE, %eax
    xorl    %edx, %edx
    wrmsr
    movl    $VEC_TOP, %eax
    wrmsr
    movl    $MSR_X2APIC_ICR, %ecx       /* the same through the router: fixed, physical destination = itself */
    movl    %r15d, %edx
    movl    $VEC_WAKE, %eax
    wrmsr
    movl    $VEC_TOP, %eax
    wrmsr
    movl    $1000000, %ecx
1:  cmpl    $2, vec_f0_count(%rip)
    jb      2f
    cmpl    $2, vec_ff_count(%rip)
    jae     3f
2:  pause
    loop    1b
3:  cli
    cmpl    $2, vec_f0_count(%rip)
    je      1f
    FAIL64  150, "interrupts on vector 0xF0 did not arrive twice"
1:  cmpl    $2, vec_ff_count(%rip)
    je      1f
    FAIL64  151, "interrupts on vector 0xFF did not arrive twice"
1:  movl    $X2APIC_MSR(APIC_ISR) + 7, %ecx  /* ISR 0xE0-0xFF: all EOI'd */
    rdmsr
    testl   %eax, %eax
    jz      1f
    FAIL64  152, "vectors 0xF0/0xFF stayed in service after their EOI"
1:  PRINT64 "adv: vectors: self-IPIs and IPIs on vectors 0xF0 and 0xFF arrive and are EOI'd"
    EXIT    0

vec_f0_handler:
    incl    vec_f0_count(%rip)
    jmp     1f
vec_ff_handler:
    incl    vec_ff_count(%rip)
1:  pushq   %rax
    pushq   %rcx
    pushq   %rdx
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    wrmsr
    popq    %rdx
    popq    %rcx
    popq    %rax
    iretq

/* A guest that turns its local APIC's software enable off and holds every vector with TPR 15 changes nothing
 * for the hypervisor, whose own APIC it is not: an AP ends the run. */
apic_off:
    PRINT64 "adv: apic-off: the boot CPU software-disables its APIC and spins with TPR 15; an AP ends the run"
    leaq    ap_exit(%rip), %rsi
    movl    $(ap_exit_end - ap_exit), %ecx
    call    start_ap
    jnc     1f
    FAIL64  160, "the AP did not start"
1:  movl    $X2APIC_MSR(APIC_SVR), %ecx
    movl    $0xFF, %eax                 /* bit 8 clear: software-disabled */
    xorl    %edx, %edx
    wrmsr
    movl    $MSR_X2APIC_TPR, %ecx
    movl    $TPR_HOLD_ALL, %eax
    wrmsr
    movb    $2, AP_FLAG
1:  jmp     1b

/* After the guest wrote its TSC (the hypervisor offsets it), the TSC-deadline timer compares against that TSC. */
#define VEC_TIMER   0x40
deadline:
    movl    $1, %eax
    cpuid
    testl   $CPUID_1_ECX_TSC_DEADLINE, %ecx
    jnz     1f
    PRINT64 "adv: deadline: no TSC-deadline mode on this CPU"
    EXIT    0
1:  leaq    timer_handler(%rip), %rax
    movl    $(IDT + VEC_TIMER * 16), %edi
    call    set_gate
    movl    $MSR_IA32_TIME_STAMP_COUNTER, %ecx  /* := 2^44 */
    xorl    %eax, %eax
    movl    $0x1000, %edx
    wrmsr
    movl    $X2APIC_MSR(APIC_SVR), %ecx
    movl    $(SVR_ENABLE | 0xFF), %eax
    xorl    %edx, %edx
    wrmsr
    movl    $X2APIC_MSR(APIC_LVT_TIMER), %ecx
    movl    $(LVT_TIMER_TSC_DEADLINE | VEC_TIMER), %eax
    wrmsr
    rdtsc
    shlq    $32, %rdx
    orq     %rax, %rdx
    addq    $400000, %rdx               /* 0.1 s of Bochs's 4 MHz TSC */
    movl    %edx, %eax
    shrq    $32, %rdx
    movl    $MSR_IA32_TSC_DEADLINE, %ecx
    wrmsr
    movl    $100, %ecx                  /* each HLT ends at an interrupt; the halt watch makes no interrupt */
1:  sti
    hlt
    cli
    cmpl    $0, timer_count(%rip)
    jne     2f
    loop    1b
    FAIL64  170, "the TSC-deadline timer did not fire after a TSC write"
2:  PRINT64 "adv: deadline: the TSC-deadline timer fires after the guest wrote its TSC"
    EXIT    0

timer_handler:
    incl    timer_count(%rip)
    pushq   %rax
    pushq   %rcx
    pushq   %rdx
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    xorl    %edx, %edx
    wrmsr
    popq    %rdx
    popq    %rcx
    popq    %rax
    iretq

/* An INIT storm (SDM Vol. 3A 11.6.1): each INIT parks the AP until a SIPI, however many come; INIT de-asserts do
 * nothing, nor do NMIs to the parked AP (only a SIPI starts it; each one brings the hypervisor's wake IPI to a
 * vCPU with no INIT to take), and an INIT with the self shorthand is not a valid combination (the table of valid
 * ICR combinations): the boot CPU goes on. The run ends by the AP, after a last SIPI, with the guest's own status. */
#define INIT_CYCLES 100
#define INIT_EXTRA  150             /* of each kind: to APIC ID 1, all-but-self */
#define PARKED_NMIS 100
init_storm:
    leaq    ap_count(%rip), %rsi
    movl    $(AP_PAGE_A << 12), %edi
    movl    $(ap_count_end - ap_count), %ecx
    rep movsb
    leaq    ap_exit(%rip), %rsi
    movl    $(AP_PAGE_B << 12), %edi
    movl    $(ap_exit_end - ap_exit), %ecx
    rep movsb
    movl    $0, AP_COUNT
    xorl    %r13d, %r13d                /* the AP's starts so far */
1:  incl    %r13d
    movl    $MSR_X2APIC_ICR, %ecx
    movl    $1, %edx
    movl    $ICR_INIT_ASSERT, %eax
    wrmsr
    movl    $(ICR_STARTUP | ICR_LEVEL_ASSERT | AP_PAGE_A), %eax
    wrmsr
    movl    $50000000, %ecx
2:  cmpl    %r13d, AP_COUNT
    je      3f
    pause
    loop    2b
    FAIL64  180, "the AP did not start after an INIT-SIPI of the storm"
3:  cmpl    $INIT_CYCLES, %r13d
    jb      1b
    movl    $INIT_EXTRA, %r12d
1:  movl    $MSR_X2APIC_ICR, %ecx
    movl    $1, %edx
    movl    $ICR_INIT_ASSERT, %eax
    wrmsr
    xorl    %edx, %edx
    movl    $(ICR_ALL_BUT_SELF | ICR_INIT_ASSERT), %eax
    wrmsr
    movl    $(ICR_ALL_BUT_SELF | ICR_INIT | ICR_TRIGGER_LEVEL), %eax   /* INIT level de-assert */
    wrmsr
    decl    %r12d
    jnz     1b
    movl    $PARKED_NMIS, %r12d
    movl    $1, %edx
1:  movl    $ICR_NMI, %eax              /* to APIC ID 1, which waits for a SIPI */
    wrmsr
    movl    $2000, %eax                 /* apart, so that each finds the AP halted in the guest */
2:  pause
    decl    %eax
    jnz     2b
    decl    %r12d
    jnz     1b
    xorl    %edx, %edx
    movl    $(ICR_SELF | ICR_INIT_ASSERT), %eax
    wrmsr                               /* no effect: the boot CPU goes on (an INIT of it would stop the VM) */
    movl    $2000000, %ecx              /* time for a wrongly running AP to count */
2:  pause
    loop    2b
    cmpl    $INIT_CYCLES, AP_COUNT
    je      1f
    FAIL64  181, "the AP ran without a SIPI after INITs and NMIs"
1:  PRINT64 "adv: init-storm: 100 INIT-SIPI restarts of an AP, then 300 INITs to it, INIT de-asserts and 100 NMIs; a self INIT is ignored"
    movb    $0, AP_FLAG
    movl    $MSR_X2APIC_ICR, %ecx
    movl    $1, %edx
    movl    $(ICR_STARTUP | ICR_LEVEL_ASSERT | AP_PAGE_B), %eax
    wrmsr
1:  cmpb    $1, AP_FLAG                 /* ap_exit started: it ends the run once told */
    jne     1b
    movb    $2, AP_FLAG
1:  pause
    jmp     1b

/* The guest's xAPIC page is its own local APIC's wherever IA32_APIC_BASE puts it (SDM Vol. 3A 11.4.4, 11.4.5); the
 * machine's local APIC and I/O APIC stay the hypervisor's whatever the guest writes, so its IPIs (the stop at the
 * end) still work. Verdict: the AP's HC_EXIT 0. */
#define APIC_VERSION_ID 0x14
#define TPR_TEST        0x20
apic_move:
    movl    $XAPIC, %r8d                /* 64-bit code: addresses above 2 GiB through registers */
    movl    $XAPIC_MOVED, %r9d
    movl    $1, %eax
    cpuid
    shrl    $24, %ebx
    movl    %ebx, %r15d                 /* its APIC ID */
    movl    APIC_ID(%r8), %eax
    shrl    $24, %eax
    cmpl    %r15d, %eax
    je      1f
    FAIL64  190, "the xAPIC ID at 0xFEE00020 is not CPUID.1 EBX[31:24]"
1:  FAULT_BEGIN .Lam1
    movl    $MSR_X2APIC_ID, %ecx
    rdmsr
    FAULT_END .Lam1, 191, "RDMSR of the x2APIC ID in xAPIC mode did not #GP"
    FAULT_BEGIN .Lam2
    movl    $MSR_X2APIC_ICR, %ecx
    xorl    %edx, %edx
    movl    $(ICR_ALL_BUT_SELF | ICR_INIT_ASSERT), %eax
    wrmsr
    FAULT_END .Lam2, 192, "WRMSR of the x2APIC ICR in xAPIC mode did not #GP"
    FAULT_BEGIN .Lam3
    movl    $MSR_X2APIC_EOI, %ecx
    xorl    %eax, %eax
    wrmsr
    FAULT_END .Lam3, 193, "WRMSR of the x2APIC EOI in xAPIC mode did not #GP"
    PRINT64 "adv: apic-move: the x2APIC MSRs #GP in xAPIC mode"
    movl    $MSR_IA32_APIC_BASE, %ecx
    rdmsr
    andl    $0xFFF, %eax
    orl     $XAPIC_MOVED, %eax
    wrmsr
    movl    APIC_ID(%r9), %eax
    shrl    $24, %eax
    cmpl    %r15d, %eax
    je      1f
    FAIL64  194, "the moved xAPIC page does not show the APIC ID"
1:  movzbl  APIC_VERSION(%r9), %eax
    cmpl    $APIC_VERSION_ID, %eax
    je      1f
    FAIL64  195, "the moved xAPIC page does not show the version"
1:  movl    $TPR_TEST, APIC_TPR(%r9)
    cmpl    $TPR_TEST, APIC_TPR(%r9)
    je      1f
    FAIL64  196, "the TPR at the moved xAPIC page does not read back"
1:  cmpl    $0xFFFFFFFF, APIC_ID(%r8)
    je      1f
    FAIL64  197, "the old xAPIC page still answers after the move"
1:  movl    $0, APIC_TPR(%r8)          /* junk to the old page: nowhere, not to the machine's APIC */
    movl    $0, APIC_SVR(%r8)
    movl    $0, APIC_EOI(%r8)
    movl    $0, APIC_ICR_HIGH(%r8)
    movl    $(ICR_ALL | ICR_NMI), APIC_ICR_LOW(%r8)
    movl    $(ICR_ALL_BUT_SELF | ICR_INIT_ASSERT), APIC_ICR_LOW(%r8)
    movq    $-1, APIC_LVT_TIMER(%r8)
    cmpl    $TPR_TEST, APIC_TPR(%r9)
    je      1f
    FAIL64  198, "a write to the old xAPIC page reached the moved one"
1:  movl    $0, APIC_TPR(%r9)
    PRINT64 "adv: apic-move: the xAPIC page moved to 0xfef00000 answers there (ID, version, TPR); the old page reads all ones and drops writes"
    /* Junk into the I/O APIC: every register index, the ID, every entry in every delivery mode, all masked
     * (an unmasked INIT or NMI entry on a live line would be the guest's own doing). */
    movl    $IOAPIC, %ebx
    xorl    %ecx, %ecx
1:  movl    %ecx, (%rbx)                /* IOREGSEL 0-255 */
    movl    IOAPIC_WIN(%rbx), %eax
    movl    %ecx, %eax
    shll    $8, %eax                    /* delivery mode (ecx & 7), every other bit set but the mask's neighbours */
    orl     $0xFFFF38FF, %eax           /* masked (bit 16), level, active low, logical */
    cmpl    $0x10, %ecx
    jb      2f
    movl    %eax, IOAPIC_WIN(%rbx)
2:  incl    %ecx
    cmpl    $256, %ecx
    jb      1b
    movl    $0, (%rbx)
    movl    $0x0F000000, IOAPIC_WIN(%rbx)   /* the ID */
    movl    $1, (%rbx)
    movl    $0xFFFFFFFF, IOAPIC_WIN(%rbx)   /* the version: read-only */
    movl    $0x12345678, 0x20(%rbx)      /* past IOWIN: nothing */
    PRINT64 "adv: apic-move: junk written to every I/O APIC register stays in the guest's I/O APIC"
    /* INIT-SIPI to APIC ID 1 through the moved page's ICR; the AP ends the run. */
    leaq    ap_exit(%rip), %rsi
    movl    $(AP_PAGE_A << 12), %edi
    movl    $(ap_exit_end - ap_exit), %ecx
    rep movsb
    movb    $0, AP_FLAG
    movl    $(1 << 24), APIC_ICR_HIGH(%r9)
    movl    $ICR_INIT_ASSERT, APIC_ICR_LOW(%r9)
    movl    $(ICR_STARTUP | ICR_LEVEL_ASSERT | AP_PAGE_A), APIC_ICR_LOW(%r9)
    movl    $50000000, %ecx
1:  cmpb    $1, AP_FLAG
    je      2f
    pause
    loop    1b
    FAIL64  199, "INIT-SIPI through the moved xAPIC page did not start the AP"
2:  PRINT64 "adv: apic-move: INIT-SIPI through the moved page's ICR started an AP, which ends the run"
    movb    $2, AP_FLAG
1:  pause
    jmp     1b

/* The xAPIC page onto guest RAM (1 MiB): it cannot be trapped for one vCPU alone; the VM stops, saying so. */
apic_ram:
    movl    $MSR_IA32_APIC_BASE, %ecx
    rdmsr
    andl    $0xFFF, %eax
    orl     $0x100000, %eax
    jmp     slot_apic_base

random:
    movl    $0x12345678, %r13d          /* xorshift32 */
    movl    $RANDOM_OPS, %r12d
1:  movl    %r13d, %eax
    shll    $13, %eax
    xorl    %eax, %r13d
    movl    %r13d, %eax
    shrl    $17, %eax
    xorl    %eax, %r13d
    movl    %r13d, %eax
    shll    $5, %eax
    xorl    %eax, %r13d
    movl    %r13d, %ebx
    shrl    $8, %ebx
    andl    $15, %ebx
    leaq    random_ports(%rip), %rax
    movzwl  (%rax, %rbx, 2), %edx
    movl    %r13d, %eax
    movl    %r13d, %ebx
    shrl    $24, %ebx
    andl    $7, %ebx                    /* 0-3 out, 4 in (byte), 5 out word, 6 out dword, 7 in dword */
    cmpl    $4, %ebx
    jb      2f
    je      3f
    cmpl    $5, %ebx
    je      4f
    cmpl    $6, %ebx
    je      5f
    inl     %dx, %eax                   /* reads past a device reach the machine's ports: harmless */
    jmp     6f
2:  outb    %al, %dx
    jmp     6f
3:  inb     %dx, %al
    jmp     6f
4:  movl    %r13d, %ebx                 /* a word inside one device: past it the machine's ports begin */
    shrl    $8, %ebx
    andl    $7, %ebx
    leaq    random_word_ports(%rip), %rdx
    movzwl  (%rdx, %rbx, 2), %edx
    outw    %ax, %dx
    jmp     6f
5:  movl    %r13d, %ebx                 /* a dword inside the UART (the other devices have two ports) */
    shrl    $8, %ebx
    andl    $3, %ebx
    leal    0x3F8(%ebx), %edx
    outl    %eax, %dx
6:  decl    %r12d
    jnz     1b
    PRINT64 "adv: random: 4000 random accesses to the PIC, ELCR, RTC and UART ports done"
    EXIT    42

    SET_GATE_FUNCTION

gp_handler:
    addq    $8, %rsp                    /* error code */
ud_handler:
    incl    fault_count(%rip)
    movq    resume(%rip), %rax
    movq    %rax, (%rsp)
    iretq

/* The AP's code, copied to pages below 1 MiB: position-independent real mode. */
    .code16
ap_a:
    cli
    xorw    %ax, %ax
    movw    %ax, %ds
    X2APIC_ON
    movb    $1, AP_FLAG
    movl    $MSR_X2APIC_ID, %ecx        /* INIT to its own APIC ID */
    rdmsr
    movl    %eax, %edx
    movl    $MSR_X2APIC_ICR, %ecx
    movl    $ICR_INIT_ASSERT, %eax
    wrmsr
    movb    $3, AP_FLAG                 /* only if the INIT did not take */
1:  hlt
    jmp     1b
ap_a_end:
ap_b:
    cli
    xorw    %ax, %ax
    movw    %ax, %ds
    movb    $2, AP_FLAG
1:  hlt
    jmp     1b
ap_b_end:
ap_exit:
    cli
    xorw    %ax, %ax
    movw    %ax, %ds
    movb    $1, AP_FLAG
1:  cmpb    $2, AP_FLAG
    jne     1b
    EXIT    0
1:  hlt
    jmp     1b
ap_exit_end:
ap_count:
    cli
    xorw    %ax, %ax
    movw    %ax, %ds
    lock incl AP_COUNT
1:  hlt
    jmp     1b
ap_count_end:
ap_tpr:
    cli
    xorw    %ax, %ax
    movw    %ax, %ds
    X2APIC_ON
    movl    $MSR_X2APIC_TPR, %ecx
    movl    $TPR_HOLD_ALL, %eax
    xorl    %edx, %edx
    wrmsr
    movb    $1, AP_FLAG
1:  jmp     1b
ap_tpr_end:

    .balign 8
scenarios:
    .quad   hv_read, hv_write, hv_exec, 0, triple, strings64, ports, calls, flood, init_bsp, init_ap, random, tpr, tpr_ap
    .quad   0, vectors, apic_off, deadline, init_storm, apic_move, apic_ram
random_ports:
    .word   0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1, 0x70, 0x71
    .word   0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF
random_word_ports:
    .word   0x20, 0xA0, 0x4D0, 0x70, 0x3F8, 0x3FA, 0x3FC, 0x3FE
    GUEST_GDT
    .quad   0x00CF92006000FFFF          /* 0x20: data based at 0x6000 */
    GUEST_GDT_END
idt_desc:
    .word   256 * 16 - 1              /* 0x40, 0xF0 and 0xFF: the APIC scenarios */
    .quad   IDT
empty_idt:
    .word   0
    .quad   0
    .balign 8
resume:         .quad 0
vmxon_region:   .quad 0, 0
fault_count:    .long 0
vec_f0_count:   .long 0
vec_ff_count:   .long 0
timer_count:    .long 0
rm_resume:      .word 0
rm_faults:      .word 0
    .balign 4
hv_block:       .long 0                 /* the hypervisor's block, from CPUID 0x40000002 */
lb_src:         .ascii "ABCDEFGHIJKLMNOP"
flood_line:     .ascii "adv: flood: line "
flood_digits:   .ascii "0000\n"
flood_line_end:
long_text:
    .ascii "adv: strings: one REP OUTSB of 301 bytes, line 1 of 3: 01234567890123456789012345678901234567890123\n"
    .ascii "adv: strings: one REP OUTSB of 301 bytes, line 2 of 3: 01234567890123456789012345678901234567890123\n"
    .ascii "adv: strings: one REP OUTSB of 301 bytes, line 3 of 3: 012345678901234567890123456789012345678901234\n"
long_text_end:
