/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the 16550A model: how Linux, small kernels and the console back end drive it. */
#include "devices/iobus.h"
#include "devices/uart16550.h"
#include "unit.h"

#define COM1 0x3F8

struct env {
    u64 now;
    bool irq;
    unsigned line, edges;
};

static u64 env_now(void *ctx)
{
    return ((struct env *)ctx)->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    e->line = line;
    e->irq = level;
    e->edges += level;
}

static void setup(struct uart *u, struct env *e)
{
    *e = (struct env){ .now = 1000000 };
    uart_init(u, (struct dev_clock){ env_now, e }, (struct dev_irq){ env_irq, e, 4 });
}

static u8 rd(struct uart *u, unsigned reg)
{
    return (u8)uart_io_read(u, (u16)reg, 1);
}

static void wr(struct uart *u, unsigned reg, u8 v)
{
    uart_io_write(u, (u16)reg, 1, v);
}

/* 115200 8N1, FIFOs on with trigger `fcr`, everything Linux enables. */
static void linux_like(struct uart *u, u8 fcr)
{
    wr(u, UART_LCR, UART_LCR_DLAB);
    wr(u, UART_DLL, 1);
    wr(u, UART_DLM, 0);
    wr(u, UART_LCR, 0x03);
    wr(u, UART_FCR, fcr);
    wr(u, UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
}

TEST(uart_reset_state)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    CHECK_EQ(rd(&u, UART_IER), 0);
    CHECK_EQ(rd(&u, UART_IIR), 0x01);
    CHECK_EQ(rd(&u, UART_LCR), 0x03);                  /* 8N1, as the BIOS leaves it */
    CHECK_EQ(rd(&u, UART_MCR), 0);
    CHECK_EQ(rd(&u, UART_LSR), 0x60);
    CHECK_EQ(rd(&u, UART_MSR), UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD);
    CHECK(!e.irq);
}

/* drivers/tty/serial/8250/8250_port.c: autoconfig() and autoconfig_16550a(), through the I/O bus. */
TEST(uart_linux_probe)
{
    struct uart u;
    struct env e;
    struct iobus bus;
    setup(&u, &e);
    iobus_init(&bus);
    struct io_region r = { COM1, COM1 + 7, 1, uart_io_read, uart_io_write, &u, "com1" };
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);

    u8 scratch = (u8)iobus_in(&bus, COM1 + UART_IER, 1);
    iobus_out(&bus, COM1 + UART_IER, 1, 0);
    iobus_out(&bus, 0x80, 1, 0xFF);                    /* the bus-float guard: nobody claims 0x80 */
    u8 scratch2 = iobus_in(&bus, COM1 + UART_IER, 1) & 0x0F;
    iobus_out(&bus, COM1 + UART_IER, 1, 0x0F);
    iobus_out(&bus, 0x80, 1, 0);
    u8 scratch3 = iobus_in(&bus, COM1 + UART_IER, 1) & 0x0F;
    iobus_out(&bus, COM1 + UART_IER, 1, scratch);
    CHECK_EQ(scratch2, 0);
    CHECK_EQ(scratch3, 0x0F);
    CHECK_EQ(iobus_in(&bus, COM1 + UART_IER, 1), 0);

    u8 save_mcr = (u8)iobus_in(&bus, COM1 + UART_MCR, 1);
    iobus_out(&bus, COM1 + UART_MCR, 1, UART_MCR_LOOP | 0x0A);
    CHECK_EQ(iobus_in(&bus, COM1 + UART_MSR, 1) & 0xF0, 0x90);
    iobus_out(&bus, COM1 + UART_MCR, 1, save_mcr);

    iobus_out(&bus, COM1 + UART_LCR, 1, 0xBF);         /* UART_LCR_CONF_MODE_B */
    iobus_out(&bus, COM1 + 2, 1, 0);                   /* EFR: FCR on a 16550A */
    iobus_out(&bus, COM1 + UART_LCR, 1, 0);
    iobus_out(&bus, COM1 + UART_FCR, 1, UART_FCR_ENABLE);
    CHECK_EQ(iobus_in(&bus, COM1 + UART_IIR, 1) >> 6, 3);           /* a 16550A */

    iobus_out(&bus, COM1 + UART_LCR, 1, 0x80);         /* no EFR: IIR reads non-zero with DLAB set */
    CHECK(iobus_in(&bus, COM1 + 2, 1) != 0);
    iobus_out(&bus, COM1 + UART_LCR, 1, 0xBF);
    CHECK(iobus_in(&bus, COM1 + 2, 1) != 0);
    iobus_out(&bus, COM1 + UART_LCR, 1, 0);
    /* No TI16750: FCR bit 5 does not make IIR bit 5 appear. */
    iobus_out(&bus, COM1 + UART_FCR, 1, UART_FCR_ENABLE | 0x20);
    CHECK_EQ(iobus_in(&bus, COM1 + UART_IIR, 1) & 0xE0, 0xC0);
    iobus_out(&bus, COM1 + UART_FCR, 1, 0);
    CHECK_EQ(iobus_in(&bus, COM1 + UART_IIR, 1) & 0xC0, 0);
    CHECK(iobus_in(&bus, COM1 + UART_LSR, 1) != 0xFF);
    iobus_out(&bus, COM1 + UART_SCR, 1, 0xA5);
    CHECK_EQ(iobus_in(&bus, COM1 + UART_SCR, 1), 0xA5);
    CHECK(!e.irq);
}

