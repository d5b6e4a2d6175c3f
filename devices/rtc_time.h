/* SPDX-License-Identifier: BSD-2-Clause */
/* Calendar arithmetic and the MC146818's BCD/binary and 12/24-hour encodings, shared by the RTC model and the kernel. */
#ifndef DEVICES_RTC_TIME_H
#define DEVICES_RTC_TIME_H

#include "kernel/types.h"

/* A broken-down time, proleptic Gregorian calendar, no time zone. */
struct rtc_tm {
    i64 year;               /* full year, e.g. 2026 */
    int mon;                /* 1-12 */
    int mday;               /* 1-31 */
    int hour, min, sec;     /* 0-23, 0-59, 0-59 */
};

#define SECS_PER_DAY 86400

/* Days since 1970-01-01 (negative before); any mon/mday are normalised (month 13 = January next year). */
i64 rtc_days_from_civil(i64 year, int mon, int mday);
/* Seconds since the epoch (negative before 1970); out-of-range fields are normalised, like mktime. */
i64 rtc_tm_to_secs(const struct rtc_tm *tm);
void rtc_secs_to_tm(i64 secs, struct rtc_tm *tm);
/* The epoch day a second falls on (rounds down before 1970 too). */
i64 rtc_day_of(i64 secs);
/* Day of the week of an epoch day, in the RTC's numbering: 1 = Sunday ... 7 = Saturday. */
int rtc_weekday(i64 days);
bool rtc_tm_valid(const struct rtc_tm *tm);
int rtc_days_in_month(i64 year, int mon);

/* Register encodings (MC146818A register B: DM bit 2 = binary, 24/12 bit 1 = 24-hour). */
unsigned rtc_field_decode(u8 v, bool binary);     /* lenient: BCD 0x7A decodes as 80 */
u8 rtc_field_encode(unsigned v, bool binary);      /* v < 100 in BCD, < 256 in binary */
/* Hours: 12-hour mode is 1-12 with bit 7 = PM; returns 0-23 (lenient for out-of-range values). */
unsigned rtc_hour_decode(u8 v, bool binary, bool h24);
u8 rtc_hour_encode(unsigned hour, bool binary, bool h24);

#endif
