/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the ACPI table parser: crafted RSDP, RSDT/XSDT, MADT, FADT and DSDT. */
#include "kernel/acpi_tables.h"
#include "unit.h"

#define BASE 0xE0000
static unsigned char mem[0x20000];     /* fake physical memory at BASE */
static struct acpi_info info;
static char err[200];

static const void *map(void *ctx, u64 a, u64 len)
{
    (void)ctx;
    return a >= BASE && a + len <= BASE + sizeof mem ? mem + (a - BASE) : NULL;
}

static void put32(u32 off, u32 v) { memcpy(mem + off, &v, 4); }
static void put64(u32 off, u64 v) { memcpy(mem + off, &v, 8); }

static void fix_checksum(u32 off, u32 len, u32 sum_at)
{
    unsigned char s = 0;
    mem[sum_at] = 0;
    for (u32 i = 0; i < len; i++)
        s += mem[off + i];
    mem[sum_at] = (unsigned char)-s;
}

/* An SDT header at off with the given signature and total length; the checksum is fixed by seal(). */
static void sdt(u32 off, const char *sig, u32 len)
{
    memset(mem + off, 0, 36);
    memcpy(mem + off, sig, 4);
    put32(off + 4, len);
}

static void seal(u32 off)
{
    u32 len;
    memcpy(&len, mem + off + 4, 4);
    fix_checksum(off, len, off + 9);
}

#define RSDP 0x100
#define ROOT 0x200
#define MADT 0x400
#define FADT 0x800
#define DSDT 0xA00
#define HPET 0xC00

static u32 madt_len;

static void madt_begin(void)
{
    madt_len = 44;
    sdt(MADT, "APIC", 0);
    put32(MADT + 36, 0xFEE00000);
}

static void madt_entry(const unsigned char *e, u32 n)
{
    memcpy(mem + MADT + madt_len, e, n);
    madt_len += n;
    put32(MADT + 4, madt_len);
    seal(MADT);
}

static void lapic(u8 uid, u8 id, u32 flags)
{
    unsigned char e[8] = { 0, 8, uid, id };
    memcpy(e + 4, &flags, 4);
    madt_entry(e, 8);
}

static void x2apic(u32 id, u32 flags, u32 uid)
{
    unsigned char e[16] = { 9, 16 };
    memcpy(e + 4, &id, 4);
    memcpy(e + 8, &flags, 4);
    memcpy(e + 12, &uid, 4);
    madt_entry(e, 16);
}