/* serial8250_do_startup(): the UART_BUG_THRE and UART_BUG_TXEN checks must both pass. */
TEST(uart_linux_thre_txen)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0x01);
    CHECK(rd(&u, UART_LSR) & UART_LSR_THRE);           /* wait_for_xmitr */
    wr(&u, UART_IER, UART_IER_ETBEI);
    u8 iir1 = rd(&u, UART_IIR);
    wr(&u, UART_IER, 0);
    wr(&u, UART_IER, UART_IER_ETBEI);
    u8 iir = rd(&u, UART_IIR);
    wr(&u, UART_IER, 0);
    CHECK_EQ(iir1 & 0x0F, UART_IIR_THRI);
    CHECK_EQ(iir & 0x0F, UART_IIR_THRI);               /* re-asserted: no UART_BUG_THRE */

    wr(&u, UART_IER, UART_IER_ETBEI);
    u8 lsr = rd(&u, UART_LSR);
    iir = rd(&u, UART_IIR);
    wr(&u, UART_IER, 0);
    CHECK(lsr & UART_LSR_TEMT);
    CHECK(!(iir & UART_IIR_NONE));                     /* no UART_BUG_TXEN */
    /* Reading IIR cleared THRE: it stays cleared until THR is written or ETBEI re-enabled. */
    wr(&u, UART_IER, UART_IER_ETBEI);
    CHECK_EQ(rd(&u, UART_IIR), 0xC2);
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);
    wr(&u, UART_IER, UART_IER_ETBEI);                  /* no rising edge: no new interrupt */
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);
}

/* The usual test-kernel init, then polled output while the console back end drains slowly. */
TEST(uart_small_kernel_init_and_polled_output)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    wr(&u, UART_LCR, UART_LCR_DLAB);
    wr(&u, UART_DLL, 1);
    wr(&u, UART_DLM, 0);
    wr(&u, UART_LCR, 0);
    wr(&u, UART_IER, 0);
    wr(&u, UART_LCR, 0x03);
    wr(&u, UART_FCR, 0);
    wr(&u, UART_MCR, 0x03);
    wr(&u, UART_LCR, 0x83);
    CHECK_EQ(rd(&u, UART_DLL), 1);
    CHECK_EQ(rd(&u, UART_DLM), 0);
    wr(&u, UART_LCR, 0x03);

    const char *msg = "ok\n";
    char got[8] = { 0 };
    unsigned n = 0, polls = 0;
    for (const char *c = msg; *c; c++) {
        while (!(rd(&u, UART_LSR) & UART_LSR_THRE)) {   /* busy: the console takes one byte per poll */
            polls++;
            CHECK(uart_tx_pop(&u, (u8 *)&got[n]));
            n++;
        }
        wr(&u, UART_THR, (u8)*c);
    }
    while (uart_tx_pop(&u, (u8 *)&got[n]))
        n++;
    CHECK_STR(got, "ok\n");
    CHECK_EQ(polls, 1);                                 /* THR + shift register held two, the third waited */
    CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

