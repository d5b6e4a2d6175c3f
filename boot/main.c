/* SPDX-License-Identifier: BSD-2-Clause */
/* kmain: the hypervisor's boot sequence, one step a line; the one place that joins the host, VMX and the VM. */
#include "boot/relocate.h"
#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/gdt.h"
#include "kernel/ioapic.h"
#include "kernel/memlayout.h"
#include "kernel/memory.h"
#include "kernel/multiboot.h"
#include "kernel/multiboot_abi.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/lapic.h"
#include "kernel/legacy_pic.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/traps.h"
#include "kernel/wallclock.h"
#include "vm/guest.h"
#include "vcpu/vmx/vmx_cpu.h"

static struct options options;

static void warn_option(void *ctx, const char *msg)
{
    (void)ctx;
    pr_warn("cmdline: %s", msg);
}

/* One line: where the hypervisor's block is, and why when it is not at the top of RAM. */
static void report_placement(const struct early_boot *e)
{
    static const char *const why[] = {
        [RELOC_STAY_NO_INFO] = "the boot information did not parse",
        [RELOC_STAY_NO_ROOM] = "no free 2 MiB-aligned block of that size below 4 GiB",
        [RELOC_STAY_HIGHEST] = "nothing free above the load address",
        [RELOC_STAY_BAD_FIXUP] = "the image's fix-up table does not fit it (a build error)",
    };
    unsigned long long start = e->runs_at, end = e->runs_at + e->block_size;
    if (e->stay == RELOC_MOVED)
        pr_info("mem: hypervisor block [%llx-%llx) (%llu KiB for %u CPU(s)) at the top of usable RAM below 4 GiB "
                "(moved from the load address %llx)", start, end, (end - start) / 1024, e->cpus,
                (unsigned long long)e->loaded_at);
    else
        pr_warn("mem: hypervisor block [%llx-%llx) (%llu KiB for %u CPU(s)) stays at the load address: %s",
                start, end, (end - start) / 1024, e->cpus, why[e->stay]);
}

static const char *protocol_of(u32 magic)
{
    return magic == MB2_BOOTLOADER_MAGIC ? "multiboot2" : magic == MB1_BOOTLOADER_MAGIC ? "multiboot1" : "unknown";
}

void kmain(u32 magic, u32 info_addr)
{
    struct boot_info *bi = &early_boot.info;       /* parsed before the image moved (boot/relocate.c) */

    (void)info_addr;
    console_init();                                 /* COM1 115200 8N1: the log is the user interface */
    gdt_load(this_cpu()->tables);                   /* our GDT and TSS (IST stacks) on the boot CPU */
    idt_load();                                     /* exceptions are reported from here on */
    pr_info("hypervisor %s booting (%s)", HV_VERSION, protocol_of(magic));

    if (!early_boot.parsed) {
        pr_err("boot: bad boot information: %s", early_boot.err);
        run_exit(EXIT_BAD_BOOT_INFO);
    }
    options_parse(bi->cmdline, &options, warn_option, NULL);  /* loglevel=, on_exit=, selftest= */
    printk_set_level(options.loglevel);
    exit_set_action(options.on_exit);
    pr_info("boot: loader \"%s\", command line \"%s\", %u module(s)", bi->loader, bi->cmdline,
            bi->module_count);

    for (u32 i = 0; i < bi->module_count; i++)
        pr_info("boot: module %u [%llx-%llx) \"%s\"", i, (unsigned long long)bi->modules[i].range.start,
                (unsigned long long)bi->modules[i].range.end, bi->modules[i].cmdline);
    memory_print_map(bi);                           /* the firmware's view, as the loader passed it */
    report_placement(&early_boot);                  /* where the hypervisor went, and why if it stayed */
    if (!memory_init(bi, early_boot.block_size))    /* page allocator over the hypervisor's block */
        run_exit(EXIT_BAD_BOOT_INFO);

    time_init();                                    /* TSC frequency, for real-time delays */
    wallclock_init();                               /* the host RTC, read once: the guests' clock */
    legacy_pic_mask_all();                          /* the physical 8259s stay masked: guests get a model */
    lapic_init();                                   /* this CPU's local APIC: x2APIC when there is one */
    const struct acpi_info *acpi = acpi_init(bi);   /* MADT: the CPUs to start */
    hw_ioapic_init(acpi);                           /* the machine's I/O APICs: every pin masked, ours now */
    smp_init(acpi, bi);                             /* INIT-SIPI-SIPI each AP: "smp: N of M CPUs online" */

    selftest_run(options.selftest);                 /* deliberate failures, when asked for */
    if (!vmx_init_all())                            /* probe, then VMXON on every CPU */
        run_exit(EXIT_NO_VMX);
    struct range hv = memory_seal();                /* the hypervisor's memory: one block, hidden from guests */
    pr_info("mem: the guest gets %llu KiB of RAM (the usable RAM less the hypervisor's block)",
            (unsigned long long)memory_guest_kib(bi, hv));
    pr_info("boot: done");
    run_exit(guest_boot(bi, hv, &options));         /* the guest runs; its verdict is the run's status */
}
