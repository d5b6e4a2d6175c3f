/* SPDX-License-Identifier: BSD-2-Clause */
/* The HPET model (IA-PC HPET specification 1.0a): registers, state and the hypervisor's API. */
#ifndef DEVICES_HPET_H
#define DEVICES_HPET_H

#include "devices/wires.h"
#include "kernel/spinlock.h"

/*
 * What the guest sees: an Intel-vendor HPET, revision 1, three 64-bit timers, each periodic-capable, legacy
 * replacement capable, no FSB (MSI) delivery, and a 64-bit main counter at a fixed 10 MHz (100 ns, the slowest
 * period the spec allows: counts are whole nanoseconds of the hypervisor's clock divided by 100, exactly).
 */
#define HPET_MMIO_SIZE      0x400               /* 1 KiB of registers */
#define HPET_TIMERS         3
#define HPET_NS_PER_TICK    100ULL
#define HPET_PERIOD_FS      (HPET_NS_PER_TICK * 1000000ULL)
#define HPET_VENDOR         0x8086
#define HPET_REV_ID         1
#define HPET_NEVER          UINT64_MAX

/* Register offsets and bits (the spec's register descriptions). */
enum {
    HPET_GCAP_ID = 0x000,               /* r- general capabilities and ID */
#define HPET_CAP_NUM_TIM_SHIFT  8       /* bits 12:8: the last timer's number */
#define HPET_CAP_COUNT_SIZE     (1ULL << 13)    /* 64-bit main counter */
#define HPET_CAP_LEG_RT         (1ULL << 15)    /* legacy replacement route capable */
#define HPET_CAP_VENDOR_SHIFT   16
#define HPET_CAP_PERIOD_SHIFT   32      /* bits 63:32: the main counter's period in femtoseconds */
    HPET_GEN_CONF = 0x010,              /* rw general configuration */
#define HPET_CONF_ENABLE        (1ULL << 0)     /* ENABLE_CNF: the main counter runs, timers may interrupt */
#define HPET_CONF_LEG_RT        (1ULL << 1)     /* LEG_RT_CNF: timer 0 -> IRQ 0, timer 1 -> IRQ 8 */
    HPET_GINTR_STA = 0x020,             /* rw1c: bit n Tn_INT_STS, level-triggered timers only */
    HPET_MAIN_CNT = 0x0F0,              /* rw main counter (writes while halted) */
    HPET_TIMER0 = 0x100,                /* timer n's registers at 0x100 + 0x20 n: */
    HPET_TIMER_STRIDE = 0x20,
    HPET_TN_CONF = 0x00,                /* rw configuration and capabilities */
#define HPET_TN_LEVEL           (1ULL << 1)     /* INT_TYPE_CNF: 1 level, 0 edge */
#define HPET_TN_INT_ENB         (1ULL << 2)     /* INT_ENB_CNF */
#define HPET_TN_PERIODIC        (1ULL << 3)     /* TYPE_CNF */
#define HPET_TN_PER_INT_CAP     (1ULL << 4)     /* r- periodic capable */
#define HPET_TN_SIZE_CAP        (1ULL << 5)     /* r- 64-bit comparator */
#define HPET_TN_VAL_SET         (1ULL << 6)     /* VAL_SET_CNF: the next comparator write sets the accumulator */
#define HPET_TN_32MODE          (1ULL << 8)     /* 32MODE_CNF: a 32-bit timer */
#define HPET_TN_ROUTE_SHIFT     9               /* INT_ROUTE_CNF, bits 13:9: the I/O APIC input */
#define HPET_TN_ROUTE           (0x1FULL << HPET_TN_ROUTE_SHIFT)
#define HPET_TN_FSB_EN          (1ULL << 14)    /* r- 0: no FSB delivery */
#define HPET_TN_FSB_CAP         (1ULL << 15)    /* r- 0 */
#define HPET_TN_ROUTE_CAP_SHIFT 32              /* bits 63:32: the inputs INT_ROUTE_CNF may name */
#define HPET_TN_WRITABLE        (HPET_TN_LEVEL | HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_VAL_SET | \
                                 HPET_TN_32MODE | HPET_TN_ROUTE)
    HPET_TN_CMP = 0x08,                 /* rw comparator (periodic: the accumulator; a write also sets the period) */
    HPET_TN_FSB = 0x10,                 /* FSB route: reads 0 (no FSB capability) */
};

