/* SPDX-License-Identifier: BSD-2-Clause */
/* Deliberate failures, chosen with selftest= on the command line, that prove the failure reports work. */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "kernel/cmdline.h"

void selftest_run(enum selftest which);

#endif
