/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the ACPI table parser (firmware input the hypervisor trusts least after the boot info).
 * The input is laid out as tables the harness seals with valid signatures, lengths and checksums, so the
 * fuzzer reaches the MADT, FADT and DSDT parsers rather than stopping at a checksum; or, with byte 0 bit 1,
 * as raw memory behind a sealed RSDP, for the header checks. Every table sits in a buffer of exactly its
 * size: ASan sees any read past what the parser asked to map.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "kernel/acpi_tables.h"

enum { RSDP, ROOT, MADT, FADT, DSDT, RAW, REGIONS };
static const u64 ADDR[REGIONS] = { 0xE0000, 0x100000, 0x200000, 0x300000, 0x400000, 0x500000 };

struct memory {
    u8 *buf[REGIONS];
    size_t len[REGIONS];
};

static const void *map(void *ctx, u64 addr, u64 len)
{
    const struct memory *m = ctx;
    for (int r = 0; r < REGIONS; r++)
        if (m->buf[r] && addr >= ADDR[r] && addr + len >= addr && addr + len <= ADDR[r] + m->len[r])
            return m->buf[r] + (addr - ADDR[r]);
    return NULL;
}

static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }

static void checksum(u8 *p, size_t len, size_t at)
{
    u8 s = 0;
    p[at] = 0;
    for (size_t i = 0; i < len; i++)
        s += p[i];
    p[at] = (u8)-s;
}

/* A table: a 36-byte header with signature and length, then `body` from the input; sealed. */
static void table(struct memory *m, int r, const char *sig, const u8 *body, size_t n)
{
    m->len[r] = 36 + n;
    m->buf[r] = malloc(m->len[r]);
    memset(m->buf[r], 0, 36);
    memcpy(m->buf[r], sig, 4);
    put32(m->buf[r] + 4, (u32)m->len[r]);
    memcpy(m->buf[r] + 36, body, n);
}

static void seal(struct memory *m, int r)
{
    checksum(m->buf[r], m->len[r], 9);
}

/* The next chunk of the input: a 16-bit length, then up to that many bytes. */
static const u8 *chunk(const u8 **data, size_t *size, size_t *n)
{
    size_t want = *size >= 2 ? (size_t)((*data)[0] | (*data)[1] << 8) : 0;
    size_t skip = *size >= 2 ? 2 : *size;
    *data += skip, *size -= skip;
    *n = want < *size ? want : *size;
    const u8 *p = *data;
    *data += *n, *size -= *n;
    return p;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    if (size < 1)
        return 0;
    u8 flags = data[0];
    bool xsdt = flags & 1, raw = flags & 2, fix_dsdt = flags & 4;
    data++, size--;
    struct memory m = { 0 };

    m.len[RSDP] = 36;
    m.buf[RSDP] = calloc(1, 36);
    memcpy(m.buf[RSDP], "RSD PTR ", 8);
    m.buf[RSDP][15] = xsdt ? 2 : 0;
    put32(m.buf[RSDP] + 20, 36);
    if (raw) {
        /* Raw memory: the root pointers lead into it wherever the input says. */
        m.len[RAW] = size;
        m.buf[RAW] = malloc(size ? size : 1);
        memcpy(m.buf[RAW], data, size);
        put32(m.buf[RSDP] + 16, (u32)ADDR[RAW]);
        put64(m.buf[RSDP] + 24, ADDR[RAW]);
    } else {
        size_t n;
        const u8 *p = chunk(&data, &size, &n);
        table(&m, MADT, "APIC", p, n);
        seal(&m, MADT);
        p = chunk(&data, &size, &n);
        table(&m, FADT, "FACP", p, n);
        if (fix_dsdt && m.len[FADT] >= 44)
            put32(m.buf[FADT] + 40, (u32)ADDR[DSDT]);
        seal(&m, FADT);
        table(&m, DSDT, "DSDT", data, size);    /* the rest: AML */
        seal(&m, DSDT);
        u32 entry = xsdt ? 8 : 4;
        u8 root_body[16] = { 0 };
        if (xsdt) {
            put64(root_body, ADDR[MADT]);
            put64(root_body + 8, ADDR[FADT]);
        } else {
            put32(root_body, (u32)ADDR[MADT]);
            put32(root_body + 4, (u32)ADDR[FADT]);
        }
        table(&m, ROOT, xsdt ? "XSDT" : "RSDT", root_body, 2 * entry);
        seal(&m, ROOT);
        put32(m.buf[RSDP] + 16, (u32)ADDR[ROOT]);
        put64(m.buf[RSDP] + 24, ADDR[ROOT]);
    }
    checksum(m.buf[RSDP], 20, 8);
    checksum(m.buf[RSDP], 36, 32);
    INVARIANT(acpi_rsdp_valid(m.buf[RSDP], xsdt ? 36 : 20));

    static struct acpi_info info;
    char err[200];
    memset(err, 'x', sizeof err);
    if (acpi_parse(m.buf[RSDP], xsdt ? 36 : 20, map, &m, &info, err, sizeof err)) {
        INVARIANT(info.cpu_count <= ACPI_MAX_CPUS && info.cpus_enabled <= info.cpu_count);
        INVARIANT(info.ioapic_count <= ACPI_MAX_IOAPICS && info.override_count <= ACPI_MAX_OVERRIDES);
        u32 enabled = 0;
        for (u32 i = 0; i < info.cpu_count; i++)
            enabled += info.cpus[i].enabled;
        INVARIANT(enabled == info.cpus_enabled);
    } else {
        INVARIANT(memchr(err, '\0', sizeof err) && err[0] != '\0');     /* a failure always says why */
    }
    for (int r = 0; r < REGIONS; r++)
        free(m.buf[r]);
    return 0;
}
