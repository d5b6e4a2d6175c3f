/* SPDX-License-Identifier: BSD-2-Clause */
/* The 16550A UART model (National PC16550D data sheet): registers, state and the hypervisor's back-end API. */
#ifndef DEVICES_UART16550_H
#define DEVICES_UART16550_H

#include "devices/wires.h"
#include "kernel/spinlock.h"

/* Register offsets from the base port (COM1: 0x3F8). DLAB is LCR bit 7. */
enum {
    UART_RBR = 0,   /* r- receive buffer (DLAB=0) */
    UART_THR = 0,   /* -w transmit holding (DLAB=0) */
    UART_DLL = 0,   /* rw divisor latch low (DLAB=1) */
    UART_IER = 1,   /* rw interrupt enable (DLAB=0) */
#define UART_IER_ERBFI  0x01    /* received data available (and character timeout) */
#define UART_IER_ETBEI  0x02    /* THR empty */
#define UART_IER_ELSI   0x04    /* receiver line status */
#define UART_IER_EDSSI  0x08    /* modem status */
    UART_DLM = 1,   /* rw divisor latch high (DLAB=1) */
    UART_IIR = 2,   /* r- interrupt identification */
#define UART_IIR_NONE   0x01    /* no interrupt pending */
#define UART_IIR_MSI    0x00    /* modem status (lowest priority) */
#define UART_IIR_THRI   0x02    /* THR empty */
#define UART_IIR_RDI    0x04    /* received data available */
#define UART_IIR_RLSI   0x06    /* receiver line status (highest) */
#define UART_IIR_CTI    0x0C    /* character timeout (FIFO mode) */
#define UART_IIR_FIFO   0xC0    /* both set when FIFOs are enabled: a 16550A */
    UART_FCR = 2,   /* -w FIFO control */
#define UART_FCR_ENABLE 0x01    /* enable both FIFOs; other bits are ignored unless set */
#define UART_FCR_CLR_RX 0x02
#define UART_FCR_CLR_TX 0x04
#define UART_FCR_DMA    0x08    /* only changes the RXRDY/TXRDY pins, which a PC does not wire */
#define UART_FCR_TRIG_SHIFT 6   /* RX trigger level 1, 4, 8, 14 bytes */
    UART_LCR = 3,   /* rw line control */
#define UART_LCR_WLEN   0x03    /* word length 5 + n bits */
#define UART_LCR_STOP   0x04    /* 2 stop bits (1.5 with 5-bit words) */
#define UART_LCR_PARITY 0x08
#define UART_LCR_EPAR   0x10
#define UART_LCR_SPAR   0x20
#define UART_LCR_BREAK  0x40
#define UART_LCR_DLAB   0x80
    UART_MCR = 4,   /* rw modem control; bits 5-7 read 0 */
#define UART_MCR_DTR    0x01
#define UART_MCR_RTS    0x02
#define UART_MCR_OUT1   0x04
#define UART_MCR_OUT2   0x08    /* gates the IRQ line on a PC */
#define UART_MCR_LOOP   0x10
    UART_LSR = 5,   /* r- line status; writes ignored */
#define UART_LSR_DR     0x01    /* data ready */
#define UART_LSR_OE     0x02    /* overrun (clears on read) */
#define UART_LSR_PE     0x04    /* parity error (clears on read) */
#define UART_LSR_FE     0x08    /* framing error (clears on read) */
#define UART_LSR_BI     0x10    /* break (clears on read) */
#define UART_LSR_THRE   0x20    /* THR / TX FIFO empty */
#define UART_LSR_TEMT   0x40    /* THR and shift register empty */
#define UART_LSR_FIFOE  0x80    /* error in RX FIFO */
    UART_MSR = 6,   /* r- modem status; writes ignored */
#define UART_MSR_DCTS   0x01    /* deltas clear on read */
#define UART_MSR_DDSR   0x02
#define UART_MSR_TERI   0x04    /* RI went inactive */
#define UART_MSR_DDCD   0x08
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80
    UART_SCR = 7,   /* rw scratch */
};

