/* SPDX-License-Identifier: BSD-2-Clause */
/* The MC146818A CMOS RTC model (Motorola data sheet): registers, state and the hypervisor's API. */
#ifndef DEVICES_RTC_H
#define DEVICES_RTC_H

#include "devices/wires.h"
#include "kernel/spinlock.h"

/* Ports from the base (0x70): the index port and the data port. */
enum {
    RTC_PORT_INDEX = 0,     /* -w bits 0-6 register, bit 7 disables NMI; reads 0xFF (write-only on the PC/AT) */
#define RTC_INDEX_NMI_OFF 0x80
    RTC_PORT_DATA = 1,      /* rw the selected register */
};
#define RTC_PORTS 2

/* Registers (MC146818A "Address Map"). Time and alarm bytes are BCD or binary per RTC_B_BINARY. */
enum {
    RTC_SEC = 0x00,         /* rw 0-59 */
    RTC_SEC_ALARM = 0x01,   /* rw; 0xC0-0xFF (both top bits set) matches any value */
#define RTC_ALARM_ANY 0xC0
    RTC_MIN = 0x02,         /* rw 0-59 */
    RTC_MIN_ALARM = 0x03,   /* rw */
    RTC_HOUR = 0x04,        /* rw 0-23, or 1-12 with bit 7 = PM in 12-hour mode */
#define RTC_HOUR_PM 0x80
    RTC_HOUR_ALARM = 0x05,  /* rw */
    RTC_WDAY = 0x06,        /* rw 1-7, 1 = Sunday; counts on its own, never derived from the date */
    RTC_MDAY = 0x07,        /* rw 1-31 */
    RTC_MON = 0x08,         /* rw 1-12 */
    RTC_YEAR = 0x09,        /* rw 0-99 */
    RTC_A = 0x0A,           /* rw (UIP read-only) */
#define RTC_A_UIP       0x80    /* update in progress */
#define RTC_A_DV        0x70    /* divider: 010 = 32.768 kHz running, 11x = held in reset */
#define RTC_A_DV_NORMAL 0x20
#define RTC_A_DV_RESET  0x60
#define RTC_A_RS        0x0F    /* periodic rate: 0 off, 3 = 8192 Hz ... 6 = 1024 Hz ... 15 = 2 Hz */
    RTC_B = 0x0B,           /* rw */
#define RTC_B_SET       0x80    /* halt updates (and clear UIE) so software can set the time */
#define RTC_B_PIE       0x40
#define RTC_B_AIE       0x20
#define RTC_B_UIE       0x10
#define RTC_B_SQWE      0x08
#define RTC_B_BINARY    0x04    /* DM: 1 binary, 0 BCD */
#define RTC_B_24H       0x02
#define RTC_B_DSE       0x01    /* daylight saving: kept, but the 1980s US switch dates are not applied */
    RTC_C = 0x0C,           /* r- flags; reading clears them and lowers IRQ 8 */
#define RTC_C_IRQF      0x80    /* PF&PIE | AF&AIE | UF&UIE */
#define RTC_C_PF        0x40    /* periodic */
#define RTC_C_AF        0x20    /* alarm */
#define RTC_C_UF        0x10    /* update ended */
    RTC_D = 0x0D,           /* r- */
#define RTC_D_VRT       0x80    /* valid RAM and time: the battery is good */
    RTC_RAM = 0x0E,         /* 0x0E-0x7F: battery-backed RAM */
    RTC_CENTURY = 0x32,     /* RAM byte holding the century (ACPI FADT CENTURY); advanced on year 99 -> 00 */
    RTC_REGS = 0x80,
};

/*
 * One RTC. Every entry point takes `lock`. Time: the time bytes are the chip's own counters; the host clock only
 * drives the 32.768 kHz divider chain that ticks them, so a guest write moves the guest's time by an offset from
 * the host clock and nothing ever writes the host's RTC.
 */
struct rtc {
    struct spinlock lock;
    struct dev_clock clock;
    struct dev_irq irq;

    u8 reg[RTC_REGS];       /* as stored; reg[RTC_A] without UIP, reg[RTC_C] holds PF|AF|UF */
    u8 index;

    /* The divider chain, in 32.768 kHz ticks: base_ticks at host time base_ns; valid while running. */
    u64 base_ns, base_ticks;
    u64 ticks;              /* divider count at the last evaluation */
    u64 next_update;        /* divider count at which the next update cycle ends and the time bytes change */
    u64 next_event_ns;      /* host time of the next periodic tick or update end: before it, nothing changes */
    bool irq_level;
    bool deadline_moved;    /* see rtc_take_deadline_moved */
};

void rtc_init(struct rtc *r, struct dev_clock clock, struct dev_irq irq);

/* Guest side, for the I/O bus at 0x70 (width 1). dev is the struct rtc. */
u32 rtc_io_read(void *dev, u16 offset, unsigned size);
void rtc_io_write(void *dev, u16 offset, unsigned size, u32 value);

/*
 * Hypervisor side: brings the chip up to the clock (IRQ 8 rises for what fell due), then says when IRQ 8 may next
 * rise, or DEV_NO_DEADLINE. The board calls it on the vCPU that serves the device timers, before that vCPU enters
 * the guest, after an access the model flagged (rtc_take_deadline_moved) and once the deadline it returned has
 * passed (vm/board.c rtc_timer_fire).
 */
u64 rtc_next_deadline(struct rtc *r);

/*
 * Whether a guest access may have moved rtc_next_deadline() since the last call; clears the flag. The model
 * sets it under its lock where a guest changes the deadline's inputs: register A or B, the time and alarm
 * bytes, and a read of C (the acknowledgement re-arms IRQ 8). The passing of time only moves the deadline
 * later, which the board sees when it calls rtc_next_deadline at the deadline. Lock-free: a flag set after the
 * load here is seen next time.
 * Take it on the CPU that made the access, after it: the model's unlock orders the whole change before it.
 */
static inline bool rtc_take_deadline_moved(struct rtc *r)
{
    return __atomic_load_n(&r->deadline_moved, __ATOMIC_ACQUIRE) &&
           __atomic_exchange_n(&r->deadline_moved, false, __ATOMIC_ACQ_REL);
}

#endif
