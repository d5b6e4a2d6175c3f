/* SPDX-License-Identifier: BSD-2-Clause */
/* ACPI table parser (ACPI 6.5 chapter 5): validates every checksum and length before reading a field. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/acpi_tables.h"
#include "kernel/format.h"

#define RSDP_V1_LEN     20
#define RSDP_V2_LEN     36
#define SDT_HEADER_LEN  36

/* MADT interrupt controller structure types (ACPI 6.5 5.2.12). */
#define MADT_LOCAL_APIC     0
#define MADT_IO_APIC        1
#define MADT_OVERRIDE       2
#define MADT_LOCAL_X2APIC   9
#define MADT_ENABLED        BIT(0)
#define MADT_ONLINE_CAPABLE BIT(1)

/* FADT field offsets (ACPI 6.5 5.2.9, Table 5.9). */
#define FADT_DSDT           40
#define FADT_SMI_CMD        48
#define FADT_ACPI_ENABLE    52
#define FADT_SCI_INT        46
#define FADT_PM1A_EVT_BLK   56
#define FADT_PM1B_EVT_BLK   60
#define FADT_PM1A_CNT_BLK   64
#define FADT_PM1B_CNT_BLK   68
#define FADT_PM_TMR_BLK     76
#define FADT_PM1_EVT_LEN    88
#define FADT_PM_TMR_LEN     91
#define FADT_CENTURY        108
#define FADT_FLAGS          112
#define FADT_RESET_REG      116     /* a Generic Address Structure (5.2.3.2): space, width, offset, size, address */
#define FADT_RESET_VALUE    128
#define FADT_RESET_REG_SUP  BIT(10)
#define FADT_TMR_VAL_EXT    BIT(8)
#define GAS_SYSTEM_IO       1
#define FADT_X_DSDT         140

/* HPET description table (IA-PC HPET specification 1.0a, its ACPI table): block ID, base address (a Generic Address
 * Structure), HPET number, minimum tick. */
#define HPET_TABLE_LEN      56
#define HPET_BLOCK_ID       36
#define HPET_BASE_GAS       40
#define HPET_BASE_ADDRESS   44
#define HPET_NUMBER         52
#define GAS_SYSTEM_MEMORY   0

#define AML_PACKAGE_OP      0x12
#define AML_ZERO_OP         0x00
#define AML_ONE_OP          0x01
#define AML_BYTE_PREFIX     0x0A
#define AML_NAME_OP         0x08

#define FAIL(...) (ksnprintf(err, errlen, __VA_ARGS__), false)
#define FAIL_NULL(...) (ksnprintf(err, errlen, __VA_ARGS__), (const u8 *)NULL)

static u32 rd32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24; }
static u64 rd64(const u8 *p) { return rd32(p) | (u64)rd32(p + 4) << 32; }
static u16 rd16(const u8 *p) { return (u16)(p[0] | p[1] << 8); }

static bool sum_is_zero(const u8 *p, size_t len)
{
    u8 sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    return sum == 0;
}

static bool same(const u8 *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (u8)s[i])
            return false;
    return true;
}

bool acpi_rsdp_valid(const u8 *rsdp, size_t len)
{
    if (len < RSDP_V1_LEN || !same(rsdp, "RSD PTR ", 8) || !sum_is_zero(rsdp, RSDP_V1_LEN))
        return false;
    if (rsdp[15] < 2)
        return true;
    u32 xlen = rd32(rsdp + 20);
    return len >= RSDP_V2_LEN && xlen >= RSDP_V2_LEN && xlen <= len && sum_is_zero(rsdp, xlen);
}

u64 acpi_scan_rsdp(phys_map_fn map, void *ctx, u64 start, u64 end)
{
    for (u64 a = ALIGN_UP(start, 16); a + RSDP_V1_LEN <= end; a += 16) {
        const u8 *p = map(ctx, a, RSDP_V1_LEN);
        if (!p || !same(p, "RSD PTR ", 8))
            continue;
        const u8 *full = map(ctx, a, RSDP_V2_LEN);
        if (acpi_rsdp_valid(p, full ? RSDP_V2_LEN : RSDP_V1_LEN))
            return a;
    }
    return 0;
}

