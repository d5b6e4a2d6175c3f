/* SPDX-License-Identifier: BSD-2-Clause */
/* The RTC's ACPI fixed event in the PM1 event block (devices/acpi_pm1.h). */
#include "devices/acpi_pm1.h"

#define RTC_BYTE_BIT    (PM1_RTC_BIT >> 8)  /* bit 10 is bit 2 of each register's second byte */

/* The block's byte that holds a register's RTC bit: status at byte 1, enable at len/2 + 1. */
static bool rtc_byte(const struct pm1_rtc_event *e, unsigned byte, bool *enable)
{
    *enable = byte == e->len / 2 + 1;
    return byte == 1 || *enable;
}

u32 pm1_event_read(const struct pm1_rtc_event *e, unsigned offset, unsigned size, u32 machine)
{
    for (unsigned i = 0; i < size && i < 4; i++) {
        bool enable;
        if (!rtc_byte(e, offset + i, &enable))
            continue;
        u32 bit = (u32)RTC_BYTE_BIT << (8 * i);
        machine = (enable ? e->en : e->sts) ? machine | bit : machine & ~bit;
    }
    return machine;
}

u32 pm1_event_write(struct pm1_rtc_event *e, unsigned offset, unsigned size, u32 value)
{
    for (unsigned i = 0; i < size && i < 4; i++) {
        bool enable;
        if (!rtc_byte(e, offset + i, &enable))
            continue;
        u32 bit = (u32)RTC_BYTE_BIT << (8 * i);
        if (enable)
            e->en = value & bit;
        else if (value & bit)
            e->sts = false;
        value &= ~bit;
    }
    return value;
}
