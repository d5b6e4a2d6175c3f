/* SPDX-License-Identifier: BSD-2-Clause */
/* The 8254 PIT model (Intel 82C54 data sheet) with the PC's port 0x61: registers, state and the hypervisor's API. */
#ifndef DEVICES_PIT8254_H
#define DEVICES_PIT8254_H

#include "devices/wires.h"
#include "kernel/spinlock.h"

/* The input clock of all three counters: 1.193182 MHz, a third of the NTSC colour burst 3.579545 MHz. */
#define PIT_HZ_NUM 3579545ULL
#define PIT_HZ_DEN 3ULL

/* Ports from the base (0x40). */
enum {
    PIT_PORT_COUNTER0 = 0,  /* rw counter 0: drives IRQ 0 */
    PIT_PORT_COUNTER1 = 1,  /* rw counter 1: DRAM refresh on the PC/AT; drives nothing here */
    PIT_PORT_COUNTER2 = 2,  /* rw counter 2: the speaker; gate and OUT through port 0x61 */
    PIT_PORT_CONTROL = 3,   /* -w control word; reads float (82C54 "Read/Write Logic": A1,A0 = 11 read is a no-op) */
#define PIT_CW_SC_SHIFT     6       /* bits 7:6 select counter 0-2; 3 = read-back command */
#define PIT_CW_READBACK     0xC0
#define PIT_CW_RW_SHIFT     4       /* bits 5:4 access: 0 counter latch command, then: */
#define PIT_RW_LATCH        0
#define PIT_RW_LSB          1       /* least significant byte only */
#define PIT_RW_MSB          2       /* most significant byte only */
#define PIT_RW_WORD         3       /* LSB then MSB */
#define PIT_CW_MODE_SHIFT   1       /* bits 3:1 mode 0-5; 6 and 7 are modes 2 and 3 (82C54 "Control Word Format") */
#define PIT_CW_BCD          0x01    /* count in 4 BCD decades instead of 16-bit binary */
/* The read-back command (82C54 "Read-Back Command"): bits 7:6 = 11, then active-low selects of what to latch. */
#define PIT_RB_NO_COUNT     0x20    /* COUNT# = 1: do not latch the counts */
#define PIT_RB_NO_STATUS    0x10    /* STATUS# = 1: do not latch the status */
#define PIT_RB_CNT(n)       (0x02 << (n))   /* bits 1-3 select counters 0-2 */
};
#define PIT_PORTS 4
#define PIT_CHANNELS 3

/* The status byte a read-back latches (82C54 "Status Byte"); bits 5:0 are the counter's control word bits 5:0. */
#define PIT_ST_OUT          0x80    /* the OUT pin */
#define PIT_ST_NULL_COUNT   0x40    /* the last count written has not yet reached the counting element */

/*
 * Port 0x61, "system control port B" (IBM PC/AT Technical Reference, port 61h; PIIX4 and ICH "NMI Status and
 * Control Register", NMI_SC; bit meanings from memory of those data sheets).
 */
enum {
    PIT_PORT61 = 0,         /* rw, one port, region of its own */
#define PORT61_GATE2        0x01    /* rw counter 2 gate */
#define PORT61_SPEAKER      0x02    /* rw speaker data enable (ANDed with OUT2 on the board: no sound here) */
#define PORT61_SERR_OFF     0x04    /* rw PCI SERR# NMI disable: kept as written, no SERR# source here */
#define PORT61_IOCHK_OFF    0x08    /* rw IOCHK# NMI disable: kept as written, no IOCHK# source here */
#define PORT61_RW           0x0F    /* the bits a write sets; 4-7 are read-only */
#define PORT61_REFRESH      0x10    /* r- refresh toggle: flips every 18 input clocks, 15.0857 us */
#define PORT61_OUT2         0x20    /* r- counter 2 OUT */
#define PORT61_IOCHK        0x40    /* r- IOCHK# NMI status: reads 0 */
#define PORT61_SERR         0x80    /* r- SERR# NMI status: reads 0 */
};
/* The PC/AT BIOS programs counter 1 with 18 in mode 2 for refresh; chipsets since keep that rate on bit 4. */
#define PIT_REFRESH_TICKS 18