/* A revision-2 RSDP -> XSDT (or RSDT when xsdt is false) -> MADT, FADT -> DSDT with \_S5. */
static void build(bool xsdt)
{
    memset(mem, 0, sizeof mem);
    memcpy(mem + RSDP, "RSD PTR ", 8);
    mem[RSDP + 15] = xsdt ? 2 : 0;
    put32(RSDP + 16, BASE + ROOT);
    put32(RSDP + 20, 36);
    if (xsdt)
        put64(RSDP + 24, BASE + ROOT);
    fix_checksum(RSDP, 20, RSDP + 8);
    fix_checksum(RSDP, 36, RSDP + 32);

    u32 entry = xsdt ? 8 : 4;
    sdt(ROOT, xsdt ? "XSDT" : "RSDT", 36 + 3 * entry);
    if (xsdt) {
        put64(ROOT + 36, BASE + MADT);
        put64(ROOT + 44, BASE + FADT);
        put64(ROOT + 52, BASE + HPET);
    } else {
        put32(ROOT + 36, BASE + MADT);
        put32(ROOT + 40, BASE + FADT);
        put32(ROOT + 44, BASE + HPET);
    }
    seal(ROOT);

    madt_begin();
    lapic(0, 0, 1);
    lapic(1, 1, 1);
    lapic(2, 2, 2);                                     /* online capable, not present */
    lapic(3, 3, 0);                                     /* neither: not a CPU */
    unsigned char ioapic[12] = { 1, 12, 0, 0, 0x00, 0x00, 0xC0, 0xFE, 0, 0, 0, 0 };
    madt_entry(ioapic, 12);
    unsigned char iso[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
    madt_entry(iso, 10);

    sdt(FADT, "FACP", 244);
    put32(FADT + 40, BASE + DSDT);
    put32(FADT + 48, 0xB2);
    mem[FADT + 52] = 0xF1;
    mem[FADT + 46] = 9;                                 /* SCI_INT */
    put32(FADT + 56, 0x600);                            /* PM1a_EVT_BLK, 4 bytes */
    mem[FADT + 88] = 4;
    put32(FADT + 64, 0x604);
    put32(FADT + 76, 0x608);                            /* PM_TMR_BLK, 4 bytes */
    mem[FADT + 91] = 4;
    mem[FADT + 108] = 0x32;
    put32(FADT + 112, 1u << 10 | 1u << 8);              /* RESET_REG_SUP, TMR_VAL_EXT */
    mem[FADT + 116] = 1;                                /* RESET_REG: system I/O, 8 bits at 0xCF9 */
    mem[FADT + 117] = 8;
    put64(FADT + 120, 0xCF9);
    mem[FADT + 128] = 0x06;
    seal(FADT);

    /* DSDT body: Name(\_S3, Package(0x04){One, One, Zero, Zero}), Name(\_S5, Package(0x04){0x05, 0x05, Zero,
     * Zero}) after some other AML bytes. */
    static const unsigned char aml[] = { 0x10, 0x05, 0x5c, 0x5f, 0x53, 0x42, 0x5f,
                                         0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00,
                                         0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x0A, 0x04, 0x0A, 0x05,
                                         0x0A, 0x05, 0x00, 0x00 };
    sdt(DSDT, "DSDT", 36 + sizeof aml);
    memcpy(mem + DSDT + 36, aml, sizeof aml);
    seal(DSDT);

    sdt(HPET, "HPET", 56);                              /* as Bochs's and QEMU's firmware build it */
    put32(HPET + 36, 0x8086A201);
    put64(HPET + 44, 0xFED00000);
    seal(HPET);
}

TEST(acpi_parse_xsdt_madt_fadt)
{
    build(true);
    CHECK(acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "");
    CHECK_EQ(info.revision, 2);
    CHECK(info.has_madt && info.has_fadt);
    CHECK_EQ(info.lapic_address, 0xFEE00000);
    CHECK_EQ(info.cpu_count, 3);
    CHECK_EQ(info.cpus_enabled, 2);
    CHECK_EQ(info.cpus[1].apic_id, 1);
    CHECK(info.cpus[1].enabled);
    CHECK(!info.cpus[2].enabled && info.cpus[2].online_capable);
    CHECK_EQ(info.ioapic_count, 1);
    CHECK_EQ(info.ioapics[0].address, 0xFEC00000);
    CHECK_EQ(info.override_count, 1);
    CHECK_EQ(info.overrides[0].gsi, 2);
    CHECK_EQ(info.pm1a_control, 0x604);
    CHECK_EQ(info.sci_irq, 9);
    CHECK_EQ(info.pm1a_event, 0x600);
    CHECK_EQ(info.pm1b_event, 0);
    CHECK_EQ(info.pm1_event_len, 4);
    CHECK_EQ(info.smi_command, 0xB2);
    CHECK_EQ(info.acpi_enable, 0xF1);
    CHECK_EQ(info.century, 0x32);
    CHECK(acpi_has_sleep_state(&info, ACPI_S5));
    CHECK_EQ(info.slp_typ_a[ACPI_S5], 5);
    CHECK_EQ(info.slp_typ_b[ACPI_S5], 5);
    CHECK(acpi_has_sleep_state(&info, 3));
    CHECK(!acpi_has_sleep_state(&info, 1) && !acpi_has_sleep_state(&info, 4));
    CHECK_EQ(info.slp_typ_a[3], 1);
    CHECK(info.has_reset_reg);
    CHECK_EQ(info.reset_port, 0xCF9);
    CHECK_EQ(info.reset_value, 6);
    CHECK_EQ(info.pm_timer_port, 0x608);
    CHECK(info.pm_timer_32bit);
    CHECK(info.has_hpet);
    CHECK_EQ(info.hpet_address, 0xFED00000);
    CHECK_EQ(info.hpet_block_id, 0x8086A201);
}

TEST(acpi_parse_hpet_table_short_or_not_in_memory)
{
    build(false);
    put32(HPET + 4, 40);
    seal(HPET);
    CHECK(!acpi_parse(mem + RSDP, 20, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "HPET table is too short (40 bytes)");
    build(false);
    mem[HPET + 40] = 1;                                 /* a base in I/O space: not an HPET the spec knows */
    seal(HPET);
    CHECK(acpi_parse(mem + RSDP, 20, map, NULL, &info, err, sizeof err));
    CHECK(!info.has_hpet);
}

TEST(acpi_parse_rsdt_and_x2apic)
{
    build(false);
    x2apic(300, 1, 7);
    x2apic(301, 0, 8);
    CHECK(acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_EQ(info.revision, 0);
    CHECK_EQ(info.cpu_count, 4);
    CHECK_EQ(info.cpus[3].apic_id, 300);
    CHECK_EQ(info.cpus[3].uid, 7);
    CHECK(info.cpus[3].x2apic_entry && info.cpus[3].enabled);
}

TEST(acpi_bad_tables)
{
    build(true);
    mem[MADT + 50]++;                                   /* break the MADT's checksum */
    CHECK(!acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "ACPI table APIC at 0xe0400 has a bad checksum");

    build(true);
    mem[RSDP + 20 + 4]++;                               /* the XSDT address, under the extended checksum */
    CHECK(!acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "the RSDP has a bad signature or checksum");

    build(true);
    mem[MADT + 44 + 1] = 200;                           /* first entry's length runs past the table */
    seal(MADT);
    CHECK(!acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "MADT entry at offset 44 (type 0) runs past the table");

    build(true);
    mem[MADT + 44 + 1] = 0;                             /* a zero-length entry would loop forever */
    seal(MADT);
    CHECK(!acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "MADT entry at offset 44 (type 0) runs past the table");

    build(true);
    lapic(9, 1, 1);                                     /* APIC ID 1 again: counted once */
    x2apic(2, 1, 2);                                    /* and ID 2 as an x2APIC entry too */
    CHECK(acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_EQ(info.cpu_count, 3);
    CHECK_EQ(info.cpus_enabled, 2);

    build(true);
    put32(MADT + 4, 0x10000000);
    CHECK(!acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "ACPI table APIC at 0xe0400 has implausible length 268435456");

    build(true);
    put64(ROOT + 44, 0x12345000);                       /* FADT pointer to nowhere */
    seal(ROOT);
    CHECK(!acpi_parse(mem + RSDP, 36, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "ACPI table at 0x12345000 is outside readable memory");

    /* A revision-2 RSDP of which only the first 20 bytes are known cannot be trusted. */
    build(true);
    CHECK(!acpi_parse(mem + RSDP, 20, map, NULL, &info, err, sizeof err));
    CHECK_STR(err, "the RSDP has a bad signature or checksum");
}

TEST(acpi_scan_finds_only_valid_rsdp)
{
    build(true);
    memcpy(mem + 0x40, "RSD PTR ", 8);                  /* a decoy with a bad checksum comes first */
    CHECK_EQ(acpi_scan_rsdp(map, NULL, BASE, BASE + 0x1000), BASE + RSDP);
    CHECK_EQ(acpi_scan_rsdp(map, NULL, BASE + 0x110, BASE + 0x1000), 0);
}

TEST(acpi_s5_forms)
{
    u8 a = 99, b = 99;
    static const unsigned char zero_one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01, 0x00, 0x00 };
    CHECK(acpi_find_s5(zero_one, sizeof zero_one, &a, &b));
    CHECK_EQ(a, 0);
    CHECK_EQ(b, 1);
    /* Two-byte PkgLength (bits 7:6 = 1). */
    static const unsigned char long_len[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x01, 0x04, 0x0A, 0x07, 0x0A, 0x03 };
    CHECK(acpi_find_s5(long_len, sizeof long_len, &a, &b));
    CHECK_EQ(a, 7);
    CHECK_EQ(b, 3);
    /* "_S5_" as part of something else (no NameOp), or truncated: not found. */
    static const unsigned char other[] = { 0x70, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01 };
    CHECK(!acpi_find_s5(other, sizeof other, &a, &b));
    CHECK(!acpi_find_s5(long_len, 10, &a, &b));
}
