/* SPDX-License-Identifier: BSD-2-Clause */
/* ACPI at boot: find the RSDP, read the tables once, keep what later steps need (CPUs, power-off). */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include "kernel/acpi_tables.h"
#include "kernel/multiboot.h"

/* Returns the parsed tables, or NULL (after a warning) when there are none or they are malformed. */
const struct acpi_info *acpi_init(const struct boot_info *bi);

/* The tables acpi_init read (MADT or not), or NULL when there were none or they were malformed. */
const struct acpi_info *acpi_tables(void);

/* Enters ACPI S5 through the FADT's PM1 control blocks. Returns only if that is impossible or failed. */
void acpi_poweroff(void);

#endif