/*
 * One counter. The counting element (CE) is kept as a formula, not a number ticked by a timer: while counting,
 * at input-clock edge t it has run d = off + (t - start) clocks of a count of n, and its value and OUT follow
 * from (mode, n, d) alone (pit_counter.c). A count written takes effect at a later edge `pend_tick` (the next
 * clock, the end of a period or half-cycle, the clock after a gate trigger): it waits in pend_*.
 */
struct pit_channel {
    u8 mode;                /* 0-5, 6 and 7 folded to 2 and 3 */
    u8 cw;                  /* control word bits 5:0 as written: what the status byte shows */
    u8 rw;                  /* PIT_RW_LSB/MSB/WORD */
    bool bcd;
    bool gate;

    u16 cr;                 /* count register as written (raw binary or BCD) */
    bool cr_valid;          /* a whole count was written since the control word */
    bool write_msb;         /* word access: the LSB was written, the MSB is next */
    bool read_msb;          /* word access: the LSB was read, the MSB is next (latched or not: one flip-flop) */
    bool null_count;

    u16 latch;              /* the output latch (counter latch command, read-back) */
    bool latched;           /* a latched count waits to be read */
    u8 status;
    bool status_latched;

    /* The counting element. Idle: `hold` is its value and out_hold its OUT (after a control word, mode 0's
     * first byte, or before a trigger). Counting: start/off/n as above; `running` false while the gate stops it. */
    bool counting, running, out_hold;
    u16 hold;
    u64 start, off;
    u32 n;                  /* 1-0x10000 binary, 1-10000 BCD */

    bool pend;
    u64 pend_tick, pend_off;
    u32 pend_n;
};

/*
 * The PIT and port 0x61. Every entry point takes `lock`. Time: input-clock edge t falls at host time
 * base_ns + t / 1.193182 MHz, converted exactly (pit_counter.c), so counts never drift from the clock.
 */
struct pit {
    struct spinlock lock;
    struct dev_clock clock;
    struct dev_irq irq;     /* IRQ 0: counter 0's OUT */
    u64 base_ns;

    struct pit_channel ch[PIT_CHANNELS];
    u8 port61;              /* bits PORT61_RW as written */

    u64 irq_tick;           /* counter 0's OUT has been followed up to this edge */
    bool irq_level;
    bool deadline_moved;    /* see pit_take_deadline_moved */
};

/*
 * Power-up: the data sheet leaves mode, count and OUT undefined. Each counter starts as if a control word for
 * mode 0, LSB then MSB, binary had been written and no count: OUT low, nothing counts, so IRQ 0 stays quiet until
 * the guest programs counter 0 (the board has no firmware to do it). Gate 2 is low, as port 0x61 reads 0.
 */
void pit_init(struct pit *p, struct dev_clock clock, struct dev_irq irq);

/* Guest side, for the I/O bus: ports 0x40-0x43 (width 1) and port 0x61 (width 1). dev is the struct pit. */
u32 pit_io_read(void *dev, u16 offset, unsigned size);
void pit_io_write(void *dev, u16 offset, unsigned size, u32 value);
u32 pit_port61_read(void *dev, u16 offset, unsigned size);
void pit_port61_write(void *dev, u16 offset, unsigned size, u32 value);

/*
 * Hypervisor side: brings the PIT up to the clock (IRQ 0 follows counter 0's OUT, with at most one rising edge
 * for whatever passed since the last call), then says when IRQ 0 may next change level, or DEV_NO_DEADLINE.
 * Called like rtc_next_deadline: before entering the guest, after an access the model flagged and once the
 * deadline has passed. Every OUT 0 change is a deadline (in mode 2 the fall and, one clock later, the rise).
 */
u64 pit_next_deadline(struct pit *p);

/*
 * Whether a guest access moved pit_next_deadline() since the last call; clears the flag. The model sets it under
 * its lock exactly when a write to counter 0 (its count or a control word selecting it) changes the deadline.
 * Port 0x61 and counters 1 and 2 drive no interrupt and never set it. Same contract as rtc_take_deadline_moved.
 */
static inline bool pit_take_deadline_moved(struct pit *p)
{
    return __atomic_load_n(&p->deadline_moved, __ATOMIC_ACQUIRE) &&
           __atomic_exchange_n(&p->deadline_moved, false, __ATOMIC_ACQ_REL);
}

#endif
