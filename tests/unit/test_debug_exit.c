/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the debug-exit device on the port bus. */
#include "devices/debug_exit.h"
#include "devices/iobus.h"
#include "unit.h"

static u32 codes[4];
static int ncodes;

static void record(void *ctx, u32 code)
{
    (void)ctx;
    codes[ncodes++] = code;
}

TEST(debug_exit_writes_reach_the_callback)
{
    struct iobus bus;
    struct debug_exit d = { record, NULL };
    struct io_region r = { DEBUG_EXIT_PORT, DEBUG_EXIT_PORT + DEBUG_EXIT_PORTS - 1, 4, debug_exit_io_read,
                           debug_exit_io_write, &d, "debug-exit" };
    iobus_init(&bus);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    ncodes = 0;
    iobus_out(&bus, 0xF4, 1, 0x31);
    iobus_out(&bus, 0xF4, 4, 0x12345678);
    iobus_out(&bus, 0xF5, 1, 7);              /* not the base: ignored */
    CHECK_EQ(ncodes, 2);
    CHECK_EQ(codes[0], 0x31);
    CHECK_EQ(codes[1], 0x12345678);
    CHECK_EQ(iobus_in(&bus, 0xF4, 1), 0xFF);
}
