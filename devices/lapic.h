/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's local APIC, one per vCPU (SDM Vol. 3A chapter 11): xAPIC page, x2APIC MSRs, IA32_APIC_BASE, timer. */
#ifndef DEVICES_LAPIC_H
#define DEVICES_LAPIC_H

#include "devices/wires.h"
#include "kernel/apic_regs.h"
#include "kernel/spinlock.h"

/*
 * Time: the model counts in ticks of its vCPU's guest TSC, read through ops.guest_tsc. The timer's input clock is
 * the TSC divided by cfg.tsc_per_tick (e.g. 2.4 GHz TSC / 100 MHz bus = 24, what CPUID 0x15 should then say), and
 * then by the divide configuration register. next-deadline answers are guest TSC values too; the board turns them
 * into host time. When the guest writes its TSC the board calls vlapic_tsc_moved() so that the count-down timer
 * keeps its pace while TSC-deadline keeps comparing against the guest's (new) TSC.
 */
struct vlapic_config {
    u32 apic_id;            /* the initial APIC ID: what the MADT lists and CPUID 1/0xB/0x1F report */
    bool bsp;               /* IA32_APIC_BASE.BSP at reset */
    bool cmci;              /* the LVT CMCI entry exists: max LVT entry 6, else 5 */
    bool tsc_deadline;      /* CPUID.1:ECX[24]: LVT timer mode 10 and IA32_TSC_DEADLINE exist */
    u8 phys_addr_bits;      /* MAXPHYADDR: IA32_APIC_BASE bits above it are reserved */
    u32 tsc_per_tick;       /* guest TSC ticks per timer input tick, 1 .. 2^20 */
};

#define VLAPIC_VERSION      0x14    /* an integrated xAPIC of a current Intel part; no EOI-broadcast suppression */

/* An IPI the guest sent through the ICR, for the hypervisor to route (11.6.1). */
struct vlapic_ipi {
    u8 vector;
    u8 delivery;            /* ICR_FIXED ... ICR_STARTUP, >> 8 */
#define VLAPIC_DM_FIXED     0
#define VLAPIC_DM_LOWEST    1
#define VLAPIC_DM_SMI       2
#define VLAPIC_DM_NMI       4
#define VLAPIC_DM_INIT      5
#define VLAPIC_DM_STARTUP   6
#define VLAPIC_DM_EXTINT    7   /* from an I/O APIC redirection entry only */
    bool logical;           /* destination mode */
    bool assert;            /* level: 0 only in the obsolete INIT level de-assert, which the router drops */
    bool level_trigger;
    u8 shorthand;           /* ICR_SHORTHAND_MASK >> ICR_SHORTHAND_SHIFT: 0 none, 1 self, 2 all, 3 all but self */
    u32 dest;               /* 8 bits from ICR[63:56] in xAPIC mode, 32 bits in x2APIC mode */
    bool x2apic;            /* the sender was in x2APIC mode: a broadcast is 0xFFFFFFFF, not 0xFF */
};

/*
 * What the model drives. guest_tsc runs under the model's lock and must take no device lock. The others run
 * after the lock is dropped, so they may call into any local APIC (this one too) or the I/O APIC:
 * - kick: something may now be deliverable (an IRR vector, NMI, INIT, SIPI, ExtINT); the vCPU re-checks. Idempotent.
 * - send_ipi: an ICR write to route (every shorthand but "self", which the model delivers itself).
 * - eoi: an EOI ended a level-triggered vector (TMR set): the I/O APICs clear remote IRR for it.
 * Lock order therefore: I/O APIC -> local APIC, and the local APIC lock is a leaf.
 */
struct vlapic_ops {
    u64 (*guest_tsc)(void *ctx);
    void (*kick)(void *ctx);
    void (*send_ipi)(void *ctx, const struct vlapic_ipi *ipi);
    void (*eoi)(void *ctx, u8 vector);
    void *ctx;
};

/* LVT entries by index (the version register's max LVT counts them), xAPIC offset APIC_LVT_TIMER + 16 * index. */
enum {
    VLAPIC_LVT_TIMER, VLAPIC_LVT_THERMAL, VLAPIC_LVT_PERF, VLAPIC_LVT_LINT0, VLAPIC_LVT_LINT1, VLAPIC_LVT_ERROR,
    VLAPIC_LVT_CMCI, VLAPIC_LVT_ENTRIES
};