TEST(uart_busy_transmitter_not_lossy)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0x07);
    wr(&u, UART_THR, 'A');
    CHECK_EQ(rd(&u, UART_LSR), UART_LSR_THRE);          /* in the shift register: THRE but not TEMT */
    for (int i = 1; i <= 16; i++)
        wr(&u, UART_THR, (u8)('A' + i));
    CHECK_EQ(rd(&u, UART_LSR), 0);                      /* FIFO full, nothing popped */
    wr(&u, UART_THR, '!');                              /* a write to a full FIFO is ignored */
    for (int i = 0; i <= 16; i++) {
        u8 b = 0;
        CHECK(uart_tx_pop(&u, &b));
        CHECK_EQ(b, 'A' + i);
    }
    u8 b;
    CHECK(!uart_tx_pop(&u, &b));
    CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

/* The THRE interrupt while the console is slow: raised when the holding side drains, cleared by THR writes. */
TEST(uart_thre_interrupt_follows_console)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0x00);                               /* 16450 mode: a 1-byte THR */
    wr(&u, UART_IER, UART_IER_ETBEI);
    CHECK(e.irq);
    wr(&u, UART_THR, 'x');                              /* straight to the shift register: THR empty again */
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0x02);
    CHECK(!e.irq);
    wr(&u, UART_THR, 'y');                              /* waits in THR */
    CHECK(!e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0x01);
    u8 b;
    CHECK(uart_tx_pop(&u, &b) && b == 'x');             /* 'y' moves to the shift register */
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0x02);
    CHECK(uart_tx_pop(&u, &b) && b == 'y');
    CHECK(!e.irq);                                      /* TEMT alone does not interrupt */
    CHECK_EQ(rd(&u, UART_LSR), 0x60);
}

TEST(uart_irq_needs_out2)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    wr(&u, UART_IER, UART_IER_ETBEI);
    CHECK_EQ(rd(&u, UART_IIR), 0x02);                  /* pending and reported ... */
    CHECK(!e.irq);                                      /* ... but the PC's OUT2 gate is closed */
    wr(&u, UART_IER, 0);
    wr(&u, UART_IER, UART_IER_ETBEI);
    wr(&u, UART_MCR, UART_MCR_OUT2);
    CHECK(e.irq);
    CHECK_EQ(e.line, 4);
    wr(&u, UART_MCR, 0);
    CHECK(!e.irq);
}

TEST(uart_dlab_aliasing)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    wr(&u, UART_IER, 0x05);
    wr(&u, UART_LCR, 0x83);
    wr(&u, UART_DLL, 0x0C);
    wr(&u, UART_DLM, 0xAB);
    CHECK_EQ(rd(&u, UART_DLL), 0x0C);
    CHECK_EQ(rd(&u, UART_DLM), 0xAB);
    wr(&u, UART_LCR, 0x03);
    CHECK_EQ(rd(&u, UART_IER), 0x05);
    wr(&u, UART_IER, 0xFF);
    CHECK_EQ(rd(&u, UART_IER), 0x0F);                  /* bits 4-7 read 0 */
    wr(&u, UART_MCR, 0xFF);
    CHECK_EQ(rd(&u, UART_MCR), 0x1F);                  /* bits 5-7 read 0 */
    wr(&u, UART_LSR, 0x00);                             /* ignored */
    wr(&u, UART_MSR, 0x00);
    CHECK_EQ(rd(&u, UART_LSR) & 0x60, 0x60);
}

TEST(uart_loopback_data_and_modem_deltas)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0x07);
    rd(&u, UART_MSR);
    wr(&u, UART_MCR, UART_MCR_LOOP);                    /* all outputs off: CTS/DSR/DCD drop */
    CHECK_EQ(rd(&u, UART_MSR), UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
    CHECK_EQ(rd(&u, UART_MSR), 0);                      /* deltas clear on read */
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);
    CHECK_EQ(rd(&u, UART_MSR), UART_MSR_CTS | UART_MSR_DCTS);
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT1);
    CHECK_EQ(rd(&u, UART_MSR), UART_MSR_CTS | UART_MSR_RI);  /* RI rising: no TERI */
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);
    CHECK_EQ(rd(&u, UART_MSR), UART_MSR_CTS | UART_MSR_TERI);/* RI trailing edge */
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT2);
    CHECK_EQ(rd(&u, UART_MSR), UART_MSR_DSR | UART_MSR_DCD | UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);

    /* Modem status interrupt (the real chip, unlike QEMU, latches deltas in loopback). */
    wr(&u, UART_IER, UART_IER_EDSSI);
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xC0);
    CHECK_EQ(rd(&u, UART_MSR) & 0x0F, UART_MSR_DCTS);
    CHECK(!e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);

    /* Data comes back and nothing leaves the chip. */
    wr(&u, UART_THR, 'h');
    wr(&u, UART_THR, 'i');
    u8 b;
    CHECK(!uart_tx_pop(&u, &b));
    CHECK_EQ(rd(&u, UART_LSR), UART_LSR_DR | UART_LSR_THRE | UART_LSR_TEMT);
    CHECK_EQ(rd(&u, UART_RBR), 'h');
    CHECK_EQ(rd(&u, UART_RBR), 'i');
    CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_DR, 0);
    /* Leaving loopback restores the far end's lines. */
    wr(&u, UART_MCR, UART_MCR_OUT2);
    CHECK_EQ(rd(&u, UART_MSR) & 0xF0, 0xB0);
}

