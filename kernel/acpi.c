/* SPDX-License-Identifier: BSD-2-Clause */
/* Finds the RSDP (multiboot2 tags first, new then old; the BIOS areas only without them) and reads ACPI. */
#include "kernel/acpi.h"
#include "kernel/memlayout.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/x86.h"

#define BDA_EBDA_SEGMENT    0x40E       /* BIOS data area: real-mode segment of the EBDA */
#define BIOS_ROM_START      0xE0000
#define BIOS_ROM_END        0x100000
#define PM1_SCI_EN          BIT(0)
#define PM1_SLP_TYP_SHIFT   10
#define PM1_SLP_EN          BIT(13)
#define ACPI_ENABLE_WAIT_US 3000000

static struct acpi_info acpi;
static bool acpi_ok;         /* parsed, with a MADT */
static bool acpi_parsed;     /* parsed, MADT or not */

static const void *phys(void *ctx, u64 addr, u64 len)
{
    (void)ctx;
    if (addr == 0 || addr + len < addr || addr + len > HV_IDMAP_LIMIT)
        return NULL;
    return (const void *)addr;
}

static u64 scan_bios(void)
{
    const u16 *bda = (const u16 *)BDA_EBDA_SEGMENT;
    __asm__("" : "+r"(bda));    /* a fixed low address, not a null-pointer offset: keep GCC from judging it */
    u64 ebda = (u64)*bda << 4;
    u64 found = ebda >= 0x80000 && ebda < 0xA0000 ? acpi_scan_rsdp(phys, NULL, ebda, ebda + 1024) : 0;
    return found ? found : acpi_scan_rsdp(phys, NULL, BIOS_ROM_START, BIOS_ROM_END);
}

bool acpi_find_rsdp(const struct boot_info *bi, struct acpi_rsdp *r)
{
    r->addr = 0;
    if (bi->has_rsdp_v2) {
        r->rsdp = bi->rsdp_v2, r->len = sizeof bi->rsdp_v2, r->source = "multiboot2 ACPI (new) tag";
    } else if (bi->has_rsdp_v1) {
        r->rsdp = bi->rsdp_v1, r->len = sizeof bi->rsdp_v1, r->source = "multiboot2 ACPI (old) tag";
    } else {
        u64 a = scan_bios();
        if (!a)
            return false;
        r->rsdp = (const u8 *)a, r->len = ((const u8 *)a)[15] >= 2 ? 36 : 20, r->source = "BIOS area scan";
        r->addr = a;
    }
    return true;
}

const struct acpi_info *acpi_init(const struct boot_info *bi)
{
    char err[160];
    struct acpi_rsdp r;

    if (!acpi_find_rsdp(bi, &r)) {
        pr_warn("acpi: no RSDP (no multiboot2 ACPI tag, none in the BIOS areas); using the boot CPU alone");
        return NULL;
    }
    const u8 *rsdp = r.rsdp;
    size_t len = r.len;
    const char *source = r.source;
    u64 addr = r.addr;
    if (!acpi_parse(rsdp, len, phys, NULL, &acpi, err, sizeof err)) {
        pr_warn("acpi: %s; using the boot CPU alone", err);
        return NULL;
    }
    acpi.rsdp_addr = addr;
    acpi_parsed = true;
    pr_info("acpi: RSDP revision %u (from %s)", acpi.revision, source);
    if (!acpi.has_madt) {
        pr_warn("acpi: no MADT; using the boot CPU alone");
        return NULL;
    }
    pr_info("acpi: MADT: %u CPU(s) enabled, %u hot-pluggable, %u I/O APIC(s), %u interrupt override(s)",
            acpi.cpus_enabled, acpi.cpu_count - acpi.cpus_enabled, acpi.ioapic_count, acpi.override_count);
    for (u32 i = 0; i < acpi.ioapic_count; i++)
        pr_info("acpi: I/O APIC %u at 0x%x, GSI base %u", acpi.ioapics[i].id, acpi.ioapics[i].address,
                acpi.ioapics[i].gsi_base);
    for (u32 i = 0; i < acpi.cpu_count; i++)
        pr_debug("acpi: CPU APIC ID %u, UID %u, %s%s", acpi.cpus[i].apic_id, acpi.cpus[i].uid,
                 acpi.cpus[i].enabled ? "enabled" : "hot-pluggable", acpi.cpus[i].x2apic_entry ? ", x2APIC" : "");
    acpi_ok = true;
    return &acpi;
}

const struct acpi_info *acpi_tables(void)
{
    return acpi_parsed ? &acpi : NULL;
}

void acpi_poweroff(void)
{
    bool s5 = acpi_has_sleep_state(&acpi, ACPI_S5);
    if (!acpi_ok || !acpi.has_fadt || !s5 || !acpi.pm1a_control) {
        pr_warn("acpi: power-off impossible: %s", !acpi_ok ? "no ACPI tables" : !s5 ?
                "no \\_S5 object in the DSDT" : "no FADT PM1 control block");
        return;
    }
    /* Firmware may hand over in legacy mode: ask it to enable ACPI (ACPI 6.5 16.3.1). */
    if (!(inw((u16)acpi.pm1a_control) & PM1_SCI_EN) && acpi.smi_command && acpi.acpi_enable) {
        outb((u16)acpi.smi_command, acpi.acpi_enable);
        u64 end = tsc_deadline_us(ACPI_ENABLE_WAIT_US);
        while (!(inw((u16)acpi.pm1a_control) & PM1_SCI_EN) && rdtsc() < end)
            cpu_relax_io();
    }
    outw((u16)acpi.pm1a_control, (u16)(acpi.slp_typ_a[ACPI_S5] << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
    if (acpi.pm1b_control)
        outw((u16)acpi.pm1b_control, (u16)(acpi.slp_typ_b[ACPI_S5] << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
    delay_us(1000000);
    pr_warn("acpi: the machine did not power off after entering S5");
}