#define UART_FIFO_SIZE 16
#define UART_PORTS 8
#define UART_CLOCK_HZ 1843200   /* the PC's crystal: divisor = 1843200 / (16 x baud) */
/* The modem inputs outside loopback: a terminal is attached, always (no back end drives them). */
#define UART_LINE_IN (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)

/*
 * One UART. Every entry point takes `lock`, so several vCPUs and the hypervisor's console back end may call in at
 * once; the IRQ line is driven under the lock (see devices/wires.h for the lock order).
 */
struct uart {
    struct spinlock lock;
    struct dev_clock clock;
    struct dev_irq irq;

    u8 ier, lcr, mcr, scr, dll, dlm;
    u8 lsr_err;             /* OE|PE|FE|BI latched until LSR is read */
    u8 msr;                 /* status bits 4-7 and latched deltas 0-3 */
    bool fifo_on;
    u8 rx_trigger;          /* bytes */
    u8 rbr;                 /* last byte taken from the receiver: what an empty RBR reads */

    u8 rx[UART_FIFO_SIZE];  /* RBR (1 byte) or RX FIFO */
    u8 rx_head, rx_count;
    u8 tx[UART_FIFO_SIZE];  /* THR (1 byte) or TX FIFO */
    u8 tx_head, tx_count;
    u8 tsr;                 /* transmitter shift register: the byte the back end pulls next */
    bool tsr_full;

    bool thre_irq;          /* THR-empty interrupt latched (cleared by IIR read or THR write) */
    bool timeout_irq;       /* character timeout occurred (cleared by an RBR read) */
    u64 rx_activity_ns;     /* last time a byte entered or left the RX FIFO */
    bool irq_level;         /* what we last drove on the IRQ line */
    bool deadline_moved;    /* see uart_take_deadline_moved */
};

void uart_init(struct uart *u, struct dev_clock clock, struct dev_irq irq);

/* Guest side, for the I/O bus (width 1). dev is the struct uart. */
u32 uart_io_read(void *dev, u16 offset, unsigned size);
void uart_io_write(void *dev, u16 offset, unsigned size, u32 value);

/* Back end. Takes the next transmitted byte; false when the transmitter is empty (or in loopback). */
bool uart_tx_pop(struct uart *u, u8 *byte);
/* Offers one received byte; false (nothing changes) while the receiver is full, so the caller keeps it. */
bool uart_rx_push(struct uart *u, u8 byte);
/*
 * Brings timed state (the character timeout) up to the clock, then says when it next changes the IRQ line, in
 * clock nanoseconds, or DEV_NO_DEADLINE. The board calls it on the vCPU that serves the device timers, before
 * that vCPU enters the guest, after an access the model flagged (uart_take_deadline_moved) and once the deadline
 * it returned has passed (vm/board.c uart_timer_fire).
 */
u64 uart_next_deadline(struct uart *u);

/*
 * Whether uart_next_deadline() may have changed, or IER's receive interrupt enable (ERBFI) was written, since
 * the last call; clears the flag. The model sets it under its lock, exactly where the character timeout's
 * inputs change: a byte in or out of the RX FIFO, the timeout firing, FCR, LCR, the divisor, IER. With the
 * FIFOs off there is no timeout, so bytes coming and going in the one-byte receiver do not set it. Lock-free:
 * a flag set after the load here is seen by the next call.
 * Take it on the CPU that made the access, after it: the model's unlock orders the whole change before it.
 */
static inline bool uart_take_deadline_moved(struct uart *u)
{
    return __atomic_load_n(&u->deadline_moved, __ATOMIC_ACQUIRE) &&
           __atomic_exchange_n(&u->deadline_moved, false, __ATOMIC_ACQ_REL);
}

#endif
