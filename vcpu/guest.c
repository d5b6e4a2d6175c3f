/* SPDX-License-Identifier: BSD-2-Clause */
/* guest_boot: one VM, its image from the first module, the boot CPU's vCPU; statistics when it ends. */
#include "kernel/exit.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "vcpu/exits.h"
#include "vcpu/guest.h"
#include "vcpu/guest_load.h"
#include "vcpu/vm.h"
#include "vcpu/vmcs.h"
#include "vcpu/vmx_names.h"

static struct vm vm;

static void print_stats(const struct vcpu *v)
{
    char line[400];
    int n = ksnprintf(line, sizeof line, "stats: cpu%u: %llu exits", v->index, (unsigned long long)v->exits_total);
    for (u32 r = 0; r < EXIT_REASON_COUNT && n < (int)sizeof line; r++)
        if (v->exits[r])
            n += ksnprintf(line + n, sizeof line - n, " %s=%llu", vmx_exit_reason_name(r),
                           (unsigned long long)v->exits[r]);
    pr_info("%s", line);
}

u32 guest_boot(const struct boot_info *bi, struct range hv, const struct options *opt)
{
    struct guest_start start;
    struct image_spec spec;

    if (bi->module_count == 0) {
        pr_info("guest: none (no multiboot module given)");
        return EXIT_OK;
    }
    if (!vm_create(&vm, "vm0", bi, hv))
        return EXIT_PANIC;
    msr_intercepts_init(&vm);
    if (!platform_init(&vm))
        return EXIT_PANIC;
    if (!guest_image_load(&vm, &bi->modules[0], &start, &spec))
        return EXIT_VM_STOPPED;
    struct vcpu *v = vm_create_vcpu(&vm);
    if (!v)
        return EXIT_PANIC;
    vmcs_set_guest_start(v, &start);
    if (opt->selftest == SELFTEST_BAD_GUEST_STATE) {
        pr_info("selftest: breaking the guest state on purpose: CR0.PG without CR0.PE");
        vmcs_write_natural(GUEST_CR0, vmcs_read_natural(GUEST_CR0) | BIT(31));
    }
    pr_info("guest: %s: starting on cpu%u", spec.name, v->index);
    vcpu_run(v);
    guest_console_flush(&vm.dev.console);
    print_stats(v);
    return vm.status;
}
