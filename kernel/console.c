/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical COM1 driver: programmed I/O; fills the transmit FIFO each time it is empty; queues guest lines. */
#include "kernel/byte_ring.h"
#include "kernel/console.h"
#include "kernel/x86.h"

#define COM1        0x3F8
#define UART_THR    0   /* -w transmit holding (DLAB=0) */
#define UART_DLL    0   /* rw divisor latch low (DLAB=1) */
#define UART_IER    1   /* rw interrupt enable (DLAB=0) */
#define UART_DLM    1   /* rw divisor latch high (DLAB=1) */
#define UART_IIR    2   /* r- interrupt identification */
#define   IIR_FIFOS 0xC0  /* both bits set: the FIFOs are on (a 16550A; a 16450 has none, a 16550 a broken one) */
#define UART_FCR    2   /* -w FIFO control */
#define UART_LCR    3   /* rw line control */
#define   LCR_8N1   0x03
#define   LCR_DLAB  0x80
#define UART_MCR    4   /* rw modem control */
#define   MCR_DTR_RTS 0x03
#define UART_LSR    5   /* r- line status */
#define   LSR_DR    0x01  /* a received byte waits in RBR */
#define   LSR_THRE  0x20
#define   LSR_TEMT  0x40  /* transmitter idle: FIFO and shift register empty */

/* Bounded wait: about a second of polling at any realistic speed; a dead UART must not hang the CPU. */
#define THRE_SPINS  1000000
#define FIFO_BYTES  16  /* a 16550A's transmit FIFO */
#define BAUD        115200
#define QUEUE_BYTES 16384   /* the guest's lines the UART has not taken yet: ~1.4 s of the wire */

static bool present;
static unsigned fifo_bytes = 1;     /* what the transmitter takes at once when THRE says it is empty */
static unsigned room;               /* what it takes before the next wait for THRE (under printk's lock) */
static int held = -1;   /* a received byte taken from RBR by console_peek, not yet consumed */
static char queue_buf[QUEUE_BYTES];
static struct byte_ring queue = { queue_buf, QUEUE_BYTES, 0, 0 };   /* under printk's lock */

void console_init(void)
{
    /* No UART answers on an empty ISA port: reads float to 0xFF. */
    if (inb(COM1 + UART_LSR) == 0xFF)
        return;
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DLL, 1);           /* 115200 baud: divisor 1843200 / (16 * 115200) = 1 */
    outb(COM1 + UART_DLM, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0x07);        /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, MCR_DTR_RTS);
    if ((inb(COM1 + UART_IIR) & IIR_FIFOS) == IIR_FIFOS)
        fifo_bytes = FIFO_BYTES;
    present = true;
}

static void wait_lsr(u8 bit)
{
    for (int i = 0; i < THRE_SPINS && !(inb(COM1 + UART_LSR) & bit); i++)
        __asm__ volatile("pause");
}

/* THRE means the whole FIFO is empty: a line costs the CPU the wire time of all but its last FIFO-full, which
 * goes out while it does other work (at 115200 baud, 1.4 ms a line). */
static void put_byte(char c)
{
    if (room == 0) {
        wait_lsr(LSR_THRE);
        room = fifo_bytes;
    }
    outb(COM1 + UART_THR, (u8)c);
    room--;
}

/* What is queued goes first, waiting for the wire, so that lines keep their order. */
static void send_queue(void)
{
    char c;
    while (byte_ring_pop(&queue, &c, 1))
        put_byte(c);
}

void console_write(const char *s, size_t n)
{
    if (!present)
        return;
    send_queue();
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            put_byte('\r');
        put_byte(s[i]);
    }
}

bool console_pump(void)
{
    if (!present || byte_ring_count(&queue) == 0)
        return false;
    if (room == 0) {
        if (!(inb(COM1 + UART_LSR) & LSR_THRE))
            return true;
        room = fifo_bytes;
    }
    char c;
    while (room && byte_ring_pop(&queue, &c, 1)) {
        outb(COM1 + UART_THR, (u8)c);
        room--;
    }
    return byte_ring_count(&queue) != 0;
}

/* Full: the oldest byte waits for the wire, as the guest would without a queue. */
static void queue_byte(char c)
{
    char oldest;
    while (!byte_ring_push(&queue, &c, 1) && byte_ring_pop(&queue, &oldest, 1))
        put_byte(oldest);
}

bool console_write_queued(const char *s, size_t n)
{
    if (!present)
        return false;
    if (fifo_bytes == 1) {                  /* no FIFO: a timer a byte would cost more than the wait */
        console_write(s, n);
        return false;
    }
    bool was_empty = byte_ring_count(&queue) == 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            queue_byte('\r');
        queue_byte(s[i]);
    }
    return console_pump() && was_empty;
}

u64 console_fifo_ns(void)
{
    return (u64)fifo_bytes * 10 * 1000000000ULL / BAUD;    /* start, 8 data and stop bits a byte */
}

void console_flush(void)
{
    if (present) {
        send_queue();
        wait_lsr(LSR_TEMT);
        room = fifo_bytes;
    }
}

void console_resync(void)
{
    room = 0;
}

int console_peek(void)
{
    if (held < 0 && present && (inb(COM1 + UART_LSR) & LSR_DR))
        held = inb(COM1);
    return held;
}

void console_getc(void)
{
    held = -1;
}
