/* SPDX-License-Identifier: BSD-2-Clause */
/* selftest=fault writes to an unmapped address (a #PF report), ap-fault does so on the last AP;
 * selftest=panic fails an ASSERT. */
#include "kernel/selftest.h"
#include "kernel/assert.h"
#include "kernel/printk.h"
#include "kernel/smp.h"

/* 16 TiB: canonical, far above the 4 GiB identity map, so the write takes a page fault. */
#define UNMAPPED_ADDRESS 0x100000000000ULL

__attribute__((noinline)) static void selftest_fault(void)
{
    *(volatile unsigned long *)UNMAPPED_ADDRESS = 0x5e1f7e57;
}

__attribute__((noinline)) static void selftest_fault_call(void *unused)
{
    (void)unused;
    selftest_fault();
}

__attribute__((noinline)) static void selftest_panic(void)
{
    volatile int one = 1;
    ASSERT(one == 2);
}

void selftest_run(enum selftest which)
{
    switch (which) {
    case SELFTEST_FAULT:
        pr_info("selftest: faulting on purpose: write to %#llx", UNMAPPED_ADDRESS);
        selftest_fault();
        break;
    case SELFTEST_PANIC:
        pr_info("selftest: failing an assertion on purpose");
        selftest_panic();
        break;
    case SELFTEST_AP_FAULT:
        if (smp_cpu_count() < 2) {
            pr_warn("selftest: ap-fault needs a second CPU; skipped");
            break;
        }
        pr_info("selftest: faulting on purpose on cpu%u: write to %#llx", smp_cpu_count() - 1, UNMAPPED_ADDRESS);
        smp_call_on(smp_cpu_count() - 1, selftest_fault_call, NULL);
        break;
    case SELFTEST_BAD_GUEST_STATE:  /* applied to the guest's VMCS by guest_boot() */
    case SELFTEST_NONE:
        break;
    }
}
