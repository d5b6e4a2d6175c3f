/* SPDX-License-Identifier: BSD-2-Clause */
/* One 8254 counter's counting element as a formula of the input clock: each mode's count and OUT (82C54 "Modes"). */
#include "devices/pit_counter.h"

/* The 82C54 section and table names cited in these files ("Mode 3", "Status Byte", Table 3 "Minimum and Maximum
 * Initial Counts") are quoted from memory of Intel's data sheet, as are its rules for when a count is loaded. */

/*
 * The clock: 1.193182 MHz is 3579545 / 3 Hz, so ticks = ns * 3579545 / 3e9 exactly. Split at whole multiples of
 * 3e9 ns (= 3579545 ticks) so that nothing needs 128 bits: q * 3579545 stays below 2^64 for 3e9 * 2^64 / 3579545
 * ns, far beyond any uptime, and the remainder product is below 2^54.
 */
#define NS_PER_PERIOD (PIT_HZ_DEN * NSEC_PER_SEC)       /* 3e9 ns ... */
#define TICKS_PER_PERIOD PIT_HZ_NUM                     /* ... are exactly 3579545 edges */

u64 pit_ns_to_ticks(u64 ns)
{
    return ns / NS_PER_PERIOD * TICKS_PER_PERIOD + ns % NS_PER_PERIOD * TICKS_PER_PERIOD / NS_PER_PERIOD;
}

u64 pit_ticks_to_ns(u64 ticks)
{
    return ticks / TICKS_PER_PERIOD * NS_PER_PERIOD +
           (ticks % TICKS_PER_PERIOD * NS_PER_PERIOD + TICKS_PER_PERIOD - 1) / TICKS_PER_PERIOD;
}

/* The counter's modulus: a 16-bit binary counter or four BCD decades. */
static u32 modulus(bool bcd)
{
    return bcd ? 10000 : 0x10000;
}

/* BCD digits above 9 are undefined in the data sheet: the model takes them as 9. */
u32 pit_count_decode(u16 raw, bool bcd)
{
    u32 v = raw;
    if (bcd) {
        v = 0;
        for (int shift = 12; shift >= 0; shift -= 4)
            v = v * 10 + MIN((raw >> shift) & 0xFu, 9u);
    }
    return v ? v : modulus(bcd);
}

u16 pit_count_encode(u32 value, bool bcd)
{
    value %= modulus(bcd);
    if (!bcd)
        return (u16)value;
    return (u16)(value / 1000 << 12 | value / 100 % 10 << 8 | value / 10 % 10 << 4 | value % 10);
}

/* Modes 1 and 5 count whatever the gate does once triggered; the others stop while it is low. */
static bool gate_counts(const struct pit_channel *c)
{
    return c->gate || c->mode == 1 || c->mode == 5;
}

/* Clocks run since the CE was loaded, at edge t >= start. */
static u64 run(const struct pit_channel *c, u64 t)
{
    return c->running ? c->off + (t - c->start) : c->off;
}

/* Mode 3 (82C54 "Mode 3"): OUT is high for the first (n + 1) / 2 clocks of each n, low for the rest. */
static u64 high_half(u32 n)
{
    return (n + 1) / 2;
}

void pit_ch_sync(struct pit_channel *c, u64 t)
{
    if (!c->pend || t < c->pend_tick)
        return;
    c->counting = true;
    c->running = gate_counts(c);
    c->start = c->pend_tick;
    c->off = c->pend_off;
    c->n = c->pend_n;
    c->pend = false;
    c->null_count = false;                  /* CR -> CE (82C54 "Status Byte", null count) */
}

static bool out_of(const struct pit_channel *c, u64 d)
{
    u32 n = c->n;
    switch (c->mode) {
    case 0:
    case 1:
        return d >= n;                      /* low from the load until the count reaches 0 */
    case 2:
        return d % n != n - 1;              /* low for the one clock the count is 1 */
    case 3:
        return d % n < high_half(n);
    default:
        return d != n;                      /* modes 4, 5: one low clock when the count reaches 0 */
    }
}

bool pit_ch_out(const struct pit_channel *c, u64 t)
{
    if (!c->counting)
        return c->out_hold;
    if (!c->running && (c->mode == 2 || c->mode == 3))
        return true;                        /* "GATE = 0 forces OUT high" in modes 2 and 3 */
    return out_of(c, run(c, t));
}

/*
 * The CE's value. Modes 0, 1, 4, 5 count down by one and wrap; mode 2 runs n .. 1 and reloads; mode 3 counts
 * down by two, twice per period: from n (even n) or from n - 1 (odd n, which reads 0 for one clock at the end of
 * the high half, 82C54 "Mode 3", odd counts).
 */
u16 pit_ch_count(const struct pit_channel *c, u64 t)
{
    if (!c->counting)
        return c->hold;
    u64 d = run(c, t);
    u32 n = c->n, m = modulus(c->bcd), v;
    switch (c->mode) {
    case 2:
        v = n - (u32)(d % n);
        break;
    case 3: {
        u64 p = d % n, h = high_half(n);
        u32 top = n & 1 ? n - 1 : n;
        v = top - 2 * (u32)(p < h ? p : p - h);
        break;
    }
    default:
        v = (n + m - (u32)(d % m)) % m;
        break;
    }
    return pit_count_encode(v, c->bcd);
}

