/* SPDX-License-Identifier: BSD-2-Clause */
/* ACPI at boot: find the RSDP, read the tables once, keep what later steps need (CPUs, power-off). */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include "kernel/acpi_tables.h"
#include "kernel/multiboot.h"

/* Where the RSDP is: the multiboot2 tag's copy (new, then old), else the BIOS areas (addr != 0). */
struct acpi_rsdp {
    const u8 *rsdp;
    size_t len;
    const char *source;
    u64 addr;
};

/* Finds the RSDP without a word on the console (early boot uses it too); false when there is none. */
bool acpi_find_rsdp(const struct boot_info *bi, struct acpi_rsdp *r);

/* Returns the parsed tables, or NULL (after a warning) when there are none or they are malformed. */
const struct acpi_info *acpi_init(const struct boot_info *bi);

/* The tables acpi_init read (MADT or not), or NULL when there were none or they were malformed. */
const struct acpi_info *acpi_tables(void);

/* Enters ACPI S5 through the FADT's PM1 control blocks. Returns only if that is impossible or failed. */
void acpi_poweroff(void);

#endif
