/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembler helpers for test guests: hypercalls and fixed-text output in each CPU mode. */
#ifndef TESTS_GUESTS_GUEST_H
#define TESTS_GUESTS_GUEST_H

#include "vcpu/hypervisor_abi.h"

/* PRINT16/PRINT32 use absolute addresses (the image is linked where it runs); PRINT64 is RIP-relative.
 * Macro labels are unique (\@), so callers' numeric local labels never bind to them. */
.macro PRINT16 msg
    jmp     .Lend\@
.Lmsg\@: .ascii "\msg\n"
.Lend\@: movl $.Lmsg\@, %edi
    movl    $(.Lend\@ - .Lmsg\@), %esi
    movl    $HC_CONSOLE_WRITE, %eax
    vmcall
.endm

.macro PRINT32 msg
    jmp     .Lend\@
.Lmsg\@: .ascii "\msg\n"
.Lend\@: movl $.Lmsg\@, %edi
    movl    $(.Lend\@ - .Lmsg\@), %esi
    movl    $HC_CONSOLE_WRITE, %eax
    vmcall
.endm

.macro PRINT64 msg
    jmp     .Lend\@
.Lmsg\@: .ascii "\msg\n"
.Lend\@: leaq .Lmsg\@(%rip), %rdi
    movl    $(.Lend\@ - .Lmsg\@), %esi
    movl    $HC_CONSOLE_WRITE, %eax
    vmcall
.endm

/* Ends the run with a verdict: 0 passed, anything else names the check that failed. */
.macro EXIT code
    movl    $\code, %edi
    movl    $HC_EXIT, %eax
    vmcall
.endm

#endif
