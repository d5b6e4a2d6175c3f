/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the console's byte queue. */
#include "unit.h"
#include "kernel/byte_ring.h"

TEST(byte_ring_fifo_order_and_limits)
{
    char buf[4], out[8];
    struct byte_ring r = { buf, sizeof buf, 0, 0 };
    CHECK_EQ(byte_ring_pop(&r, out, 8), 0);              /* empty */
    CHECK_EQ(byte_ring_push(&r, "abcdef", 6), 4);        /* only what fits */
    CHECK_EQ(byte_ring_count(&r), 4);
    CHECK_EQ(byte_ring_space(&r), 0);
    CHECK_EQ(byte_ring_push(&r, "x", 1), 0);             /* full */
    CHECK_EQ(byte_ring_pop(&r, out, 3), 3);
    CHECK(out[0] == 'a' && out[1] == 'b' && out[2] == 'c');
    CHECK_EQ(byte_ring_push(&r, "efg", 3), 3);           /* wraps around the buffer's end */
    CHECK_EQ(byte_ring_pop(&r, out, 8), 4);
    CHECK(out[0] == 'd' && out[1] == 'e' && out[2] == 'f' && out[3] == 'g');
    CHECK_EQ(byte_ring_count(&r), 0);
}

TEST(byte_ring_counters_past_many_wraps)
{
    char buf[3], out[1];
    struct byte_ring r = { buf, sizeof buf, 0, 0 };
    for (int i = 0; i < 1000; i++) {
        char c = (char)('a' + i % 26);
        CHECK_EQ(byte_ring_push(&r, &c, 1), 1);
        CHECK_EQ(byte_ring_pop(&r, out, 1), 1);
        CHECK(out[0] == c);
    }
    CHECK_EQ(r.head, 1000);
    CHECK_EQ(r.tail, 1000);
}
