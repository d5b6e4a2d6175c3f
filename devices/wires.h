/* SPDX-License-Identifier: BSD-2-Clause */
/* What a device model is handed instead of globals: a wall clock and an interrupt line. */
#ifndef DEVICES_WIRES_H
#define DEVICES_WIRES_H

#include "kernel/types.h"

/* No deadline: what a next-deadline query returns when no timer is needed. */
#define DEV_NO_DEADLINE UINT64_MAX

#define NSEC_PER_SEC 1000000000ULL

/*
 * Wall-clock nanoseconds since the Unix epoch. In the hypervisor: the host RTC read once at boot, advanced by the
 * TSC. It must never go backwards; models take it under their own lock, so it must not take device locks.
 */
struct dev_clock {
    u64 (*now_ns)(void *ctx);
    void *ctx;
};

/*
 * An interrupt line into the interrupt controller: set(ctx, line, level) drives it high or low. Models call it only
 * on a change and while holding their own lock (so concurrent updates cannot reorder levels); lock order is
 * therefore device lock -> interrupt-controller lock, and set() must never call back into the device.
 */
struct dev_irq {
    void (*set)(void *ctx, unsigned line, bool level);
    void *ctx;
    unsigned line;
};

static inline u64 dev_now(const struct dev_clock *c)
{
    return c->now_ns(c->ctx);
}

#endif