TEST(uart_loopback_word_length)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    wr(&u, UART_LCR, 0x00);                             /* 5 data bits */
    wr(&u, UART_MCR, UART_MCR_LOOP);
    wr(&u, UART_THR, 0xFF);
    CHECK_EQ(rd(&u, UART_RBR), 0x1F);
    wr(&u, UART_MCR, 0);
    wr(&u, UART_THR, 'a');                              /* what reaches the line is 5 bits, too */
    u8 b = 0;
    CHECK(uart_tx_pop(&u, &b));
    CHECK_EQ(b, 'a' & 0x1F);
}

TEST(uart_fifo_overflow_drops_new_byte)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0xC7);
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    for (int i = 0; i < 18; i++)
        wr(&u, UART_THR, (u8)i);
    CHECK_EQ(u.rx_count, 16);
    wr(&u, UART_IER, UART_IER_ELSI | UART_IER_ERBFI);
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xC6);                  /* line status beats received data */
    CHECK_EQ(rd(&u, UART_LSR), UART_LSR_DR | UART_LSR_OE | UART_LSR_THRE | UART_LSR_TEMT);
    CHECK_EQ(rd(&u, UART_LSR), UART_LSR_DR | UART_LSR_THRE | UART_LSR_TEMT);   /* OE cleared by the read */
    CHECK_EQ(rd(&u, UART_IIR), 0xC4);                  /* 16 >= trigger 14 */
    for (int i = 0; i < 16; i++)
        CHECK_EQ(rd(&u, UART_RBR), i);                  /* the first 16 survive; 16 and 17 were dropped */
    CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_DR, 0);
    CHECK_EQ(rd(&u, UART_RBR), 15);                     /* an empty RBR reads the last byte again */
    CHECK(!e.irq);
}

/* Without FIFOs, the data sheet's overrun destroys the unread byte in RBR. */
TEST(uart_16450_overrun)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    wr(&u, UART_MCR, UART_MCR_LOOP);
    wr(&u, UART_THR, 'a');
    wr(&u, UART_THR, 'b');
    CHECK_EQ(rd(&u, UART_LSR), UART_LSR_DR | UART_LSR_OE | UART_LSR_THRE | UART_LSR_TEMT);
    CHECK_EQ(rd(&u, UART_RBR), 'b');
}

TEST(uart_rx_push_backpressure)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    CHECK(uart_rx_push(&u, 'a'));
    CHECK(!uart_rx_push(&u, 'b'));                      /* 1-byte RBR full: refused, not overrun */
    CHECK_EQ(rd(&u, UART_LSR), UART_LSR_DR | 0x60);
    CHECK_EQ(rd(&u, UART_RBR), 'a');
    linux_like(&u, 0x01);
    for (int i = 0; i < 16; i++)
        CHECK(uart_rx_push(&u, (u8)i));
    CHECK(!uart_rx_push(&u, 16));
    CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_OE, 0);
}

TEST(uart_rx_trigger_levels_and_fifo_clear)
{
    static const u8 fcr[4] = { 0x01, 0x41, 0x81, 0xC1 }, level[4] = { 1, 4, 8, 14 };
    for (int t = 0; t < 4; t++) {
        struct uart u;
        struct env e;
        setup(&u, &e);
        linux_like(&u, fcr[t]);
        wr(&u, UART_IER, UART_IER_ERBFI);
        for (int i = 1; i <= level[t]; i++) {
            CHECK(!e.irq);
            CHECK(uart_rx_push(&u, (u8)i));
        }
        CHECK(e.irq);
        CHECK_EQ(rd(&u, UART_IIR), 0xC4);
        CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_DR, UART_LSR_DR);  /* DR from the first byte, unlike Bochs */
        wr(&u, UART_FCR, fcr[t] | UART_FCR_CLR_RX);
        CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_DR, 0);
        CHECK(!e.irq);
    }
}

