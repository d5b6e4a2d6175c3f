/* SPDX-License-Identifier: BSD-2-Clause */
/* The self-test guest's console: a 16550A driven like an OS drives it, THR-empty interrupts on IRQ 4. */
#include "tests/guests/selftest/hw.h"

#define COM1 0x3F8
#define THR 0
#define IER 1
#define   IER_RDI 0x01
#define   IER_THRI 0x02
#define IIR 2
#define   IIR_NO_INT 0x01
#define   IIR_ID 0x0E
#define   IIR_THRI 0x02
#define   IIR_RDI 0x04
#define   IIR_RX_TIMEOUT 0x0C
#define FCR 2
#define LCR 3
#define MCR 4
#define   MCR_DTR_RTS_OUT2 0x0B
#define LSR 5
#define   LSR_DR 0x01
#define   LSR_THRE 0x20
#define   LSR_TEMT 0x40
#define FIFO 16
#define RING 1024

static char ring[RING];
static volatile unsigned head, tail;     /* bytes [tail, head) wait to be sent */
static volatile bool interrupts;        /* uart_start() ran */
static volatile bool sending;           /* THRI is enabled */
static volatile u8 ier;                 /* what we last wrote to IER */
static char rx[64];
static volatile unsigned rx_head, rx_tail;

void uart_start(void)
{
    outb(COM1 + LCR, 0x80);             /* DLAB: divisor 1 = 115200 baud */
    outb(COM1 + THR, 1);
    outb(COM1 + IER, 0);
    outb(COM1 + LCR, 0x03);             /* 8N1 */
    outb(COM1 + FCR, 0xC7);             /* FIFOs on, cleared, trigger 14 */
    outb(COM1 + MCR, MCR_DTR_RTS_OUT2); /* OUT2 lets IRQ 4 reach the PIC */
    interrupts = true;
}

static void set_ier(u8 v)
{
    ier = v;
    outb(COM1 + IER, v);
}

/* IRQ 4: take received bytes; fill the FIFO while bytes wait to go; stop THR-empty interrupts when none do. */
void uart_interrupt(void)
{
    u8 iir;
    while (!((iir = inb(COM1 + IIR)) & IIR_NO_INT)) {
        if ((iir & IIR_ID) == IIR_RDI || (iir & IIR_ID) == IIR_RX_TIMEOUT) {
            while (inb(COM1 + LSR) & LSR_DR) {
                u8 c = inb(COM1 + THR);
                if (rx_head - rx_tail < sizeof rx)
                    rx[rx_head++ % sizeof rx] = (char)c;
            }
            continue;
        }
        if ((iir & IIR_ID) != IIR_THRI)
            continue;
        for (int n = 0; n < FIFO && tail != head; n++)
            outb(COM1 + THR, (u8)ring[tail++ % RING]);
        if (tail == head) {
            set_ier(ier & ~IER_THRI);
            sending = false;
        }
    }
}

void uart_receive(bool on)
{
    cli();
    set_ier(on ? ier | IER_RDI : ier & ~IER_RDI);
    sti();
}

int uart_getc(void)
{
    return rx_tail == rx_head ? -1 : rx[rx_tail++ % sizeof rx];
}

/* FIFOs off (a 16450: the receiver holds one byte) or on again. Changing them clears both, so the
 * transmitter is drained first. */
void uart_fifos(bool on)
{
    print_flush();
    outb(COM1 + FCR, on ? 0xC7 : 0);
}

int uart_poll_getc(unsigned long tries)
{
    while (tries--)
        if (inb(COM1 + LSR) & LSR_DR)
            return inb(COM1 + THR);
    return -1;
}

static void putc(char c)
{
    if (!interrupts) {
        while (!(inb(COM1 + LSR) & LSR_THRE))
            ;
        outb(COM1 + THR, (u8)c);
        return;
    }
    cli();
    while (head - tail == RING)
        wait_for_interrupt();
    ring[head++ % RING] = c;
    if (!sending) {
        sending = true;
        set_ier(ier | IER_THRI);        /* THR is empty: the interrupt comes at once */
    }
    sti();
}

void print(const char *s)
{
    while (*s)
        putc(*s++);
}

void print_num(const char *before, unsigned long v, const char *after)
{
    char digits[12];
    int n = 0;
    print(before);
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    while (n)
        putc(digits[--n]);
    print(after);
}

void print_flush(void)
{
    cli();
    while (sending)
        wait_for_interrupt();
    while (!(inb(COM1 + LSR) & LSR_TEMT))
        ;
    sti();
}
