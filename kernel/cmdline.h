/* SPDX-License-Identifier: BSD-2-Clause */
/* The hypervisor's command line: `key=value` words, parsed once at boot into struct options. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

/* LOG_ALWAYS is for the lines tools read (the exit status): no threshold hides them. */
enum log_level { LOG_ALWAYS = -1, LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* What ends a run (see kernel/exit.c and the README's exit status table). */
enum exit_action {
    EXIT_ACTION_AUTO,       /* emulator exit ports when an emulator is detected, else halt */
    EXIT_ACTION_QEMU,       /* isa-debug-exit at port 0xf4 */
    EXIT_ACTION_BOCHS,      /* Bochs shutdown port 0x8900 */
    EXIT_ACTION_HALT,
    EXIT_ACTION_REBOOT,
    EXIT_ACTION_POWEROFF,
};

/* Deliberate failures (kernel/selftest.c); bad-guest-state breaks the guest's CR0 before the first VM entry. */
enum selftest { SELFTEST_NONE, SELFTEST_FAULT, SELFTEST_PANIC, SELFTEST_AP_FAULT, SELFTEST_BAD_GUEST_STATE };

struct options {
    enum log_level loglevel;
    enum exit_action on_exit;
    enum selftest selftest;
};

/* Called once per problem (unknown key, bad value) with a readable message. */
typedef void (*option_warn_fn)(void *ctx, const char *msg);

/* Fills opt with defaults, then applies cmdline (may be NULL). Returns the number of problems reported. */
int options_parse(const char *cmdline, struct options *opt, option_warn_fn warn, void *ctx);

const char *exit_action_name(enum exit_action a);

#endif
