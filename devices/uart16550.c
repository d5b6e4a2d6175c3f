/* SPDX-License-Identifier: BSD-2-Clause */
/* The 16550A UART model: register semantics, FIFOs, interrupt identification, loopback and character timeout. */
#include "devices/uart16550.h"
#include "kernel/assert.h"

/*
 * Transmit side: the guest fills THR (or the 16-byte TX FIFO); a byte moves to the shift register TSR at once
 * when TSR is free, and the hypervisor's console drains TSR with uart_tx_pop(). The chip therefore transmits at
 * whatever speed the console takes bytes: a slow console shows the guest a busy transmitter (THRE/TEMT clear),
 * never a lost byte. In loopback nothing leaves the chip: TSR feeds the receiver directly (PC16550D, MCR bit 4).
 */

static const u8 rx_trigger_bytes[4] = { 1, 4, 8, 14 };

/* Under the lock; taken without it by uart_take_deadline_moved, hence atomic. */
static void note_deadline_moved(struct uart *u)
{
    __atomic_store_n(&u->deadline_moved, true, __ATOMIC_RELAXED);
}

static unsigned fifo_cap(const struct uart *u)
{
    return u->fifo_on ? UART_FIFO_SIZE : 1;
}

static u8 word_mask(const struct uart *u)
{
    return (u8)(0xFF >> (3 - (u->lcr & UART_LCR_WLEN)));
}

/* The character timeout, 4 character times in ns: start, data, parity and stop bits at 1843200 / (16 x divisor)
 * baud, computed in one division so it does not accumulate rounding. */
static u64 timeout_ns(const struct uart *u)
{
    u64 divisor = (u64)u->dlm << 8 | u->dll;
    if (divisor == 0)
        divisor = 65536;                        /* the 16-bit baud counter wraps: the slowest rate */
    unsigned wlen = 5 + (u->lcr & UART_LCR_WLEN);
    unsigned half_bits = 2 * (1 + wlen + !!(u->lcr & UART_LCR_PARITY));
    half_bits += !(u->lcr & UART_LCR_STOP) ? 2 : wlen == 5 ? 3 : 4;
    return 4 * half_bits * divisor * 16 * NSEC_PER_SEC / (2 * (u64)UART_CLOCK_HZ);
}

/* Modem inputs as the chip sees them: in loopback RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD (PC16550D, MCR). */
static u8 modem_inputs(const struct uart *u)
{
    if (!(u->mcr & UART_MCR_LOOP))
        return UART_LINE_IN;
    u8 m = u->mcr;
    return (u8)((m & UART_MCR_RTS ? UART_MSR_CTS : 0) | (m & UART_MCR_DTR ? UART_MSR_DSR : 0) |
                (m & UART_MCR_OUT1 ? UART_MSR_RI : 0) | (m & UART_MCR_OUT2 ? UART_MSR_DCD : 0));
}

/* Latch the deltas of a change of inputs; TERI is the trailing edge of RI only (RI was on, is now off). */
static void modem_update(struct uart *u)
{
    u8 old = u->msr & 0xF0, now = modem_inputs(u), changed = old ^ now;
    u8 delta = (changed & UART_MSR_CTS ? UART_MSR_DCTS : 0) | (changed & UART_MSR_DSR ? UART_MSR_DDSR : 0) |
               (changed & UART_MSR_DCD ? UART_MSR_DDCD : 0) |
               ((old & ~now) & UART_MSR_RI ? UART_MSR_TERI : 0);
    u->msr = (u8)(now | (u->msr & 0x0F) | delta);
}

/* The pending source IIR reports, highest priority first (PC16550D Table IV), or UART_IIR_NONE. */
static inline u8 pending(const struct uart *u)
{
    if ((u->ier & UART_IER_ELSI) && u->lsr_err)
        return UART_IIR_RLSI;
    if (u->ier & UART_IER_ERBFI) {
        if (u->rx_count >= (u->fifo_on ? u->rx_trigger : 1))
            return UART_IIR_RDI;
        if (u->timeout_irq)
            return UART_IIR_CTI;
    }
    if ((u->ier & UART_IER_ETBEI) && u->thre_irq)
        return UART_IIR_THRI;
    if ((u->ier & UART_IER_EDSSI) && (u->msr & 0x0F))
        return UART_IIR_MSI;
    return UART_IIR_NONE;
}

/* The IRQ pin: an enabled source pending, passed to the bus only while OUT2 is set (PC wiring). */
static inline __attribute__((always_inline)) void irq_update(struct uart *u)
{
    bool level = (u->mcr & UART_MCR_OUT2) && pending(u) != UART_IIR_NONE;
    if (level != u->irq_level) {
        u->irq_level = level;
        u->irq.set(u->irq.ctx, u->irq.line, level);
    }
}

/* The character timeout: FIFO mode, bytes waiting, no FIFO activity for 4 character times (PC16550D, FIFO
 * interrupt mode operation, A-D). */
