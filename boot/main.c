/* SPDX-License-Identifier: BSD-2-Clause */
/* kmain: the hypervisor's boot sequence, one step a line; the one place that joins the host, VMX and the VM. */
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

static struct boot_info boot_info;
static struct options options;

/* The boot info lies in the identity-mapped low 4 GiB, or it is unreadable. */
static const void *identity_map(void *ctx, u64 addr, u64 len)
{
    (void)ctx;
    if (addr == 0 || addr + len < addr || addr + len > HV_IDMAP_LIMIT)
        return NULL;
    return (const void *)addr;
}

static void warn_option(void *ctx, const char *msg)
{
    (void)ctx;
    pr_warn("cmdline: %s", msg);
}

static const char *protocol_of(u32 magic)
{
    return magic == MB2_BOOTLOADER_MAGIC ? "multiboot2" : magic == MB1_BOOTLOADER_MAGIC ? "multiboot1" : "unknown";
}

void kmain(u32 magic, u32 info_addr)
{
    char err[160];

    console_init();                                 /* COM1 115200 8N1: the log is the user interface */
    gdt_load(this_cpu()->tables);                   /* our GDT and TSS (IST stacks) on the boot CPU */
    idt_load();                                     /* exceptions are reported from here on */
    pr_info("hypervisor %s booting (%s)", HV_VERSION, protocol_of(magic));

    if (!boot_info_parse(magic, info_addr, identity_map, NULL, hv_image_range(), &boot_info, err, sizeof err)) {
        pr_err("boot: bad boot information: %s", err);
        run_exit(EXIT_BAD_BOOT_INFO);
    }
    options_parse(boot_info.cmdline, &options, warn_option, NULL);  /* loglevel=, on_exit=, selftest= */
    printk_set_level(options.loglevel);
    exit_set_action(options.on_exit);
    pr_info("boot: loader \"%s\", command line \"%s\", %u module(s)", boot_info.loader, boot_info.cmdline,
            boot_info.module_count);

    for (u32 i = 0; i < boot_info.module_count; i++)
        pr_info("boot: module %u [%llx-%llx) \"%s\"", i, (unsigned long long)boot_info.modules[i].range.start,
                (unsigned long long)boot_info.modules[i].range.end, boot_info.modules[i].cmdline);
    memory_print_map(&boot_info);                   /* the firmware's view, as the loader passed it */
    if (!memory_init(&boot_info))                   /* page allocator over free RAM below 4 GiB */
        run_exit(EXIT_BAD_BOOT_INFO);

    time_init();                                    /* TSC frequency, for real-time delays */
    wallclock_init();                               /* the host RTC, read once: the guests' clock */
    legacy_pic_mask_all();                          /* the physical 8259s stay masked: guests get a model */
    lapic_init();                                   /* this CPU's local APIC: x2APIC when there is one */
    const struct acpi_info *acpi = acpi_init(&boot_info);   /* MADT: the CPUs to start */
    hw_ioapic_init(acpi);                           /* the machine's I/O APICs: every pin masked, ours now */
    smp_init(acpi, &boot_info);                     /* INIT-SIPI-SIPI each AP: "smp: N of M CPUs online" */

    selftest_run(options.selftest);                 /* deliberate failures, when asked for */
    if (!vmx_init_all())                            /* probe, then VMXON on every CPU */
        run_exit(EXIT_NO_VMX);
    struct range hv = memory_seal(HV_MEMORY_SLACK); /* the hypervisor's memory: one block, hidden from guests */
    pr_info("boot: done");
    run_exit(guest_boot(&boot_info, hv, &options));           /* the guest runs; its verdict is the run's status */
}
