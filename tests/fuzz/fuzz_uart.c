/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the 16550A: random port accesses, back-end calls and time steps, invariants after each. */
#include "devices/guest_console.h"
#include "devices/iobus.h"
#include "devices/uart16550.h"
#include "fuzz_check.h"

#define COM1 0x3F8

struct env {
    u64 now;
    bool irq;
};

/* Every console line: the prefix, printable text (or tab), at most GUEST_LINE_MAX of it, one final newline. */
static void console_emit(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    size_t plen = sizeof(GUEST_LINE_PREFIX) - 1;
    INVARIANT(len > plen && len <= plen + GUEST_LINE_MAX + 1 && line[len - 1] == '\n');
    for (size_t i = 0; i < plen; i++)
        INVARIANT(line[i] == GUEST_LINE_PREFIX[i]);
    for (size_t i = plen; i < len - 1; i++)
        INVARIANT(line[i] == '\t' || (line[i] >= 0x20 && line[i] < 0x7F));
}

static u64 env_now(void *ctx)
{
    return ((struct env *)ctx)->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    INVARIANT(line == 4);
    INVARIANT(e->irq != level);                 /* models drive the line only on a change */
    e->irq = level;
}

/* IIR's interrupt ID, written from the data sheet's table independently of the model. */
static u8 ref_iir(const struct uart *u)
{
    bool ls = (u->ier & UART_IER_ELSI) && (u->lsr_err & 0x1E);
    bool rda = (u->ier & UART_IER_ERBFI) && u->rx_count >= (u->fifo_on ? u->rx_trigger : 1);
    bool cti = (u->ier & UART_IER_ERBFI) && u->timeout_irq;
    bool thr = (u->ier & UART_IER_ETBEI) && u->thre_irq;
    bool ms = (u->ier & UART_IER_EDSSI) && (u->msr & 0x0F);
    return ls ? 0x06 : rda ? 0x04 : cti ? 0x0C : thr ? 0x02 : ms ? 0x00 : 0x01;
}

static void check_state(const struct uart *u, const struct env *e)
{
    unsigned cap = u->fifo_on ? UART_FIFO_SIZE : 1;
    INVARIANT(u->rx_count <= cap && u->tx_count <= cap);
    INVARIANT(u->rx_head < UART_FIFO_SIZE && u->tx_head < UART_FIFO_SIZE);
    INVARIANT(u->ier < 0x10 && u->mcr < 0x20);
    INVARIANT((u->lsr_err & ~0x1E) == 0);
    INVARIANT(u->rx_trigger == 1 || u->rx_trigger == 4 || u->rx_trigger == 8 || u->rx_trigger == 14);
    INVARIANT(u->tsr_full || u->tx_count == 0);         /* a free shift register never leaves THR waiting */
    INVARIANT(!(u->mcr & UART_MCR_LOOP) || !u->tsr_full);   /* in loopback nothing waits for the line */
    INVARIANT(!u->thre_irq || u->tx_count == 0);
    INVARIANT(!u->timeout_irq || (u->fifo_on && u->rx_count > 0));
    INVARIANT(e->irq == ((u->mcr & UART_MCR_OUT2) && ref_iir(u) != 0x01));
    if (u->mcr & UART_MCR_LOOP)
        INVARIANT((u->msr & 0xF0) == (((u->mcr & 2) ? 0x10 : 0) | ((u->mcr & 1) ? 0x20 : 0) |
                                      ((u->mcr & 4) ? 0x40 : 0) | ((u->mcr & 8) ? 0x80 : 0)));
    else
        INVARIANT((u->msr & 0xF0) == UART_LINE_IN);
}

static void check_read(const struct uart *pre, const struct uart *u, unsigned reg, u8 v)
{
    bool dlab = pre->lcr & UART_LCR_DLAB;
    switch (reg) {
    case UART_RBR:
        if (dlab) {
            INVARIANT(v == pre->dll);
        } else if (pre->rx_count) {
            INVARIANT(v == pre->rx[pre->rx_head] && u->rx_count == pre->rx_count - 1);
        } else {
            INVARIANT(v == pre->rbr);
        }
        break;
    case UART_IER:
        INVARIANT(v == (dlab ? pre->dlm : pre->ier));
        break;
    case UART_IIR:
        INVARIANT((v & 0x0F) == ref_iir(pre));
        INVARIANT((v & 0x30) == 0 && (v >> 6) == (pre->fifo_on ? 3 : 0));
        INVARIANT((v & 0x0F) != 0x02 || !u->thre_irq);
        break;
    case UART_LSR:
        INVARIANT(!!(v & UART_LSR_DR) == (pre->rx_count > 0));   /* DR iff the receiver holds data */
        INVARIANT(!!(v & UART_LSR_THRE) == (pre->tx_count == 0));
        INVARIANT(!!(v & UART_LSR_TEMT) == (pre->tx_count == 0 && !pre->tsr_full));
        INVARIANT((v & 0x1E) == pre->lsr_err && u->lsr_err == 0 && !(v & UART_LSR_FIFOE));
        break;
    case UART_MSR:
        INVARIANT(v == pre->msr && (u->msr & 0x0F) == 0);
        break;
    default:
        break;
    }
}