static inline u64 timeout_deadline(const struct uart *u)
{
    if (!u->fifo_on || u->rx_count == 0 || u->timeout_irq)
        return DEV_NO_DEADLINE;
    return u->rx_activity_ns + timeout_ns(u);
}

static __attribute__((noinline)) bool advance_clock(struct uart *u)
{
    if (dev_now(&u->clock) < timeout_deadline(u))
        return false;
    u->timeout_irq = true;
    note_deadline_moved(u);
    return true;
}

/* Bring the character timeout up to the clock; true if it occurred. The clock is read only while a timeout can
 * be pending (the conditions of timeout_deadline), so the hot paths (LSR polling, THR writes) never call it. */
static inline __attribute__((always_inline)) bool advance(struct uart *u)
{
    return u->fifo_on && u->rx_count && !u->timeout_irq && advance_clock(u);
}

/* A byte finished arriving. FIFO full: OE, and the new byte stays in the shift register to be overwritten; no
 * FIFO: the new byte overwrites RBR, destroying the old (PC16550D, LSR bit 1). */
static void receive(struct uart *u, u8 byte)
{
    byte &= word_mask(u);
    if (u->rx_count == fifo_cap(u)) {
        u->lsr_err |= UART_LSR_OE;
        if (!u->fifo_on)
            u->rx[u->rx_head] = byte;
    } else {
        u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
        u->rx_count++;
    }
    if (u->fifo_on) {   /* the character timeout exists only in FIFO mode, and changing the mode empties the FIFOs */
        u->rx_activity_ns = dev_now(&u->clock);
        note_deadline_moved(u);
    }
}

/* THR (or the TX FIFO) to the shift register; the holding side running empty raises the THRE interrupt. */
static void tx_shift(struct uart *u)
{
    while (!u->tsr_full && u->tx_count) {
        u->tsr = u->tx[u->tx_head];
        u->tx_head = (u->tx_head + 1) % UART_FIFO_SIZE;
        u->tx_count--;
        u->tsr_full = true;
        if (u->tx_count == 0)
            u->thre_irq = true;
        if (u->mcr & UART_MCR_LOOP) {
            u->tsr_full = false;
            receive(u, u->tsr);
        }
    }
}

static void clear_tx(struct uart *u)
{
    if (u->tx_count)
        u->thre_irq = true;
    u->tx_count = u->tx_head = 0;
}

static void clear_rx(struct uart *u)
{
    u->rx_count = u->rx_head = 0;
    u->timeout_irq = false;
}

void uart_init(struct uart *u, struct dev_clock clock, struct dev_irq irq)
{
    /*
     * Master-reset state (PC16550D Table V) except the line format: guests booted without firmware often write THR
     * without programming the UART, and with the reset LCR (5-bit words) their text would lose bits 5-7. So the
     * line starts as the PC BIOS leaves it, 9600 baud 8N1 (the divisor is undefined after reset anyway).
     */
    *u = (struct uart){
        .lock = SPINLOCK_INIT,
        .clock = clock,
        .irq = irq,
        .dll = 12,
        .lcr = 0x03,
        .rx_trigger = 1,
        .msr = UART_LINE_IN,
        .rx_activity_ns = dev_now(&clock),
        .deadline_moved = true,
    };
}

/* A register read, with its side effects; *changed says whether one can move the IRQ line. */
static u8 read_reg(struct uart *u, unsigned reg, bool *changed)
{
    bool dlab = u->lcr & UART_LCR_DLAB;
    u8 v;

    switch (reg) {
    case UART_RBR:
        if (dlab)
            return u->dll;
        *changed = true;
        if (u->rx_count) {
            u->rbr = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
            u->rx_count--;
        }
        if (u->rx_count && u->fifo_on)
            u->rx_activity_ns = dev_now(&u->clock);     /* a read restarts the timeout; empty, it cannot fire */
        u->timeout_irq = false;
        if (u->fifo_on)
            note_deadline_moved(u);                     /* without FIFOs there is no timeout to move */
        return u->rbr;
    case UART_IER:
        return dlab ? u->dlm : u->ier;
    case UART_IIR:
        v = pending(u);
        if (v == UART_IIR_THRI) {
            u->thre_irq = false;                /* reading IIR clears THRE when it is the source reported */
            *changed = true;
        }
        return (u8)(v | (u->fifo_on ? UART_IIR_FIFO : 0));
    case UART_LCR:
        return u->lcr;
    case UART_MCR:
        return u->mcr;
    case UART_LSR:
        v = (u8)((u->rx_count ? UART_LSR_DR : 0) | u->lsr_err | (u->tx_count ? 0 : UART_LSR_THRE) |
                 (u->tx_count || u->tsr_full ? 0 : UART_LSR_TEMT));
        if (u->lsr_err) {
            u->lsr_err = 0;                     /* OE/PE/FE/BI clear when read; our bytes never carry PE/FE/BI */
            *changed = true;
        }
        return v;
    case UART_MSR:
        v = u->msr;
        if (v & 0x0F) {
            u->msr &= 0xF0;                     /* the deltas clear when read */
            *changed = true;
        }
        return v;
    default:
        return u->scr;
    }
}

