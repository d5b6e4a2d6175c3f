/* SPDX-License-Identifier: BSD-2-Clause */
/* MMIO dispatch: no MMIO device is emulated, so every violation goes back to the caller's report. */
#include "vcpu/mmio.h"

bool mmio_dispatch(struct vcpu *v, const struct ept_violation *e, enum vmexit_action *action)
{
    (void)v;
    (void)e;
    (void)action;
    return false;
}