/*
 * The lines the HPET drives, as dev_irq line numbers: an I/O APIC input (GSI 0-31) a timer's INT_ROUTE_CNF names,
 * or, in legacy replacement mode, ISA IRQ 0 (timer 0) and IRQ 8 (timer 1): the 8259's and, through the MADT's
 * overrides, the I/O APIC's (GSI 2 and 8 on a PC), which the PIT and RTC then no longer drive.
 */
#define HPET_LINE_IRQ0      32
#define HPET_LINE_IRQ8      33
#define HPET_LINE_NONE      34

struct hpet_timer {
    u64 config;             /* HPET_TN_WRITABLE bits as written */
    u64 cmp;                /* the comparator (periodic: the accumulator), 32 bits in 32-bit mode */
    u64 period;             /* periodic: what a match adds to the accumulator */
    u64 due;                /* the main counter value of its next match, HPET_NEVER for none */
};

/*
 * The HPET. Every entry point takes `lock`. Time: counter tick k falls at host time base_ns + k * 100 ns; while
 * enabled the main counter is `counter` + (ticks now - `tick`), halted it is `counter`. Matches are found lazily
 * (on every access and at hpet_next_deadline), like the PIT's edges.
 */
struct hpet {
    struct spinlock lock;
    struct dev_clock clock;
    struct dev_irq irq;                 /* irq.set(ctx, line, level), line as HPET_LINE_* above */
    void (*legacy)(void *ctx, bool on); /* LEG_RT_CNF changed (irq.ctx): the PIT and RTC give up or take back
                                           their lines. Called under the lock, before the lines move. */
    u32 route_cap;                      /* Tn_INT_ROUTE_CAP of every timer: the GSIs the board lets it drive */
    u64 base_ns;

    u64 config;                         /* HPET_CONF_* */
    u64 isr;                            /* Tn_INT_STS */
    u64 counter, tick;
    struct hpet_timer t[HPET_TIMERS];
    u64 lines;                          /* bit per HPET_LINE_* number: asserted */
    bool deadline_moved;
};

/* Power-up (spec defaults): halted at 0, legacy replacement off, every timer edge, one-shot, disabled, route 0
 * (an input this HPET does not connect: no interrupt until routed), comparators all ones. */
void hpet_init(struct hpet *h, struct dev_clock clock, struct dev_irq irq, void (*legacy)(void *ctx, bool on),
               u32 route_cap);

/*
 * Guest side, for the MMIO bus: any access inside one 8-byte register (the spec's 32- and 64-bit accesses, and
 * narrower ones), the bytes of that register; one that crosses a register's end reads all ones and is dropped
 * when written. Reserved registers read 0 and ignore writes.
 */
u64 hpet_mmio_read(void *dev, u64 offset, unsigned size);
void hpet_mmio_write(void *dev, u64 offset, unsigned size, u64 value);

/* Hypervisor side: brings the HPET up to the clock (matches fire), then says when the next match that moves a line
 * is due in host ns, or DEV_NO_DEADLINE: matches of a timer whose interrupt is disabled or unrouted, or of a level
 * timer whose status is already set, are found at the guest's next access instead. Called before entering the
 * guest, after a flagged access and at the deadline. */
u64 hpet_next_deadline(struct hpet *h);

/* Whether a guest access moved hpet_next_deadline() since the last call; clears the flag (as the PIT's). */
static inline bool hpet_take_deadline_moved(struct hpet *h)
{
    return __atomic_load_n(&h->deadline_moved, __ATOMIC_ACQUIRE) &&
           __atomic_exchange_n(&h->deadline_moved, false, __ATOMIC_ACQ_REL);
}

#endif
