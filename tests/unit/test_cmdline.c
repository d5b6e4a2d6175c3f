/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the hypervisor command-line parser. */
#include "kernel/cmdline.h"
#include "unit.h"

static char last_msg[200];
static int warn_count;

static void record(void *ctx, const char *msg)
{
    (void)ctx;
    warn_count++;
    snprintf(last_msg, sizeof last_msg, "%s", msg);
}

TEST(cmdline_defaults)
{
    struct options o;
    CHECK_EQ(options_parse(NULL, &o, record, NULL), 0);
    CHECK_EQ(o.loglevel, LOG_INFO);
    CHECK_EQ(o.on_exit, EXIT_ACTION_AUTO);
    CHECK_EQ(o.selftest, SELFTEST_NONE);
    CHECK_EQ(options_parse("", &o, record, NULL), 0);
    CHECK_EQ(options_parse("   ", &o, record, NULL), 0);
}

TEST(cmdline_values)
{
    struct options o;
    CHECK_EQ(options_parse("loglevel=debug  on_exit=reboot\tselftest=fault", &o, record, NULL), 0);
    CHECK_EQ(o.loglevel, LOG_DEBUG);
    CHECK_EQ(o.on_exit, EXIT_ACTION_REBOOT);
    CHECK_EQ(o.selftest, SELFTEST_FAULT);
    CHECK_EQ(options_parse("loglevel=0 on_exit=poweroff on_exit=qemu", &o, record, NULL), 0);
    CHECK_EQ(o.loglevel, LOG_ERROR);
    CHECK_EQ(o.on_exit, EXIT_ACTION_QEMU);
    CHECK_STR(exit_action_name(EXIT_ACTION_POWEROFF), "poweroff");
}

TEST(cmdline_problems_are_reported)
{
    struct options o;
    warn_count = 0;
    CHECK_EQ(options_parse("frobnicate=1 loglevel=info", &o, record, NULL), 1);
    CHECK_STR(last_msg, "unknown option 'frobnicate=1' ignored");
    CHECK_EQ(o.loglevel, LOG_INFO);
    CHECK_EQ(options_parse("loglevel=verbose", &o, record, NULL), 1);
    CHECK_STR(last_msg, "bad value in 'loglevel=verbose': expected one of error warn info debug 0 1 2 3");
    CHECK_EQ(options_parse("on_exit", &o, record, NULL), 1);
    CHECK_STR(last_msg, "option 'on_exit' needs a value");
    /* A key that is a prefix of a known key is not that key. */
    CHECK_EQ(options_parse("log=3 loglevelx=3", &o, record, NULL), 2);
    CHECK_EQ(warn_count, 5);
}
