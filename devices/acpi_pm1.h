/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RTC's ACPI fixed event in front of the chipset's PM1 event block (ACPI 6.x 4.8.4.1: RTC_STS is bit 10 of
 * PM1_STS, RTC_EN bit 10 of PM1_EN). The guest's RTC is the emulated one, so its alarm event is too: an OS that
 * takes RTC alarms through the SCI (Linux does on Intel machines with an HPET and a BIOS from 2015 on) sees the
 * emulated RTC's interrupts there. Every other bit of the block is the machine's. Pure.
 */
#ifndef DEVICES_ACPI_PM1_H
#define DEVICES_ACPI_PM1_H

#include "kernel/types.h"

#define PM1_RTC_BIT     0x400       /* RTC_STS in PM1_STS, RTC_EN in PM1_EN */

struct pm1_rtc_event {
    unsigned len;                   /* PM1_EVT_LEN: status in bytes [0, len/2), enable in [len/2, len) */
    bool sts, en;
};

/* A guest read of `size` bytes at `offset` into the block: `machine` (what the chipset's block reads there)
 * with the RTC bits the model's. */
u32 pm1_event_read(const struct pm1_rtc_event *e, unsigned offset, unsigned size, u32 machine);

/* A guest write: a 1 in RTC_STS clears it, RTC_EN is taken; returns what the chipset's block gets, the RTC bits
 * 0 (no status cleared there, the machine's RTC event stays off: the machine's RTC is the hypervisor's). */
u32 pm1_event_write(struct pm1_rtc_event *e, unsigned offset, unsigned size, u32 value);

/* The RTC raised its interrupt (its IRQ 8 output rose: alarm, update or periodic, as enabled in register B). */
static inline void pm1_rtc_interrupt(struct pm1_rtc_event *e) { e->sts = true; }

/* Whether the RTC event asserts the SCI. */
static inline bool pm1_sci(const struct pm1_rtc_event *e) { return e->sts && e->en; }

#endif