static void check_write(const struct uart *pre, const struct uart *u, unsigned reg, u8 v)
{
    if (reg != UART_THR || (pre->lcr & UART_LCR_DLAB) || (pre->mcr & UART_MCR_LOOP))
        return;
    /* A byte written to THR is queued unless the FIFO is full; nothing is lost or invented. */
    unsigned before = pre->tx_count + pre->tsr_full, after = u->tx_count + u->tsr_full;
    if (pre->tx_count < (pre->fifo_on ? UART_FIFO_SIZE : 1u))
        INVARIANT(after == before + 1);
    else
        INVARIANT(after == before);
    (void)v;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct env e = { .now = 1000000000ULL };
    struct uart u;
    struct iobus bus;
    struct guest_console con;
    guest_console_init(&con, console_emit, NULL);
    uart_init(&u, (struct dev_clock){ env_now, &e }, (struct dev_irq){ env_irq, &e, 4 });
    iobus_init(&bus);
    struct io_region r = { COM1, COM1 + UART_PORTS - 1, 1, uart_io_read, uart_io_write, &u, "com1" };
    INVARIANT(iobus_register(&bus, &r) == IOBUS_OK);

    for (size_t i = 0; i + 4 <= size; i += 4) {
        u8 op = data[i], val = data[i + 1];
        e.now += (u64)(data[i + 2] | data[i + 3] << 8) * 100;     /* up to 6.5 ms a step */
        unsigned reg = op & 7, action = (op >> 3) & 7;
        unsigned sz = (op >> 6) < 2 ? 1 : (op >> 6) == 2 ? 2 : 4;

        u64 deadline = uart_next_deadline(&u);  /* brings timed state to now, so `pre` is what the access sees */
        bool erbfi = u.ier & UART_IER_ERBFI;
        uart_take_deadline_moved(&u);
        struct uart pre = u;
        u8 b = 0;
        switch (action) {
        case 0:
        case 1:
            if (sz == 1) {
                u8 v = (u8)iobus_in(&bus, (u16)(COM1 + reg), 1);
                check_read(&pre, &u, reg, v);
            } else {
                (void)iobus_in(&bus, (u16)(COM1 + reg), sz);
            }
            break;
        case 2:
        case 3:
            iobus_out(&bus, (u16)(COM1 + reg), sz, (u32)val * 0x01010101u);
            if (sz == 1)
                check_write(&pre, &u, reg, val);
            break;
        case 4:
            INVARIANT(uart_tx_pop(&u, &b) == pre.tsr_full);
            if (pre.tsr_full) {
                INVARIANT(b == pre.tsr);
                guest_console_put(&con, b);
                if (pre.tx_count)
                    INVARIANT(u.tsr_full && u.tsr == pre.tx[pre.tx_head]);   /* FIFO order */
            }
            break;
        case 5: {
            bool ok = uart_rx_push(&u, val);
            /* Room, and not in loopback, where the receiver input is disconnected. */
            INVARIANT(ok == (!(pre.mcr & UART_MCR_LOOP) && pre.rx_count < (pre.fifo_on ? UART_FIFO_SIZE : 1)));
            INVARIANT(u.rx_count == pre.rx_count + ok);
            break;
        }
        case 6: {
            /* The deadline is in the future, and arriving at it does raise the timeout. */
            u64 d = uart_next_deadline(&u);
            INVARIANT(d == DEV_NO_DEADLINE || d > e.now);
            if (d != DEV_NO_DEADLINE) {
                e.now = d;
                uart_next_deadline(&u);         /* as the board does when the deadline passes */
                INVARIANT(u.timeout_irq && ref_iir(&u) != 0x01);
            }
            break;
        }
        default:
            guest_console_flush(&con);
            break;
        }
        check_state(&u, &e);
        /* The model flags every change of its deadline, and of ERBFI (the platform's input poll follows it). */
        bool moved = uart_take_deadline_moved(&u);
        if (uart_next_deadline(&u) != deadline || !!(u.ier & UART_IER_ERBFI) != erbfi)
            INVARIANT(moved);
        uart_take_deadline_moved(&u);
    }
    return 0;
}