/* Status of a guest access: the caller injects #GP for VLAPIC_GP. */
enum vlapic_status { VLAPIC_OK, VLAPIC_GP };

/*
 * One local APIC. Every entry point takes `lock`: the owning vCPU reads and writes its registers while other vCPUs
 * and the I/O APIC deliver into it. Registers are kept decoded (no register-file overlay).
 */
struct vlapic {
    struct spinlock lock;
    struct vlapic_config cfg;
    struct vlapic_ops ops;

    u64 apic_base;          /* IA32_APIC_BASE: page address | EN | EXTD | BSP */
    u32 id;                 /* xAPIC: 8 bits (the register's 31:24); x2APIC: 32 bits */
    u8 tpr;
    u32 ldr;                /* xAPIC: as written (31:24); x2APIC: derived from id */
    u32 dfr;                /* xAPIC: model in 31:28, 27:0 ones */
    u32 svr;
    u32 irr[8], isr[8], tmr[8];
    int isr_top;            /* the highest vector in ISR, or -1: PPR and EOI need it, and the scan is kept to EOI */
    u32 esr;                /* what ESR reads: latched by the last write */
    u32 esr_pending;        /* errors since that write */
    u32 icr_low, icr_high;  /* icr_high: the destination, unshifted (8 or 32 bits) */
    u32 lvt[VLAPIC_LVT_ENTRIES];

    /* Timer (11.5.4): count = c0 - (now - t0) / tick while running; it reaches 0 at expire. */
    u32 timer_initial;
    u32 timer_divide;       /* the register: bits 0, 1, 3 */
    bool timer_running;
    u32 c0;
    u64 t0, expire;
    u64 tsc_deadline;       /* armed IA32_TSC_DEADLINE, 0 when disarmed or fired */

    /* Inputs and the events the vCPU takes. */
    bool lint[2];           /* LINT0/1 levels as driven (active high; the LVT polarity applies) */
    bool nmi, init, sipi, extint_msg;
    u8 sipi_vector;
};

/* Power-up state (11.4.7.1): EN, xAPIC mode at XAPIC_DEFAULT_BASE, SVR 0xFF (software-disabled), LVTs masked. */
void vlapic_init(struct vlapic *l, const struct vlapic_config *cfg, const struct vlapic_ops *ops);
/* INIT (11.4.7.3): the power-up register state, but the ID, IA32_APIC_BASE (mode, base, BSP) and a latched SIPI
 * are kept. The vCPU calls it when it carries out an INIT it took with vlapic_take_init(). */
void vlapic_init_reset(struct vlapic *l);

/* What firmware leaves for the OS (virtual wire, MP spec 3.6.2.2): the APIC software-enabled, LINT0 ExtINT on
 * the BSP (masked on APs), LINT1 NMI. For a board that boots a guest without firmware of its own. */
void vlapic_firmware_handoff(struct vlapic *l);

/* IA32_APIC_BASE (11.4.4, 11.12.5). A write that moved the xAPIC page shows in vlapic_xapic_base(). */
u64 vlapic_apic_base_read(struct vlapic *l);
enum vlapic_status vlapic_apic_base_write(struct vlapic *l, u64 value);
/* The xAPIC page's guest-physical address while the APIC is enabled in xAPIC mode, else 0 (nothing mapped). */
u64 vlapic_xapic_base(struct vlapic *l);
bool vlapic_x2apic_mode(struct vlapic *l);

/*
 * xAPIC page accesses, offset within the page (11.4.1). Aligned 32-bit accesses at a register's offset are the
 * architectural ones. Reads of 1, 2 or 4 bytes inside a register's first dword return those bytes; other reads
 * (bytes 4-15 of a 16-byte slot, crossing the dword, 8 bytes) read 0. Writes other than aligned 32-bit ones are
 * dropped ("model specific", the SDM says). Undefined offsets read 0 and set ESR illegal register address; writes
 * to read-only registers are ignored. When the page is not mapped (x2APIC mode, disabled) reads give all ones.
 */
u32 vlapic_mmio_read(struct vlapic *l, u32 offset, unsigned size);
void vlapic_mmio_write(struct vlapic *l, u32 offset, unsigned size, u32 value);

/* x2APIC MSRs 0x800-0x8FF (11.12.1): #GP outside x2APIC mode, for absent registers, reads of write-only ones,
 * writes to read-only ones and reserved bits set. */
