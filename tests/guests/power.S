/* SPDX-License-Identifier: BSD-2-Clause */
/* The power guest: powers off, sleeps or resets the machine one way per scenario, chosen by the entry point. */
#include "tests/guests/guest.h"

/*
 * Scenario n starts at 0000:7c00 + 8 * n (module line `flat start=0000:7c08` and so on), in real mode:
 *   0 poweroff  SLP_TYP of \_S5, then SLP_EN, to PM1a control            -> guest: power-off, status 0
 *   1 s3        SLP_TYP of \_S3 with SLP_EN to PM1a control (one byte)   -> guest: sleep state S3 requested, 125
 *   2 cf9       0x02 (passes through), then 0x06 to the reset control register -> guest: reset via 0xcf9, 124
 *   3 kbc       command 0xFE to the 8042                                 -> guest: reset via keyboard controller
 *   4 port92    port 0x92 read-modify-written with bit 0 clear, then set -> guest: reset via port 0x92
 *   5 triple    #UD with an empty IDT                                    -> guest: reset via triple fault
 *   6 pci       PCI configuration through 0xCF8/0xCFC, byte writes to 0xCF9 without bit 2, PM1a control reads:
 *               all reach the machine                                    -> exit code 0
 * Bochs's values, hard-coded as a small OS would take them from its FADT and DSDT (the boot test checks them
 * against the hypervisor's "power:" line): the BIOS puts the PIIX4 PM base at 0xB000, so PM1a control is 0xB004;
 * its DSDT has \_S3 = 1, \_S4 = \_S5 = 0.
 * A scenario that ends the run never comes back; if it does, it says so and exits with the failed check's number.
 */
#define STACK       0x7000
#define PM1A_CNT    0xB004
#define SLP_TYP_S3  1
#define SLP_TYP_S5  0
#define SLP_TYP(t)  ((t) << 10)
#define SLP_TYP_MASK (7 << 10)
#define SLP_EN      (1 << 13)
#define PCI_ADDRESS 0xCF8
#define PCI_DATA    0xCFC
#define RESET_CONTROL 0xCF9
#define KBC_STATUS  0x64
#define KBC_INPUT_FULL 0x02
#define PORT_92     0x92
#define I440FX_ID   0x12378086          /* bus 0, device 0: the host bridge's device and vendor IDs */

.macro FAIL code, msg
    PRINT16 "power: FAILED: \msg"
    EXIT \code
.endm

    .text
    .code16
    .globl start
start:
    .irp n, 0, 1, 2, 3, 4, 5, 6
    .balign 8
    movw    $\n, %bp
    jmp     common
    .endr

common:
    REAL_MODE_START STACK
    shlw    $1, %bp
    jmp     *scenarios(%bp)
scenarios:
    .word   poweroff, s3, cf9, kbc, port92, triple, pci

poweroff:
    PRINT16 "power: poweroff: SLP_TYP of \\_S5 to PM1a control, then SLP_EN"
    movw    $PM1A_CNT, %dx
    inw     %dx, %ax
    andw    $~(SLP_TYP_MASK | SLP_EN), %ax
    orw     $SLP_TYP(SLP_TYP_S5), %ax
    outw    %ax, %dx                    /* as Linux does: the type first (passes through), then SLP_EN */
    orw     $SLP_EN, %ax
    outw    %ax, %dx
    FAIL    1, "poweroff: still running after S5"

s3:
    PRINT16 "power: s3: SLP_TYP of \\_S3 with SLP_EN, one byte to PM1a control + 1"
    movw    $(PM1A_CNT + 1), %dx
    movb    $((SLP_TYP(SLP_TYP_S3) | SLP_EN) >> 8), %al
    outb    %al, %dx
    FAIL    2, "s3: still running after S3"

cf9:
    PRINT16 "power: cf9: 0x02, then 0x06 to the reset control register"
    movw    $RESET_CONTROL, %dx
    movb    $0x02, %al
    outb    %al, %dx
    movb    $0x06, %al
    outb    %al, %dx
    FAIL    3, "cf9: still running after the reset"

kbc:
    PRINT16 "power: kbc: command 0xfe to the keyboard controller"
1:  inb     $KBC_STATUS, %al
    testb   $KBC_INPUT_FULL, %al
    jnz     1b
    movb    $0xFE, %al
    outb    %al, $KBC_STATUS
    FAIL    4, "kbc: still running after the reset"

port92:
    PRINT16 "power: port92: A20 through port 0x92, then bit 0"
    inb     $PORT_92, %al
    andb    $~1, %al
    orb     $2, %al
    outb    %al, $PORT_92               /* A20 on, no reset: passes through */
    inb     $PORT_92, %al
    testb   $2, %al
    jnz     1f
    FAIL    5, "port92: A20 did not reach the machine"
1:  orb     $1, %al
    outb    %al, $PORT_92
    FAIL    6, "port92: still running after the reset"

triple:
    PRINT16 "power: triple: #UD with an empty IDT"
    lidt    empty_idt
    ud2
    FAIL    7, "triple: still running after the triple fault"

pci:
    movw    $PCI_ADDRESS, %dx
    movl    $0x80000000, %eax
    outl    %eax, %dx
    inl     %dx, %eax
    cmpl    $0x80000000, %eax
    je      1f
    FAIL    8, "pci: 0xCF8 did not read back the address written"
1:  movw    $PCI_DATA, %dx
    inl     %dx, %eax
    cmpl    $I440FX_ID, %eax
    je      1f
    FAIL    9, "pci: 0xCFC did not read the host bridge's IDs"
1:  movw    $RESET_CONTROL, %dx
    movb    $0x02, %al
    outb    %al, %dx                    /* no reset without bit 2 */
    movw    $PCI_ADDRESS, %dx
    inl     %dx, %eax
    cmpl    $0x80000000, %eax
    je      1f
    FAIL    10, "pci: a byte write to 0xCF9 changed the PCI address"
1:  movw    $PM1A_CNT, %dx
    inw     %dx, %ax                    /* the machine's PM1a control (SCI_EN and all) */
    movw    %ax, %bx
    outw    %ax, %dx                    /* written back unchanged: passes through */
    inw     %dx, %ax
    cmpw    %ax, %bx
    je      1f
    FAIL    11, "pci: PM1a control did not read back what was written"
1:  PRINT16 "power: pci: configuration, 0xcf9 without bit 2 and PM1a control reach the machine"
    EXIT    0

    .balign 8
empty_idt:
    .word   0
    .long   0
