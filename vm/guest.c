/* SPDX-License-Identifier: BSD-2-Clause */
/* guest_boot: one VM, its image from the first module, the boot CPU's vCPU; statistics when it ends. */
#include "kernel/exit.h"
#include "kernel/format.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vm/guest.h"
#include "vm/guest_image.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_names.h"

#define AP_READY_US 2000000       /* an AP not in the guest by then is a hypervisor bug */

static struct vm vm;

/* Per AP: its vCPU is in wait-for-SIPI (ready), its run loop has returned (done). */
static struct {
    volatile bool ready, done;
} aps[HV_MAX_CPUS];

/*
 * On each application processor: a vCPU halted, as firmware leaves application processors. The guest's INIT puts it in wait-for-SIPI (vcpu/exit_events.c) and its SIPI starts it, as on
 * bare metal. (Parking it in wait-for-SIPI directly would not do: INIT is blocked there and would stay
 * pending, then undo the start the SIPI just made.)
 */
static void ap_vcpu(void *arg)
{
    struct vm *m = arg;
    u32 i = this_cpu()->index;
    struct vcpu *v = vm_create_vcpu(m);
    if (v) {
        vmcs_set_guest_parked(v);
        aps[i].ready = true;
        vcpu_run(v);
    } else {
        vm_stop(m, EXIT_PANIC);
    }
    aps[i].done = true;
}

/* Waits until every AP's flag is set, or the time is up; names the first that is late. */
static bool wait_aps(volatile bool *flag_of_cpu0, size_t stride, const char *what)
{
    u64 end = tsc_deadline_us(AP_READY_US);
    for (u32 i = 1; i < smp_cpu_count(); i++) {
        volatile bool *flag = (volatile bool *)((volatile u8 *)flag_of_cpu0 + i * stride);
        while (!*flag && rdtsc() < end)
            cpu_relax();
        if (!*flag) {
            pr_err("vm: cpu%u %s", i, what);
            return false;
        }
    }
    return true;
}

/*
 * Waits until every AP's run loop has returned. A vCPU that read `stopping` just before vm_stop set it, then
 * entered wait-for-SIPI, missed the stop's SIPI (a SIPI to a CPU in root mode is dropped) and takes neither the
 * wake IPI nor an NMI in that state: stragglers are kicked again every STOP_RETRY_US.
 */
#define STOP_RETRY_US 100000

static void wait_aps_done(struct vm *m)
{
    u64 end = tsc_deadline_us(AP_READY_US);
    for (;;) {
        u64 retry = tsc_deadline_us(STOP_RETRY_US);
        bool all = true;
        for (u32 i = 1; i < smp_cpu_count(); i++)
            while (!aps[i].done && rdtsc() < retry)
                cpu_relax();
        for (u32 i = 1; i < smp_cpu_count(); i++) {
            if (aps[i].done)
                continue;
            all = false;
            if (m->vcpus[i])
                vcpu_kick(m->vcpus[i], VCPU_REQ_STOP);
        }
        if (all)
            return;
        if (rdtsc() >= end)
            break;
    }
    for (u32 i = 1; i < smp_cpu_count(); i++)
        if (!aps[i].done) {
            pr_err("vm: cpu%u did not leave the guest", i);
            return;
        }
}

static void print_stats(const struct vcpu *v)
{
    char line[400];
    int n = ksnprintf(line, sizeof line, "stats: cpu%u: %llu exits", v->index, (unsigned long long)vcpu_exits_total(v));
    for (u32 r = 0; r <= EXIT_REASON_COUNT && n < (int)sizeof line; r++)
        if (v->exits[r])
            n += ksnprintf(line + n, sizeof line - n, " %s=%llu",
                           r < EXIT_REASON_COUNT ? vmx_exit_reason_name(r) : "other", (unsigned long long)v->exits[r]);
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
    if (!board_init(&vm))
        return EXIT_PANIC;
    if (!guest_image_load(&vm, bi->modules, bi->module_count, &start, &spec))
        return EXIT_VM_STOPPED;
    struct vcpu *v = vm_create_vcpu(&vm);
    if (!v)
        return EXIT_PANIC;
    for (u32 i = 1; i < smp_cpu_count(); i++)
        if (!smp_post(i, ap_vcpu, &vm))
            pr_err("vm: cpu%u is busy and gets no vCPU", i);      /* wait_aps below reports it */
    if (!wait_aps(&aps[0].ready, sizeof aps[0], "did not put its vCPU in wait-for-SIPI")) {
        vm_stop(&vm, EXIT_PANIC);
        wait_aps(&aps[0].done, sizeof aps[0], "did not leave the guest");
        return EXIT_PANIC;
    }
    vmcs_set_guest_start(v, &start);
    if (opt->selftest == SELFTEST_BAD_GUEST_STATE) {
        pr_info("selftest: breaking the guest state on purpose: CR0.PG without CR0.PE");
        vmcs_write_natural(GUEST_CR0, vmcs_read_natural(GUEST_CR0) | BIT(31));
    }
    /* Whatever the guest does, the hypervisor's code and its memory use stay as they were: shown at the end. */
    u64 text_before = memory_text_checksum(), free_before = memory_free_kib();
    pr_info("guest: %s: starting on cpu%u", spec.name, v->index);
    vcpu_run(v);
    wait_aps_done(&vm);
    guest_console_flush(&vm.board.console);
    u64 text_after = memory_text_checksum();
    printk(text_after == text_before ? LOG_INFO : LOG_ERROR,
           "vm: hypervisor text checksum %016llx before the guest, %016llx after: %s", (unsigned long long)text_before,
           (unsigned long long)text_after, text_after == text_before ? "unchanged" : "CHANGED");
    pr_info("vm: hypervisor memory: %llu KiB free before the guest, %llu KiB after",
            (unsigned long long)free_before, (unsigned long long)memory_free_kib());
    for (u32 i = 0; i < HV_MAX_CPUS; i++)
        if (vm.vcpus[i])
            print_stats(vm.vcpus[i]);
    return vm.status;
}