/* Maps a whole system description table after checking its header, length and checksum. */
static const u8 *map_table(phys_map_fn map, void *ctx, u64 addr, char *err, size_t errlen)
{
    const u8 *h = map(ctx, addr, SDT_HEADER_LEN);
    if (!h)
        return FAIL_NULL("ACPI table at 0x%llx is outside readable memory", (unsigned long long)addr);
    u32 len = rd32(h + 4);
    if (len < SDT_HEADER_LEN || len > (1u << 24))
        return FAIL_NULL("ACPI table %.4s at 0x%llx has implausible length %u", (const char *)h,
                    (unsigned long long)addr, len);
    const u8 *t = map(ctx, addr, len);
    if (!t)
        return FAIL_NULL("ACPI table %.4s at 0x%llx+%u is outside readable memory", (const char *)h,
                    (unsigned long long)addr, len);
    if (!sum_is_zero(t, len))
        return FAIL_NULL("ACPI table %.4s at 0x%llx has a bad checksum", (const char *)h,
                    (unsigned long long)addr);
    return t;
}

static bool add_cpu(struct acpi_info *out, u32 apic_id, u32 uid, u32 flags, bool x2, char *err, size_t errlen)
{
    if (!(flags & (MADT_ENABLED | MADT_ONLINE_CAPABLE)))
        return true;    /* neither present nor hot-pluggable: not a CPU at all */
    (void)err, (void)errlen;
    /* A CPU listed twice (a local APIC and a local x2APIC entry, as some firmware does) counts once; CPUs
     * beyond what we track are left out rather than losing the whole table. */
    for (u32 i = 0; i < out->cpu_count; i++)
        if (out->cpus[i].apic_id == apic_id)
            return true;
    if (out->cpu_count == ACPI_MAX_CPUS)
        return true;
    bool enabled = flags & MADT_ENABLED;
    out->cpus[out->cpu_count++] = (struct acpi_cpu){ apic_id, uid, enabled, !enabled, x2 };
    out->cpus_enabled += enabled;
    return true;
}

static bool parse_madt(const u8 *t, struct acpi_info *out, char *err, size_t errlen)
{
    u32 len = rd32(t + 4);
    if (len < SDT_HEADER_LEN + 8)
        return FAIL("MADT is too short (%u bytes)", len);
    out->has_madt = true;
    out->lapic_address = rd32(t + SDT_HEADER_LEN);
    for (u32 off = SDT_HEADER_LEN + 8; off < len;) {
        const u8 *e = t + off;
        if (len - off < 2 || e[1] < 2 || e[1] > len - off)
            return FAIL("MADT entry at offset %u (type %u) runs past the table", off, e[0]);
        u8 type = e[0], elen = e[1];
        bool ok = true;
        if (type == MADT_LOCAL_APIC) {
            if (elen < 8)
                return FAIL("MADT local APIC entry at offset %u is too short", off);
            ok = add_cpu(out, e[3], e[2], rd32(e + 4), false, err, errlen);
        } else if (type == MADT_LOCAL_X2APIC) {
            if (elen < 16)
                return FAIL("MADT local x2APIC entry at offset %u is too short", off);
            ok = add_cpu(out, rd32(e + 4), rd32(e + 12), rd32(e + 8), true, err, errlen);
        } else if (type == MADT_IO_APIC) {
            if (elen < 12)
                return FAIL("MADT I/O APIC entry at offset %u is too short", off);
            if (out->ioapic_count < ACPI_MAX_IOAPICS)
                out->ioapics[out->ioapic_count++] = (struct acpi_ioapic){ e[2], rd32(e + 4), rd32(e + 8) };
        } else if (type == MADT_OVERRIDE) {
            if (elen < 10)
                return FAIL("MADT interrupt source override at offset %u is too short", off);
            if (out->override_count < ACPI_MAX_OVERRIDES)
                out->overrides[out->override_count++] =
                    (struct acpi_override){ e[2], e[3], rd32(e + 4), rd16(e + 8) };
        }
        if (!ok)
            return false;
        off += elen;
    }
    return true;
}

