/* SPDX-License-Identifier: BSD-2-Clause */
/* ACPI tables the hypervisor reads: RSDP, RSDT/XSDT, MADT (CPUs, I/O APICs, overrides), FADT, DSDT's \_S5, HPET. */
#ifndef KERNEL_ACPI_TABLES_H
#define KERNEL_ACPI_TABLES_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

#define ACPI_MAX_CPUS       1024
#define ACPI_MAX_IOAPICS    16
#define ACPI_MAX_OVERRIDES  24

struct acpi_cpu {
    u32 apic_id;
    u32 uid;
    bool enabled;           /* present and usable now */
    bool online_capable;    /* not enabled, but may be hot-added (ACPI 6.3 flag bit 1) */
    bool x2apic_entry;      /* listed by a local x2APIC structure (type 9) */
};

struct acpi_ioapic {
    u8 id;
    u32 address, gsi_base;
};

struct acpi_override {
    u8 bus, source;
    u32 gsi;
    u16 flags;
};

struct acpi_info {
    u64 rsdp_addr;
    u8 revision;                /* RSDP revision: 0 = ACPI 1.0 (RSDT), 2+ = XSDT */
    bool has_madt, has_fadt;
    u64 lapic_address;
    u32 cpu_count, cpus_enabled;
    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    u32 ioapic_count;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    u32 override_count;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
    /* From the FADT, for power-off, the guest's power controls and the RTC. */
    u32 pm1a_control, pm1b_control, smi_command;
    u16 sci_irq;                /* SCI_INT: the ISA IRQ of the SCI (its GSI by the MADT's overrides) */
    u16 pm1a_event, pm1b_event; /* PM1a/PM1b_EVT_BLK ports: status, then enable (0: none) */
    u8 pm1_event_len;           /* PM1_EVT_LEN: bytes of each block, half status, half enable */
    u8 acpi_enable, century;
    bool has_reset_reg;         /* FADT RESET_REG_SUP with a RESET_REG in system I/O space */
    u16 reset_port;
    u8 reset_value;
    u16 pm_timer_port;          /* PM_TMR_BLK (4 bytes in system I/O), 0 if none; passed through to the guest */
    bool pm_timer_32bit;        /* TMR_VAL_EXT: 32 bits, else 24 */
    /* From the HPET table (IA-PC HPET 1.0a 3.2.4), the first with a memory-space base: the guest's emulated one. */
    bool has_hpet;
    u64 hpet_address;
    u32 hpet_block_id;          /* the firmware's copy of the capabilities' low dword */
    u8 hpet_number;
    /* From the DSDT: \_S1..\_S5's SLP_TYPa/SLP_TYPb, for PM1a/PM1b control. */
    u8 sleep_states;            /* bit n: the DSDT names \_Sn (n = 1..5) */
    u8 slp_typ_a[6], slp_typ_b[6];
};

#define ACPI_S5 5
static inline bool acpi_has_sleep_state(const struct acpi_info *a, unsigned n)
{
    return n <= ACPI_S5 && (a->sleep_states & (1u << n));
}

/* Checks an RSDP's signature and checksums (the extended one for revision >= 2). */
bool acpi_rsdp_valid(const u8 *rsdp, size_t len);

/* Finds a valid RSDP in [start, end) on a 16-byte boundary, as the BIOS areas are searched; 0 if none. */
u64 acpi_scan_rsdp(phys_map_fn map, void *ctx, u64 start, u64 end);

/*
 * Reads the tables reachable from the RSDP (rsdp_len bytes of it are readable: 20 for revision 0, 36 after).
 * A malformed table (bad checksum, length past the end, entries that do not fit) fails with a one-line
 * reason in err; a missing MADT is not an error here. out->rsdp_addr is the caller's to fill in.
 */
bool acpi_parse(const u8 *rsdp, size_t rsdp_len, phys_map_fn map, void *ctx, struct acpi_info *out, char *err,
                size_t errlen);

/* Finds \_Sn's SLP_TYPa/SLP_TYPb (n = 0..5) in AML (the DSDT body): the package "_Sn_" as firmware compilers
 * emit it. */
bool acpi_find_sleep_type(const u8 *aml, size_t len, unsigned n, u8 *typ_a, u8 *typ_b);
/* All of \_S1-\_S5 in one pass: bit n of the result set when \_Sn was found (its types in typ_a[n], typ_b[n]). */
u8 acpi_find_sleep_types(const u8 *aml, size_t len, u8 typ_a[ACPI_S5 + 1], u8 typ_b[ACPI_S5 + 1]);

static inline bool acpi_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b)
{
    return acpi_find_sleep_type(aml, len, ACPI_S5, typ_a, typ_b);
}

#endif
