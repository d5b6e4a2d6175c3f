/* SPDX-License-Identifier: BSD-2-Clause */
/* Calendar arithmetic (days from civil and back, after H. Hinnant's public-domain algorithms) and RTC encodings. */
#include "devices/rtc_time.h"

static i64 floor_div(i64 a, i64 b)
{
    i64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool leap(i64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int rtc_days_in_month(i64 year, int mon)
{
    static const u8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return mon == 2 && leap(year) ? 29 : days[mon - 1];
}

i64 rtc_days_from_civil(i64 y, int mon, int mday)
{
    y += floor_div(mon - 1, 12);
    i64 m = mon - 1 - 12 * floor_div(mon - 1, 12) + 1;     /* 1-12 */
    y -= m <= 2;
    i64 era = floor_div(y, 400);
    i64 yoe = y - era * 400;                                /* [0, 399] */
    i64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;       /* March-based day of year of the 1st */
    i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + (mday - 1);
}

i64 rtc_tm_to_secs(const struct rtc_tm *tm)
{
    return rtc_days_from_civil(tm->year, tm->mon, tm->mday) * SECS_PER_DAY +
           (i64)tm->hour * 3600 + (i64)tm->min * 60 + tm->sec;
}

i64 rtc_day_of(i64 secs)
{
    return floor_div(secs, SECS_PER_DAY);
}

void rtc_secs_to_tm(i64 secs, struct rtc_tm *tm)
{
    i64 days = floor_div(secs, SECS_PER_DAY), rem = secs - days * SECS_PER_DAY;
    tm->hour = (int)(rem / 3600);
    tm->min = (int)(rem / 60 % 60);
    tm->sec = (int)(rem % 60);

    i64 z = days + 719468, era = floor_div(z, 146097);
    i64 doe = z - era * 146097;
    i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    i64 mp = (5 * doy + 2) / 153;
    tm->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    tm->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    tm->year = yoe + era * 400 + (tm->mon <= 2);
}

int rtc_weekday(i64 days)
{
    return (int)(days - 7 * floor_div(days + 4, 7) + 4) + 1;     /* 1970-01-01 was a Thursday (5) */
}

bool rtc_tm_valid(const struct rtc_tm *tm)
{
    return tm->mon >= 1 && tm->mon <= 12 && tm->mday >= 1 && tm->mday <= rtc_days_in_month(tm->year, tm->mon) &&
           tm->hour >= 0 && tm->hour < 24 && tm->min >= 0 && tm->min < 60 && tm->sec >= 0 && tm->sec < 60;
}

unsigned rtc_field_decode(u8 v, bool binary)
{
    return binary ? v : (unsigned)(v >> 4) * 10 + (v & 0x0F);
}

u8 rtc_field_encode(unsigned v, bool binary)
{
    return binary ? (u8)v : (u8)((v / 10 % 10) << 4 | v % 10);
}

unsigned rtc_hour_decode(u8 v, bool binary, bool h24)
{
    if (h24)
        return rtc_field_decode(v, binary);
    return rtc_field_decode(v & 0x7F, binary) % 12 + (v & 0x80 ? 12 : 0);    /* 12 AM is 0, 12 PM is 12 */
}

u8 rtc_hour_encode(unsigned hour, bool binary, bool h24)
{
    if (h24)
        return rtc_field_encode(hour, binary);
    unsigned h12 = hour % 12 ? hour % 12 : 12;
    return (u8)(rtc_field_encode(h12, binary) | (hour >= 12 ? 0x80 : 0));
}
