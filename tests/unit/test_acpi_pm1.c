/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the RTC's ACPI fixed event in front of the PM1 event block. */
#include "devices/acpi_pm1.h"
#include "unit.h"

TEST(pm1_rtc_event_status_and_enable)
{
    struct pm1_rtc_event e = { .len = 4 };
    /* The machine's other bits pass; its RTC bits never show. */
    CHECK_EQ(pm1_event_read(&e, 0, 2, 0x8511), 0x8111);
    CHECK_EQ(pm1_event_read(&e, 0, 4, 0x04000400), 0);
    CHECK(!pm1_sci(&e));
    pm1_rtc_interrupt(&e);
    CHECK_EQ(pm1_event_read(&e, 0, 2, 0), PM1_RTC_BIT);
    CHECK(!pm1_sci(&e));                            /* not enabled */
    /* Enabling: 16 bits at offset 2, the machine gets the rest. */
    CHECK_EQ(pm1_event_write(&e, 2, 2, 0x0521), 0x0121);
    CHECK(e.en && pm1_sci(&e));
    CHECK_EQ(pm1_event_read(&e, 2, 2, 0x0121), 0x0521);
    CHECK_EQ(pm1_event_read(&e, 0, 4, 0), 0x04000400);    /* both halves in one 32-bit read */
    /* Writing 0 to RTC_STS keeps it; writing 1 clears it, and the machine's status sees no 1 there. */
    CHECK_EQ(pm1_event_write(&e, 0, 2, 0x0001), 0x0001);
    CHECK(e.sts);
    CHECK_EQ(pm1_event_write(&e, 0, 2, 0x8400), 0x8000);
    CHECK(!e.sts && !pm1_sci(&e));
    /* Byte accesses: the RTC bits are bit 2 of bytes 1 and 3. */
    pm1_rtc_interrupt(&e);
    CHECK_EQ(pm1_event_read(&e, 1, 1, 0), 0x04);
    CHECK_EQ(pm1_event_read(&e, 3, 1, 0xFF), 0xFF);
    CHECK_EQ(pm1_event_write(&e, 3, 1, 0xFB), 0xFB);
    CHECK(!e.en);
    CHECK_EQ(pm1_event_write(&e, 1, 1, 0x04), 0);
    CHECK(!e.sts);
    CHECK_EQ(pm1_event_read(&e, 0, 1, 0xFF), 0xFF);        /* byte 0 has no RTC bit */
}

TEST(pm1_rtc_event_longer_block)
{
    struct pm1_rtc_event e = { .len = 8 };          /* 4 bytes of status, 4 of enable */
    CHECK_EQ(pm1_event_write(&e, 4, 4, 0x400), 0);
    CHECK(e.en);
    CHECK_EQ(pm1_event_write(&e, 2, 2, 0x400), 0x400);    /* bytes 2-3 of status: no RTC bit there */
    CHECK(e.en);
}
