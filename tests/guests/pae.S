/* SPDX-License-Identifier: BSD-2-Clause */
/* The legacy-PAE test guest: 32-bit protected mode with PAE paging (CR4.PAE then CR0.PG, never long mode).
 *
 * Starts in real mode at 0000:7C00 and builds a PDPT whose four entries all matter:
 *   PDPTE0 -> PD0: linear 0-1 GiB identity-mapped with 2 MiB pages (the code, stack and tables run here)
 *   PDPTE1 -> PD1 -> PT1: linear 1 GiB (LOW_ALIAS) is the 4 KiB page DATA
 *   PDPTE2: not present at first; later pointed at PD3 and loaded by a MOV to CR3 that does not exit
 *   PDPTE3 -> PD3: linear 3 GiB (HIGH_ALIAS) is physical 0-2 MiB again, one 2 MiB page
 * It then checks memory through each alias, takes CPUID and port exits, has the hypervisor walk its tables for
 * REP OUTSB (which uses the PDPTEs of the VMCS), and toggles CR0.NE (an exit that must keep paging as it was).
 * Verdict: the debug-exit port 0xF4, 0 when every check passed, else the number of the check that failed.
 */
#include "tests/guests/guest.h"

#define PDPT        0x1000          /* CR3: 32-byte aligned (SDM Vol. 3A 4.4.1) */
#define PD0         0x2000
#define PD1         0x3000
#define PT1         0x4000
#define PD3         0x5000
#define TABLES_END  0x6000
#define STACK       0x7000
#define DATA        0x10000         /* the page LOW_ALIAS shows */
#define LOW_ALIAS   0x40000000      /* PDPTE1: 4 KiB page */
#define HIGH_ALIAS  0xC0000000      /* PDPTE3: 2 MiB page at 0 */
#define MID_ALIAS   0x80000000      /* PDPTE2 once set: 2 MiB page at 0 */
#define PTE_P       0x1
#define PTE_RW      0x2
#define PTE_PS      0x80
#define PDPTE_P     0x1             /* a PDPTE has no R/W or U/S bits: 2:1 are reserved */
#define COM1        0x3F8
#define DEBUG_EXIT  0xF4
#define PATTERN     0x5AE0C0DE

.macro VERDICT code
    movb    $\code, %al
    outb    %al, $DEBUG_EXIT
    hlt
.endm
.macro FAIL32 code, msg
    PRINT32 "pae: FAILED: \msg"
    VERDICT \code
.endm

/* REP OUTSB of the text between `from` and `to`, read at linear `from + delta`, to COM1. */
.macro OUTS_AT from, to, delta
    movl    $(\from + \delta), %esi
    movl    $(\to - \from), %ecx
    movw    $COM1, %dx
    cld
    rep outsb
.endm

    .text
    .code16
    .globl start
start:
    REAL_MODE_START STACK
    ENTER_PROTECTED_MODE protected

    .code32
protected:
    FLAT_DATA_SEGMENTS
    movl    $STACK, %esp

    /* The paging structures. */
    movl    $PDPT, %edi
    movl    $((TABLES_END - PDPT) / 4), %ecx
    xorl    %eax, %eax
    rep stosl
    movl    $(PD0 + PDPTE_P), PDPT + 0 * 8
    movl    $(PD1 + PDPTE_P), PDPT + 1 * 8
    movl    $(PD3 + PDPTE_P), PDPT + 3 * 8
    movl    $PD0, %edi
    movl    $(PTE_P | PTE_RW | PTE_PS), %eax
    movl    $512, %ecx
1:  movl    %eax, (%edi)
    addl    $0x200000, %eax
    addl    $8, %edi
    loop    1b
    movl    $(PT1 + PTE_P + PTE_RW), PD1
    movl    $(DATA + PTE_P + PTE_RW), PT1
    movl    $(0 + PTE_P + PTE_RW + PTE_PS), PD3

    /* PAE paging, the order an OS uses: CR3, CR4.PAE, then CR0.PG (each CR0/CR4 write exits). */
    movl    $PDPT, %eax
    movl    %eax, %cr3
    movl    %cr4, %eax
    orl     $CR4_PAE, %eax
    movl    %eax, %cr4
    movl    %cr0, %eax
    orl     $CR0_PG, %eax
    movl    %eax, %cr0
    jmp     paged