/* FIFOs on, loopback with OUT2: 17 bytes overrun the 16-byte receiver; `mcr_extra` is written before them. */
static void loopback_overrun(struct uart *u, u8 mcr_extra)
{
    linux_like(u, 0x01);
    wr(u, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    wr(u, UART_THR, 'a');
    wr(u, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | mcr_extra);
    for (int i = 0; i < 16; i++)
        wr(u, UART_THR, 'b');
}

/* Every source at once, then cleared one by one in priority order. */
TEST(uart_iir_priorities)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    loopback_overrun(&u, UART_MCR_RTS);                 /* RTS: DCTS */
    wr(&u, UART_IER, 0x0F);
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xC6);
    rd(&u, UART_LSR);
    CHECK_EQ(rd(&u, UART_IIR), 0xC4);
    for (int i = 0; i < 16; i++)
        rd(&u, UART_RBR);
    CHECK_EQ(rd(&u, UART_IIR), 0xC2);                  /* reading it reports and clears THRE */
    CHECK_EQ(rd(&u, UART_IIR), 0xC0);
    CHECK(e.irq);
    rd(&u, UART_MSR);
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);
    CHECK(!e.irq);
}

/* The IRQ line follows every read that clears a source, and a timeout a status read brings up to the clock;
 * reads that change nothing leave it alone (the model skips the update for them). */
TEST(uart_irq_line_follows_reads)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    loopback_overrun(&u, 0);
    wr(&u, UART_IER, UART_IER_ELSI);
    CHECK(e.irq);
    rd(&u, UART_IER);
    rd(&u, UART_SCR);
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_OE, UART_LSR_OE);
    CHECK(!e.irq);                                      /* the read cleared OE, the only source */

    wr(&u, UART_IER, UART_IER_EDSSI);
    wr(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);      /* DCTS */
    CHECK(e.irq);
    rd(&u, UART_LSR);
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_MSR) & UART_MSR_DCTS, UART_MSR_DCTS);
    CHECK(!e.irq);

    /* Character timeout noticed at an LSR read: FIFO trigger 8, one byte waiting, 4 character times pass. */
    wr(&u, UART_MCR, UART_MCR_OUT2);
    wr(&u, UART_FCR, 0x81 | UART_FCR_CLR_RX);
    wr(&u, UART_IER, UART_IER_ERBFI);
    CHECK(uart_rx_push(&u, 'x'));
    CHECK(!e.irq);
    e.now += 347222;
    CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_DR, UART_LSR_DR);
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xCC);
}

/* The model says exactly when its deadline may have moved: the platform recomputes it (a run-loop pass on
 * vCPU 0) only then. Without FIFOs there is no character timeout, so received bytes do not say so. */
TEST(uart_deadline_moved_flag)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    CHECK(uart_take_deadline_moved(&u));                /* the first computation */
    CHECK(!uart_take_deadline_moved(&u));
    CHECK(uart_rx_push(&u, 'a'));                       /* FIFOs off */
    rd(&u, UART_LSR);
    rd(&u, UART_RBR);
    wr(&u, UART_SCR, 1);
    wr(&u, UART_MCR, UART_MCR_LOOP);
    wr(&u, UART_THR, 'b');                              /* loopback into the one-byte receiver */
    CHECK(!uart_take_deadline_moved(&u));
    wr(&u, UART_IER, UART_IER_ERBFI);
    CHECK(uart_take_deadline_moved(&u));
    wr(&u, UART_FCR, 0x81);
    CHECK(uart_take_deadline_moved(&u));
    wr(&u, UART_THR, 'c');                              /* loopback into the FIFO: the timeout starts */
    CHECK(uart_take_deadline_moved(&u));
    rd(&u, UART_LSR);
    rd(&u, UART_IIR);
    CHECK(!uart_take_deadline_moved(&u));
    e.now += 100000000;
    rd(&u, UART_LSR);                                   /* the timeout (4 characters at 9600 baud) fires here */
    CHECK(uart_take_deadline_moved(&u));
    rd(&u, UART_RBR);
    CHECK(uart_take_deadline_moved(&u));
    wr(&u, UART_LCR, 0x83);
    CHECK(uart_take_deadline_moved(&u));
    wr(&u, UART_DLL, 2);
    CHECK(uart_take_deadline_moved(&u));
    wr(&u, UART_DLM, 0);
    CHECK(uart_take_deadline_moved(&u));
    wr(&u, UART_LCR, 0x03);
    CHECK(uart_take_deadline_moved(&u));
    CHECK(!uart_take_deadline_moved(&u));
}