enum vlapic_status vlapic_msr_read(struct vlapic *l, u32 msr, u64 *value);
enum vlapic_status vlapic_msr_write(struct vlapic *l, u32 msr, u64 value);

/* The x2APIC EOI MSR (0x80B), the most frequent APIC access, on its own: as vlapic_msr_write(MSR_X2APIC_EOI),
 * without the general register dispatch and the timer update, which an EOI does not need (an expired count is
 * raised at its deadline by whoever runs the timer, as for any other access). */
enum vlapic_status vlapic_msr_eoi(struct vlapic *l, u64 value);

/* IA32_TSC_DEADLINE (11.5.4.1): #GP without cfg.tsc_deadline; outside TSC-deadline mode reads 0, writes ignored. */
enum vlapic_status vlapic_tsc_deadline_read(struct vlapic *l, u64 *value);
enum vlapic_status vlapic_tsc_deadline_write(struct vlapic *l, u64 value);

/* CR8 in 64-bit mode is TPR[7:4] (SDM Vol. 3A 11.8.6.1): whatever the APIC's mode, as on hardware. */
u8 vlapic_cr8_read(struct vlapic *l);
void vlapic_cr8_write(struct vlapic *l, u8 cr8);

/* ---- Interrupts in ---- */
/* A message for this APIC (the router matched it): VLAPIC_DM_*; fixed and lowest priority set IRR (and TMR when
 * level), NMI/INIT/SIPI/ExtINT become events for the vCPU, SMI is dropped (no SMM). */
void vlapic_deliver(struct vlapic *l, unsigned delivery, u8 vector, bool level_trigger);
/* Whether a fixed message would be accepted now (hardware- and software-enabled): a board that must know a
 * level-triggered vector will be EOI'd asks first. */
bool vlapic_accepts_fixed(struct vlapic *l);
/* LINT0/LINT1 pin levels (the 8259's INTR on LINT0 on the boot vCPU, NMI on LINT1). */
void vlapic_set_lint(struct vlapic *l, unsigned pin, bool level);

/* ---- Interrupts out, for the vCPU ---- */
/* The highest IRR vector above the processor priority, or -1. */
int vlapic_pending(struct vlapic *l);
/* INTA: that vector goes IRR -> ISR and is returned; if none is deliverable any more (TPR rose), the spurious
 * vector (SVR 7:0), which sets no ISR bit (11.9). */
u8 vlapic_ack(struct vlapic *l);
/* NMI (LINT1 or a message), INIT, SIPI (vector = start page): true once per event. */
bool vlapic_take_nmi(struct vlapic *l);
bool vlapic_take_init(struct vlapic *l);
bool vlapic_take_sipi(struct vlapic *l, u8 *vector);
/* The 8259 has the CPU's INTR: LINT0 in ExtINT mode (or a disabled APIC) with the line up, or an ExtINT message.
 * The vCPU then takes the vector from the 8259's INTA cycle and calls vlapic_extint_ack(). */
bool vlapic_extint_pending(struct vlapic *l);
/* Either of the two: vlapic_pending() >= 0 or vlapic_extint_pending(), under one lock (asked before each entry). */
bool vlapic_interrupt_pending(struct vlapic *l);
void vlapic_extint_ack(struct vlapic *l);

/* ---- For the IPI router (11.6.2) ---- */
/* Does this APIC match dest in physical or logical mode (flat, cluster, x2APIC cluster, broadcast)? Shorthands
 * are the router's. x2apic_dest: dest came from an x2APIC sender (32 bits). */
bool vlapic_match_dest(struct vlapic *l, u32 dest, bool logical, bool x2apic_dest);
/* Lowest-priority arbitration: the arbitration priority (APR, 11.6.2.4); lowest wins. */
u8 vlapic_arb_priority(struct vlapic *l);
/* The focus processor for vector: focus checking on and the vector already in IRR or ISR (11.6.2.4). */
bool vlapic_is_focus(struct vlapic *l, u8 vector);

/* ---- Timer ---- */
/* Brings the timer up to the guest TSC (the timer interrupt goes into IRR when due), then the guest TSC at which
 * it next raises one, or DEV_NO_DEADLINE (stopped, masked or software-disabled). Never at or before now. */
u64 vlapic_next_deadline(struct vlapic *l);
/* The guest's TSC jumped by delta (a guest TSC write): the count-down timer keeps its pace. */
void vlapic_tsc_moved(struct vlapic *l, s64 delta);

#endif
