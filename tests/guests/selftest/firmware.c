/* SPDX-License-Identifier: BSD-2-Clause */
/* The firmware's ACPI tables, as the self-test guest finds them: the RSDP in the BIOS area as an OS does without a
 * loader's help (named so that entry.S links first: the entry point stays at 0x100010), then the RSDT's tables. */
#include "tests/guests/selftest/hw.h"

#define BIOS_AREA       0xE0000
#define BIOS_AREA_END   0x100000

static bool same(const u8 *p, const char *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (p[i] != (u8)s[i])
            return false;
    return true;
}

static bool sums_to_zero(const u8 *p, u32 n)
{
    u8 sum = 0;
    for (u32 i = 0; i < n; i++)
        sum = (u8)(sum + p[i]);
    return sum == 0;
}

static u32 rd32(const u8 *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

const u8 *acpi_table(const char *sig)
{
    for (u32 a = BIOS_AREA; a < BIOS_AREA_END; a += 16) {
        const u8 *rsdp = (const u8 *)a;
        if (!same(rsdp, "RSD PTR ", 8) || !sums_to_zero(rsdp, 20))
            continue;
        const u8 *rsdt = (const u8 *)rd32(rsdp + 16);
        if (!same(rsdt, "RSDT", 4))
            return NULL;
        for (u32 off = 36; off + 4 <= rd32(rsdt + 4); off += 4) {
            const u8 *t = (const u8 *)rd32(rsdt + off);
            if (same(t, sig, 4))
                return t;
        }
        return NULL;
    }
    return NULL;
}