/* Reads one element of a \_S5 package: ZeroOp, OneOp or BytePrefix value. Returns its size, 0 if neither. */
static size_t aml_small_int(const u8 *p, size_t avail, u8 *v)
{
    if (avail >= 1 && (p[0] == AML_ZERO_OP || p[0] == AML_ONE_OP)) {
        *v = p[0];
        return 1;
    }
    if (avail >= 2 && p[0] == AML_BYTE_PREFIX) {
        *v = p[1];
        return 2;
    }
    return 0;
}

/* The package after NameOp "_Sn_" at aml[i]: its first two integers, SLP_TYPa and SLP_TYPb. */
static bool sleep_package(const u8 *aml, size_t len, size_t i, u8 *typ_a, u8 *typ_b)
{
    size_t p = i + 5;
    size_t pkglen_bytes = 1 + (aml[p] >> 6);    /* PkgLength: bits 7:6 count the extra bytes */
    p += pkglen_bytes + 1;                      /* and the NumElements byte */
    if (p >= len)
        return false;
    size_t n = aml_small_int(aml + p, len - p, typ_a);
    if (!n)
        return false;
    p += n;
    return aml_small_int(aml + p, len - p, typ_b) != 0;
}

u8 acpi_find_sleep_types(const u8 *aml, size_t len, u8 typ_a[ACPI_S5 + 1], u8 typ_b[ACPI_S5 + 1])
{
    u8 found = 0;
    /* One pass over the AML for all of \_S1-\_S5 (a DSDT is many KiB; each state's own pass cost 50k instructions). */
    for (size_t i = 0; i + 8 <= len; i++) {
        /* NameOp "_Sn_" (optionally with a root prefix '\') followed by PackageOp; the first one of each n. */
        if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] < '1' || aml[i + 2] > '0' + ACPI_S5 ||
            aml[i + 3] != '_' || aml[i + 4] != AML_PACKAGE_OP)
            continue;
        if (i == 0 || (aml[i - 1] != AML_NAME_OP && !(aml[i - 1] == '\\' && i >= 2 && aml[i - 2] == AML_NAME_OP)))
            continue;
        unsigned n = (unsigned)(aml[i + 2] - '0');
        if (!(found & (1u << n)) && sleep_package(aml, len, i, &typ_a[n], &typ_b[n]))
            found |= (u8)(1u << n);
    }
    return found;
}

bool acpi_find_sleep_type(const u8 *aml, size_t len, unsigned n, u8 *typ_a, u8 *typ_b)
{
    u8 a[ACPI_S5 + 1] = { 0 }, b[ACPI_S5 + 1] = { 0 };
    if (n < 1 || n > ACPI_S5 || !(acpi_find_sleep_types(aml, len, a, b) & (1u << n)))
        return false;
    *typ_a = a[n];
    *typ_b = b[n];
    return true;
}

