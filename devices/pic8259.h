/* SPDX-License-Identifier: BSD-2-Clause */
/* The 8259A PIC pair of the PC/AT (Intel 8259A data sheet) with the PIIX edge/level control registers (ELCR). */
#ifndef DEVICES_PIC8259_H
#define DEVICES_PIC8259_H

#include "kernel/spinlock.h"
#include "kernel/types.h"

/* Ports: master 0x20/0x21, slave 0xA0/0xA1 (offset 0 = A0 low, 1 = A0 high), ELCR 0x4D0 (master) / 0x4D1 (slave). */
enum {
    PIC_PORT_CMD = 0,       /* -w ICW1, OCW2, OCW3; r- IRR or ISR (OCW3), or the poll word */
#define PIC_ICW1        0x10    /* bit 4 set: ICW1, else bit 3 tells OCW3 from OCW2 */
#define PIC_ICW1_IC4    0x01    /* ICW4 follows */
#define PIC_ICW1_SNGL   0x02    /* single chip: no ICW3 */
#define PIC_ICW1_LTIM   0x08    /* level-triggered inputs (all of them) */
#define PIC_OCW3        0x08
#define PIC_OCW3_RIS    0x01    /* with RR: read ISR instead of IRR */
#define PIC_OCW3_RR     0x02
#define PIC_OCW3_POLL   0x04
#define PIC_OCW3_SMM    0x20    /* with ESMM: special mask mode on/off */
#define PIC_OCW3_ESMM   0x40
#define PIC_OCW2_LEVEL  0x07    /* OCW2 bits 7-5: R, SL, EOI */
#define PIC_OCW2_NOP        0x40
#define PIC_OCW2_EOI        0x20    /* non-specific EOI */
#define PIC_OCW2_SEOI       0x60    /* specific EOI of LEVEL */
#define PIC_OCW2_ROT_EOI    0xA0    /* rotate on non-specific EOI */
#define PIC_OCW2_ROT_SEOI   0xE0    /* rotate on specific EOI */
#define PIC_OCW2_SET_PRIO   0xC0    /* LEVEL becomes the lowest priority */
#define PIC_OCW2_ROT_AEOI_ON  0x80
#define PIC_OCW2_ROT_AEOI_OFF 0x00
    PIC_PORT_DATA = 1,      /* -w ICW2-ICW4 while initialising, else OCW1 (IMR); r- IMR, or the poll word */
#define PIC_ICW4_8086   0x01    /* x86 mode: the vector is ICW2 + IR (MCS-80 mode is not modelled) */
#define PIC_ICW4_AEOI   0x02    /* automatic EOI */
#define PIC_ICW4_SFNM   0x10    /* special fully nested mode */
#define PIC_POLL_INT    0x80    /* poll word: an interrupt was pending, bits 2-0 its level */
};
#define PIC_PORTS 2
#define PIC_ELCR_PORTS 2
#define PIC_CASCADE_IRQ 2       /* the slave's INT drives master IR2 */

struct pic_chip {
    u8 irr, isr, imr;
    u8 lines;               /* input levels as last driven */
    u8 elcr, elcr_mask;     /* 1 = level-triggered; master IRQ 0-2 and slave IRQ 8 and 13 are edge only */
    u8 vector_base;         /* ICW2 & 0xF8 */
    u8 priority_add;        /* the IR that has the highest priority (rotation) */
    u8 icw_step;            /* 0 operational, else the ICW the data port expects next: 2, 3 or 4 */
    u8 icw1, icw3, icw4;
    bool read_isr, poll, special_mask, rotate_aeoi;
};

/*
 * The pair. One lock covers both chips (the cascade couples them). Devices call pic_set_irq() holding their own
 * lock, so the order is device -> PIC; the PIC calls nothing while it holds its lock. kick(ctx) runs after the lock
 * is dropped whenever INT to the CPU rises: it asks the vCPU to re-check pic_has_interrupt() (e.g. an IPI or an
 * interrupt-window request), so it must be idempotent, and it must not take a device lock (the device that drove
 * the line may still hold its own).
 */
struct pic {
    struct spinlock lock;
    struct pic_chip chip[2];    /* master, slave */
    bool int_out;               /* INT pin of the master: an interrupt for the CPU */
    void (*kick)(void *ctx);
    void *kick_ctx;
};

/* The state the PC BIOS leaves (initialised, vectors 0x08 and 0x70, cascade on IR2) but with every line masked. */
void pic_init(struct pic *p, void (*kick)(void *ctx), void *kick_ctx);

/* Guest side, for the I/O bus (width 1). dev is the struct pic for all three regions. */
u32 pic_master_io_read(void *dev, u16 offset, unsigned size);
void pic_master_io_write(void *dev, u16 offset, unsigned size, u32 value);
u32 pic_slave_io_read(void *dev, u16 offset, unsigned size);
void pic_slave_io_write(void *dev, u16 offset, unsigned size, u32 value);
u32 pic_elcr_io_read(void *dev, u16 offset, unsigned size);
void pic_elcr_io_write(void *dev, u16 offset, unsigned size, u32 value);

/* Devices: drive ISA IRQ line 0-15 (not 2, the cascade) to level. */
void pic_set_irq(struct pic *p, unsigned line, bool level);
/*
 * vCPU: is INT up (read without the lock, on every exit: a hint that pic_ack() settles), and the INTA cycle:
 * the vector to inject (IRQ 7 / 15 of the base when the request vanished).
 */
static inline bool pic_has_interrupt(struct pic *p)
{
    return __atomic_load_n(&p->int_out, __ATOMIC_ACQUIRE);
}
u8 pic_ack(struct pic *p);

#endif
