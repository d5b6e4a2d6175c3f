/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the TSC-to-nanoseconds scale the wall clock uses. */
#include "kernel/tsc_ns.h"
#include "unit.h"

/* The exact answer, by long division: ticks * 10^9 / hz. */
static u64 exact_ns(u64 ticks, u64 hz)
{
    return (u64)((unsigned __int128)ticks * 1000000000ULL / hz);
}

TEST(tsc_ns_exact_for_divisors_of_a_second)
{
    /* Bochs's 4 MHz TSC (250 ns a tick) and a 1 GHz TSC scale without truncation. */
    CHECK_EQ(tsc_ticks_to_ns(1, tsc_ns_scale(4000000)), 250);
    CHECK_EQ(tsc_ticks_to_ns(4000000, tsc_ns_scale(4000000)), 1000000000ULL);
    CHECK_EQ(tsc_ticks_to_ns(123456789, tsc_ns_scale(1000000000)), 123456789);
}

TEST(tsc_ns_error_bounded_over_a_year)
{
    /* After a year of ticks the result is within two parts in 10^9 of the exact one (plus 1 ns of rounding)
     * for the frequencies real TSCs run at (the bound is hz / (10^9 * 2^32)), and never runs ahead of it. */
    const u64 hzs[] = { 1000003, 33333333, 1999999999, 2893305000ULL, 3600000000ULL, 5100000000ULL };
    for (unsigned i = 0; i < sizeof hzs / sizeof hzs[0]; i++) {
        u64 hz = hzs[i], ticks = hz * 365 * 86400, exact = exact_ns(ticks, hz);
        u64 got = tsc_ticks_to_ns(ticks, tsc_ns_scale(hz));
        CHECK(got <= exact);
        CHECK(exact - got <= exact / 500000000ULL + 1);
    }
}

TEST(tsc_ns_no_overflow_for_huge_tick_counts)
{
    /* 2^63 ticks of a 4 GHz TSC: 73 years, still in range. */
    u64 ticks = 1ULL << 63, hz = 4000000000ULL;
    u64 got = tsc_ticks_to_ns(ticks, tsc_ns_scale(hz));
    CHECK(got <= exact_ns(ticks, hz));
    CHECK(exact_ns(ticks, hz) - got <= exact_ns(ticks, hz) / 1000000000ULL + 1);   /* 4 GHz: under 1 ppb */
}

TEST(tsc_ns_to_ticks_ceil_is_the_first_tick_at_the_deadline)
{
    /* A device deadline as a TSC count: at the ticks returned the clock reads the deadline, one tick earlier it
     * does not yet (a timer armed a tick short finds the device not due and costs another exit). */
    const u64 hzs[] = { 4000000, 200000000, 1000003, 2893305000ULL, 5100000000ULL };
    const u64 nss[] = { 0, 1, 249, 250, 251, 999999999, 4000000, 86400ULL * 1000000000ULL + 7, 1ULL << 50 };
    for (unsigned i = 0; i < sizeof hzs / sizeof hzs[0]; i++) {
        u64 scale = tsc_ns_scale(hzs[i]);
        for (unsigned j = 0; j < sizeof nss / sizeof nss[0]; j++) {
            u64 t = tsc_ns_to_ticks_ceil(nss[j], scale);
            CHECK(tsc_ticks_to_ns(t, scale) >= nss[j]);
            CHECK(t == 0 || tsc_ticks_to_ns(t - 1, scale) < nss[j]);
        }
    }
    CHECK_EQ(tsc_ns_to_ticks_ceil(250, tsc_ns_scale(4000000)), 1);
    CHECK_EQ(tsc_ns_to_ticks_ceil(251, tsc_ns_scale(4000000)), 2);
    CHECK_EQ(tsc_ns_to_ticks_ceil(UINT64_MAX, tsc_ns_scale(5100000000ULL)), UINT64_MAX);   /* past 2^64 ticks */
}