static void write_reg(struct uart *u, unsigned reg, u8 v)
{
    bool dlab = u->lcr & UART_LCR_DLAB;
    u8 old;

    /* The character timeout follows the line format, the divisor, the FIFO mode and IER (uart_next_deadline);
     * THR writes move it only through receive() in loopback. */
    if (reg == UART_IER || reg == UART_FCR || reg == UART_LCR || (reg == UART_DLL && dlab))
        note_deadline_moved(u);
    switch (reg) {
    case UART_THR:
        if (dlab) {
            u->dll = v;
            break;
        }
        if (u->tx_count < fifo_cap(u)) {
            u->tx[(u->tx_head + u->tx_count) % UART_FIFO_SIZE] = v & word_mask(u);
            u->tx_count++;
        } else if (!u->fifo_on) {
            u->tx[u->tx_head] = v & word_mask(u);   /* a full THR is overwritten; a full FIFO ignores the write */
        }
        u->thre_irq = false;
        tx_shift(u);
        break;
    case UART_IER:
        if (dlab) {
            u->dlm = v;
            break;
        }
        old = u->ier;
        u->ier = v & 0x0F;
        /* Enabling ETBEI with THR empty raises THRE at once (Linux UART_BUG_THRE relies on it); disabling drops it. */
        if (!(old & UART_IER_ETBEI) && (u->ier & UART_IER_ETBEI) && u->tx_count == 0)
            u->thre_irq = true;
        else if (!(u->ier & UART_IER_ETBEI))
            u->thre_irq = false;
        break;
    case UART_FCR:
        /* Changing FCR bit 0 empties both FIFOs; the other bits only take effect with bit 0 set (PC16550D FCR). */
        if (!!(v & UART_FCR_ENABLE) != u->fifo_on) {
            clear_rx(u);
            clear_tx(u);
            u->fifo_on = v & UART_FCR_ENABLE;
        }
        if (v & UART_FCR_ENABLE) {
            if (v & UART_FCR_CLR_RX)
                clear_rx(u);
            if (v & UART_FCR_CLR_TX)
                clear_tx(u);
            u->rx_trigger = rx_trigger_bytes[v >> UART_FCR_TRIG_SHIFT];
        }
        tx_shift(u);
        break;
    case UART_LCR:
        u->lcr = v;
        break;
    case UART_MCR:
        u->mcr = v & 0x1F;
        modem_update(u);
        if (u->mcr & UART_MCR_LOOP && u->tsr_full) {
            u->tsr_full = false;                /* the byte being shifted out comes back in */
            receive(u, u->tsr);
        }
        tx_shift(u);
        break;
    case UART_LSR:
    case UART_MSR:
        break;                                  /* read-only (the data sheet's factory-test writes are not modelled) */
    default:
        u->scr = v;
        break;
    }
}

u32 uart_io_read(void *dev, u16 offset, unsigned size)
{
    struct uart *u = dev;
    ASSERT(offset < UART_PORTS && size == 1);
    spin_lock(&u->lock);
    bool changed = advance(u);
    u8 v = read_reg(u, offset, &changed);
    if (changed)
        irq_update(u);      /* a status read (LSR, IER, ...) that cleared nothing leaves the line as it is */
    spin_unlock(&u->lock);
    return v;
}

void uart_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct uart *u = dev;
    ASSERT(offset < UART_PORTS && size == 1);
    spin_lock(&u->lock);
    advance(u);
    write_reg(u, offset, (u8)value);
    irq_update(u);
    spin_unlock(&u->lock);
}

bool uart_tx_pop(struct uart *u, u8 *byte)
{
    spin_lock(&u->lock);
    bool got = u->tsr_full;
    if (got) {
        advance(u);
        *byte = u->tsr;
        u->tsr_full = false;
        tx_shift(u);
        irq_update(u);
    }
    spin_unlock(&u->lock);
    return got;
}

bool uart_rx_push(struct uart *u, u8 byte)
{
    spin_lock(&u->lock);
    /* In loopback the receiver input is disconnected (PC16550D, "Loopback"): the byte waits with the caller. */
    bool room = !(u->mcr & UART_MCR_LOOP) && u->rx_count < fifo_cap(u);
    if (room) {
        advance(u);
        receive(u, byte);
        irq_update(u);
    }
    spin_unlock(&u->lock);
    return room;
}

/*
 * Brings the model up to now (the character timeout may fire), then: only the character timeout is timed; it
 * matters to the IRQ line only while ERBFI is enabled.
 */
u64 uart_next_deadline(struct uart *u)
{
    spin_lock(&u->lock);
    advance(u);
    irq_update(u);
    u64 d = (u->ier & UART_IER_ERBFI) ? timeout_deadline(u) : DEV_NO_DEADLINE;
    spin_unlock(&u->lock);
    return d;
}