static bool parse_fadt(const u8 *t, phys_map_fn map, void *ctx, struct acpi_info *out, char *err, size_t errlen)
{
    u32 len = rd32(t + 4);
    if (len < FADT_CENTURY + 1)
        return FAIL("FADT is too short (%u bytes)", len);
    out->has_fadt = true;
    out->smi_command = rd32(t + FADT_SMI_CMD);
    out->acpi_enable = t[FADT_ACPI_ENABLE];
    out->pm1a_control = rd32(t + FADT_PM1A_CNT_BLK);
    out->pm1b_control = rd32(t + FADT_PM1B_CNT_BLK);
    out->century = t[FADT_CENTURY];
    out->sci_irq = rd16(t + FADT_SCI_INT);
    /* PM1 event blocks: status, then enable, each half of PM1_EVT_LEN (at least 4) bytes; ports only. */
    if (t[FADT_PM1_EVT_LEN] >= 4 && t[FADT_PM1_EVT_LEN] % 2 == 0 && rd32(t + FADT_PM1A_EVT_BLK) <= 0xFFFF &&
        rd32(t + FADT_PM1B_EVT_BLK) <= 0xFFFF) {
        out->pm1a_event = (u16)rd32(t + FADT_PM1A_EVT_BLK);
        out->pm1b_event = (u16)rd32(t + FADT_PM1B_EVT_BLK);
        out->pm1_event_len = t[FADT_PM1_EVT_LEN];
    }
    if (t[FADT_PM_TMR_LEN] == 4 && rd32(t + FADT_PM_TMR_BLK) && rd32(t + FADT_PM_TMR_BLK) <= 0xFFFF) {
        out->pm_timer_port = (u16)rd32(t + FADT_PM_TMR_BLK);
        out->pm_timer_32bit = rd32(t + FADT_FLAGS) & FADT_TMR_VAL_EXT;
    }
    /* ACPI 2.0+ (5.2.9): RESET_REG counts only with RESET_REG_SUP; the guest's reset through it is trapped. */
    if (len >= FADT_RESET_VALUE + 1 && (rd32(t + FADT_FLAGS) & FADT_RESET_REG_SUP) &&
        t[FADT_RESET_REG] == GAS_SYSTEM_IO && rd64(t + FADT_RESET_REG + 4) && rd64(t + FADT_RESET_REG + 4) <= 0xFFFF) {
        out->has_reset_reg = true;
        out->reset_port = (u16)rd64(t + FADT_RESET_REG + 4);
        out->reset_value = t[FADT_RESET_VALUE];
    }
    u64 dsdt = len >= FADT_X_DSDT + 8 && rd64(t + FADT_X_DSDT) ? rd64(t + FADT_X_DSDT) : rd32(t + FADT_DSDT);
    if (!dsdt)
        return true;
    const u8 *d = map_table(map, ctx, dsdt, err, errlen);
    if (!d)
        return false;
    out->sleep_states = acpi_find_sleep_types(d + SDT_HEADER_LEN, rd32(d + 4) - SDT_HEADER_LEN, out->slp_typ_a,
                                              out->slp_typ_b);
    return true;
}

/* The first HPET table with its registers in memory space (the only kind the spec defines for the base). */
static bool parse_hpet(const u8 *t, struct acpi_info *out, char *err, size_t errlen)
{
    u32 len = rd32(t + 4);
    if (len < HPET_TABLE_LEN)
        return FAIL("HPET table is too short (%u bytes)", len);
    if (t[HPET_BASE_GAS] != GAS_SYSTEM_MEMORY || !rd64(t + HPET_BASE_ADDRESS))
        return true;
    out->has_hpet = true;
    out->hpet_address = rd64(t + HPET_BASE_ADDRESS);
    out->hpet_block_id = rd32(t + HPET_BLOCK_ID);
    out->hpet_number = t[HPET_NUMBER];
    return true;
}

bool acpi_parse(const u8 *rsdp, size_t rsdp_len, phys_map_fn map, void *ctx, struct acpi_info *out, char *err,
                size_t errlen)
{
    __builtin_memset(out, 0, sizeof *out);
    if (errlen)
        err[0] = '\0';
    if (!acpi_rsdp_valid(rsdp, rsdp_len))
        return FAIL("the RSDP has a bad signature or checksum");
    out->revision = rsdp[15];
    const u8 *rsdp2 = rsdp[15] >= 2 ? rsdp : NULL;

    bool xsdt = rsdp2 && rd64(rsdp2 + 24);
    u64 root_addr = xsdt ? rd64(rsdp2 + 24) : rd32(rsdp + 16);
    const u8 *root = map_table(map, ctx, root_addr, err, errlen);
    if (!root)
        return false;
    if (!same(root, xsdt ? "XSDT" : "RSDT", 4))
        return FAIL("RSDP points at %.4s, not %s", (const char *)root, xsdt ? "XSDT" : "RSDT");
    u32 entry = xsdt ? 8 : 4;
    u32 count = (rd32(root + 4) - SDT_HEADER_LEN) / entry;
    for (u32 i = 0; i < count; i++) {
        const u8 *ep = root + SDT_HEADER_LEN + i * entry;
        u64 a = xsdt ? rd64(ep) : rd32(ep);
        const u8 *t = map_table(map, ctx, a, err, errlen);
        if (!t)
            return false;
        if (same(t, "APIC", 4) && !out->has_madt && !parse_madt(t, out, err, errlen))
            return false;
        if (same(t, "FACP", 4) && !out->has_fadt && !parse_fadt(t, map, ctx, out, err, errlen))
            return false;
        if (same(t, "HPET", 4) && !out->has_hpet && !parse_hpet(t, out, err, errlen))
            return false;
    }
    return true;
}
