/* SPDX-License-Identifier: BSD-2-Clause */
/* What the PIT model's files share: the input clock and one counter's counting element as a formula of time. */
#ifndef DEVICES_PIT_COUNTER_H
#define DEVICES_PIT_COUNTER_H

#include "devices/pit8254.h"

#define PIT_NEVER UINT64_MAX

/* Input-clock edges in the first `ns` nanoseconds, and the first nanosecond by which `ticks` edges have come. */
u64 pit_ns_to_ticks(u64 ns);
u64 pit_ticks_to_ns(u64 ticks);

/* A count register value as a number of clocks (0 is 0x10000, or 10000 in BCD), and a CE value back. */
u32 pit_count_decode(u16 raw, bool bcd);
u16 pit_count_encode(u32 value, bool bcd);

/* Where the counter stands at edge t; pit_ch_sync(t) first. */
void pit_ch_sync(struct pit_channel *c, u64 t);
bool pit_ch_out(const struct pit_channel *c, u64 t);
u16 pit_ch_count(const struct pit_channel *c, u64 t);

/* The first edge after t at which OUT may change (a waiting load counts), or PIT_NEVER. */
u64 pit_ch_next_change(const struct pit_channel *c, u64 t);
/* Whether OUT rose at some edge in (a, b]; the counter synced to a, b before any waiting load. */
bool pit_ch_rose(const struct pit_channel *c, u64 a, u64 b);

/* What the guest does to the counting element at edge t (the counter synced to t). */
void pit_ch_mode_set(struct pit_channel *c, u64 t, u8 cw);
void pit_ch_first_byte(struct pit_channel *c, u64 t);
void pit_ch_count_written(struct pit_channel *c, u64 t);
void pit_ch_gate(struct pit_channel *c, u64 t, bool gate);

#endif