/* Character timeout: 4 character times from the divisor and LCR, on the handed-in clock. */
TEST(uart_char_timeout)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0x81);                               /* trigger 8 */
    wr(&u, UART_IER, UART_IER_ERBFI);
    CHECK_EQ(uart_next_deadline(&u), DEV_NO_DEADLINE);
    u64 t0 = e.now;
    CHECK(uart_rx_push(&u, 'a'));
    e.now += 1000;
    CHECK(uart_rx_push(&u, 'b'));                       /* restarts the timer */
    /* 115200 8N1: 10 bits of 1/115200 s = 86805.55 ns; 4 characters = 347222 ns. */
    u64 deadline = t0 + 1000 + 347222;
    CHECK_EQ(uart_next_deadline(&u), deadline);
    e.now = deadline - 1;
    CHECK_EQ(uart_next_deadline(&u), deadline);         /* the board's timer, a little early */
    CHECK(!e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);
    e.now = deadline;
    CHECK_EQ(uart_next_deadline(&u), DEV_NO_DEADLINE);  /* the board's timer at the deadline: it fires */
    CHECK(e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xCC);
    CHECK_EQ(rd(&u, UART_RBR), 'a');                    /* a read clears it and restarts the timer */
    CHECK(!e.irq);
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);
    CHECK_EQ(uart_next_deadline(&u), deadline + 347222);
    e.now += 347222;
    CHECK_EQ(rd(&u, UART_IIR), 0xCC);                  /* evaluated lazily on access, too */
    CHECK_EQ(rd(&u, UART_RBR), 'b');
    e.now += 10 * 347222;
    CHECK_EQ(rd(&u, UART_IIR), 0xC1);                  /* empty FIFO: no timeout */

    /* 7 data bits, even parity, 2 stop bits at 9600 baud (divisor 12): 11 bits of 104166.67 ns. */
    wr(&u, UART_LCR, 0x80 | 0x1E);
    wr(&u, UART_DLL, 12);
    wr(&u, UART_LCR, 0x1E);
    u64 t1 = e.now;
    CHECK(uart_rx_push(&u, 'c'));
    CHECK_EQ(uart_next_deadline(&u), t1 + 4 * 11 * 12 * 16 * NSEC_PER_SEC / UART_CLOCK_HZ);
    /* No timeout without FIFOs. */
    wr(&u, UART_FCR, 0);
    CHECK(uart_rx_push(&u, 'd'));
    CHECK_EQ(uart_next_deadline(&u), DEV_NO_DEADLINE);
}

/* A guest vCPU polling LSR and writing THR on one thread, the console draining on another: every byte arrives,
 * in order, through the per-UART lock. */
#include <pthread.h>

#define CONCURRENT_BYTES 3000

static void *guest_writer(void *arg)
{
    struct uart *u = arg;
    for (int i = 0; i < CONCURRENT_BYTES; i++) {
        while (!(rd(u, UART_LSR) & UART_LSR_THRE))
            ;
        wr(u, UART_THR, (u8)(i * 7));
    }
    return NULL;
}

TEST(uart_concurrent_guest_and_console)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    linux_like(&u, 0x07);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, guest_writer, &u), 0);
    int n = 0, bad = 0;
    while (n < CONCURRENT_BYTES) {
        u8 b;
        if (uart_tx_pop(&u, &b)) {
            bad += b != (u8)(n * 7);
            n++;
        }
    }
    pthread_join(t, NULL);
    CHECK_EQ(bad, 0);
    u8 b;
    CHECK(!uart_tx_pop(&u, &b));
}

TEST(uart_no_console_input_in_loopback)
{
    struct uart u;
    struct env e;
    setup(&u, &e);
    wr(&u, UART_MCR, UART_MCR_LOOP);
    CHECK(!uart_rx_push(&u, 'x'));              /* refused: the caller keeps the byte */
    CHECK_EQ(rd(&u, UART_LSR) & UART_LSR_DR, 0);
    wr(&u, UART_MCR, 0);
    CHECK(uart_rx_push(&u, 'x'));
    CHECK(rd(&u, UART_LSR) & UART_LSR_DR);
}