paged:
    movl    $0xC0000080, %ecx           /* EFER.LMA stays clear: this is not long mode */
    rdmsr
    testl   $(1 << 10), %eax
    jz      1f
    FAIL32  1, "EFER.LMA is set"
1:  PRINT32 "pae: protected mode with PAE paging on through CR4.PAE then CR0.PG (EFER.LMA clear)"

    /* The same bytes through PDPTE1 (4 KiB page), PDPTE0 (identity) and PDPTE3 (2 MiB page). */
    movl    $PATTERN, LOW_ALIAS + 0x10
    cmpl    $PATTERN, DATA + 0x10
    je      1f
    FAIL32  2, "a write through PDPTE1 is not at DATA"
1:  cmpl    $PATTERN, HIGH_ALIAS + DATA + 0x10
    je      1f
    FAIL32  3, "PDPTE3 does not show DATA"
1:  PRINT32 "pae: memory through PDPTE0, PDPTE1 (4 KiB page) and PDPTE3 (2 MiB page) agrees"

    movl    $HV_CPUID_BASE, %eax
    cpuid
    cmpl    $HV_SIGNATURE_EBX, %ebx
    je      1f
    FAIL32  4, "CPUID 0x40000000 signature"
1:  PRINT32 "pae: CPUID exits under PAE paging"

    /* The hypervisor's page walk for REP OUTSB: through PDPTE3, then PDPTE1 (text copied to DATA). */
    OUTS_AT text_high, text_high_end, HIGH_ALIAS
    movl    $text_low, %esi
    movl    $(DATA + 0x100), %edi
    movl    $(text_low_end - text_low), %ecx
    rep movsb
    OUTS_AT (DATA+0x100), (DATA+0x100+text_low_end-text_low), (LOW_ALIAS-DATA)

    /* A MOV to CR3 reloads the PDPTEs without an exit (the CPU does it under EPT): PDPTE2 appears. */
    movl    $(PD3 + PDPTE_P), PDPT + 2 * 8
    movl    $PDPT, %eax
    movl    %eax, %cr3
    cmpl    $PATTERN, MID_ALIAS + DATA + 0x10
    je      1f
    FAIL32  5, "PDPTE2 after MOV to CR3 does not show DATA"
1:  OUTS_AT text_mid, text_mid_end, MID_ALIAS

    /* CR0.NE is the hypervisor's: clearing and setting it exits, and paging must stay as it was. */
    movl    %cr0, %eax
    andl    $~CR0_NE, %eax
    movl    %eax, %cr0
    orl     $CR0_NE, %eax
    movl    %eax, %cr0
    cmpl    $PATTERN, HIGH_ALIAS + DATA + 0x10
    je      1f
    FAIL32  6, "PDPTE3 lost after CR0.NE exits"
1:  cmpl    $PATTERN, MID_ALIAS + DATA + 0x10
    je      1f
    FAIL32  7, "PDPTE2 lost after CR0.NE exits"
1:  OUTS_AT text_ne, text_ne_end, MID_ALIAS
    PRINT32 "pae: all checks passed"
    VERDICT 0

text_high:      .ascii "pae: REP OUTSB through PDPTE3 (2 MiB page)\n"
text_high_end:
text_low:       .ascii "pae: REP OUTSB through PDPTE1 (4 KiB page)\n"
text_low_end:
text_mid:       .ascii "pae: MOV to CR3 loaded PDPTE2; REP OUTSB through it\n"
text_mid_end:
text_ne:        .ascii "pae: CR0.NE exits kept the PDPTEs\n"
text_ne_end:

    GUEST_GDT
    GUEST_GDT_END