/* The first run d' > d at which OUT changes, or PIT_NEVER. */
static u64 next_change_run(const struct pit_channel *c, u64 d)
{
    u32 n = c->n;
    switch (c->mode) {
    case 0:
    case 1:
        return d < n ? n : PIT_NEVER;
    case 2: {
        if (n < 2)
            return PIT_NEVER;               /* a count of 1 is illegal in mode 2 (82C54 Table 3): OUT stays low */
        u64 p = d % n;
        return p < n - 1 ? d + (n - 1 - p) : d + 1;
    }
    case 3: {
        if (n < 2)
            return PIT_NEVER;               /* illegal too: OUT stays high */
        u64 p = d % n, h = high_half(n);
        return p < h ? d + (h - p) : d + (n - p);
    }
    default:
        return d < n ? n : d == n ? n + 1 : PIT_NEVER;
    }
}

u64 pit_ch_next_change(const struct pit_channel *c, u64 t)
{
    u64 u = PIT_NEVER;
    if (c->counting && c->running) {
        u64 d = run(c, t), e = next_change_run(c, d);
        if (e != PIT_NEVER)
            u = t + (e - d);
    }
    if (c->pend)
        u = MIN(u, c->pend_tick);
    return u;
}

bool pit_ch_rose(const struct pit_channel *c, u64 a, u64 b)
{
    if (!c->counting || !c->running || b <= a)
        return false;
    u64 d = run(c, a), end = d + (b - a);
    u32 n = c->n;
    switch (c->mode) {
    case 0:
    case 1:
        return d < n && n <= end;
    case 2:
    case 3:
        return n >= 2 && (d / n + 1) * n <= end;    /* the reload at each multiple of n */
    default:
        return d <= n && n + 1 <= end;
    }
}

/* A load of n clocks, already run `off`, at edge `at`. */
static void load_at(struct pit_channel *c, u64 at, u32 n, u64 off)
{
    c->pend = true;
    c->pend_tick = at;
    c->pend_n = n;
    c->pend_off = off;
}

/* Stop the CE where it stands: its value is kept, OUT is set. */
static void idle(struct pit_channel *c, u64 t, bool out)
{
    c->hold = pit_ch_count(c, t);
    c->out_hold = out;
    c->counting = false;
    c->pend = false;
}

/* "OUT will be initially low" in mode 0, high in modes 1-5 (82C54 "Modes"); the control logic is reset. */
void pit_ch_mode_set(struct pit_channel *c, u64 t, u8 cw)
{
    idle(c, t, ((cw >> PIT_CW_MODE_SHIFT) & 7) != 0);
    c->cw = cw & 0x3F;
    c->rw = (cw >> PIT_CW_RW_SHIFT) & 3;
    c->mode = (cw >> PIT_CW_MODE_SHIFT) & 7;
    if (c->mode > 5)
        c->mode -= 4;
    c->bcd = cw & PIT_CW_BCD;
    c->cr_valid = false;
    c->write_msb = c->read_msb = false;
    c->latched = c->status_latched = false;
    c->null_count = true;                   /* 82C54 "Status Byte": writing the control word sets null count */
}

/* Mode 0: "writing the first byte disables counting; OUT is set low immediately". Other modes: no effect. */
void pit_ch_first_byte(struct pit_channel *c, u64 t)
{
    if (c->mode == 0)
        idle(c, t, false);
}

/* A whole count is in the CR (null count is set by the caller): when the CE takes it, per mode. */
void pit_ch_count_written(struct pit_channel *c, u64 t)
{
    u32 n = pit_count_decode(c->cr, c->bcd);
    switch (c->mode) {
    case 0:
        idle(c, t, false);                  /* OUT low until the new count expires */
        load_at(c, t + 1, n, 0);            /* on the next clock, which does not decrement */
        break;
    case 4:
        load_at(c, t + 1, n, 0);            /* the old count runs until then */
        break;
    case 2:
    case 3:
        if (c->counting && c->running) {
            /* The current period (mode 2) or half-cycle (mode 3) ends first; the new count starts there. */
            u64 d = run(c, t), p = d % c->n, h = c->mode == 3 ? high_half(c->n) : c->n;
            if (p < h)
                load_at(c, t + (h - p), n, c->mode == 3 && h < c->n ? high_half(n) : 0);
            else
                load_at(c, t + (c->n - p), n, 0);
        } else {
            load_at(c, t + 1, n, 0);
        }
        break;
    default:
        break;                              /* modes 1 and 5 wait for a gate trigger */
    }
}

/* Counter 2's gate from port 0x61 (82C54 Table "Gate Pin Operations Summary"). */
void pit_ch_gate(struct pit_channel *c, u64 t, bool gate)
{
    if (gate == c->gate)
        return;
    c->gate = gate;
    if (c->mode == 1 || c->mode == 5 || ((c->mode == 2 || c->mode == 3) && gate)) {
        /* A rising edge triggers (1, 5) or restarts (2, 3) with the CR on the next clock; falling does nothing. */
        if (gate && c->cr_valid)
            load_at(c, t + 1, pit_count_decode(c->cr, c->bcd), 0);
        return;
    }
    if (!c->counting)
        return;                             /* a waiting load starts, stopped or not, per gate_counts */
    c->off = run(c, t);                     /* modes 0, 4 stop and resume; 2, 3 stop with OUT high */
    c->start = t;
    c->running = gate;
}
