/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the MC146818A: random index/data accesses, time steps from microseconds to hours; the
 * model is brought up to the clock before an access (as the hypervisor's timer does) or not. */
#include "devices/iobus.h"
#include "devices/rtc.h"
#include "devices/rtc_time.h"
#include "fuzz_check.h"

#define TICK_HZ 32768ULL

struct env {
    u64 now;
    bool irq;
};

static u64 env_now(void *ctx)
{
    return ((struct env *)ctx)->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    INVARIANT(line == 8);
    INVARIANT(e->irq != level);
    e->irq = level;
}

static bool running(const struct rtc *r)
{
    return (r->reg[RTC_A] & 0x70) == 0x20;
}

static bool irqf(const struct rtc *r)
{
    return (r->reg[RTC_C] & r->reg[RTC_B] & 0x70) != 0;
}

/* The periodic interrupt's period in divider ticks, from register A's rate (MC146818A Table 5). */
static u64 period_ticks(u8 reg_a)
{
    unsigned rs = reg_a & 0x0F;
    return rs == 0 ? 0 : 1ULL << ((rs < 3 ? rs + 7 : rs) - 1);
}

/* The divider chain's count at `now`, from where the model started it. */
static u64 chain_ticks(const struct rtc *r, u64 now)
{
    u64 d = now - r->base_ns;
    return r->base_ticks + d / NSEC_PER_SEC * TICK_HZ + d % NSEC_PER_SEC * TICK_HZ / NSEC_PER_SEC;
}

/* What the last read of register C saw: PF reads 1 at the next read exactly when a period boundary of the
 * divider chain lies between the two (PF is set once per boundary, whether or not PIE is on). */
struct pf_track {
    bool known;
    u64 ticks, base_ns, base_ticks;
    u8 reg_a;
};

static bool field_ok(u8 v, unsigned max, bool bin)
{
    if (bin)
        return v <= max;
    return (v & 0x0F) <= 9 && (v >> 4) <= 9 && rtc_field_decode(v, false) <= max;
}

/* Every time byte is a valid encoding in the current mode and the date exists. */
static void check_valid_time(const struct rtc *r)
{
    bool bin = r->reg[RTC_B] & RTC_B_BINARY, h24 = r->reg[RTC_B] & RTC_B_24H;
    INVARIANT(field_ok(r->reg[RTC_SEC], 59, bin) && field_ok(r->reg[RTC_MIN], 59, bin));
    u8 h = r->reg[RTC_HOUR];
    if (h24) {
        INVARIANT(field_ok(h, 23, bin));
    } else {
        INVARIANT(field_ok(h & 0x7F, 12, bin) && rtc_field_decode(h & 0x7F, bin) >= 1);
    }
    INVARIANT(field_ok(r->reg[RTC_MON], 12, bin) && r->reg[RTC_MON] != 0);
    INVARIANT(field_ok(r->reg[RTC_YEAR], 99, bin));
    i64 year = (i64)rtc_field_decode(r->reg[RTC_CENTURY], bin) * 100 + rtc_field_decode(r->reg[RTC_YEAR], bin);
    unsigned mday = rtc_field_decode(r->reg[RTC_MDAY], bin);
    INVARIANT(mday >= 1 && (int)mday <= rtc_days_in_month(year, (int)rtc_field_decode(r->reg[RTC_MON], bin)));
}

static void check_state(const struct rtc *r, const struct env *e)
{
    INVARIANT(r->index < 0x80);
    INVARIANT(!(r->reg[RTC_A] & RTC_A_UIP) && (r->reg[RTC_C] & 0x8F) == 0);
    INVARIANT(e->irq == irqf(r));
    if (running(r)) {
        /* An update is always less than a second (and a half-second after divider reset) away: UIP is never stuck. */
        INVARIANT(r->next_update > r->ticks && r->next_update - r->ticks <= TICK_HZ + 65);
        INVARIANT(r->next_update % TICK_HZ == 65);
    }
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    static const u64 scale[4] = { 1000, 100000, 10000000, 1000000000 };
    struct env e = { .now = 1795255567ULL * NSEC_PER_SEC + 123456789 };
    struct rtc r;
    struct iobus bus;
    rtc_init(&r, (struct dev_clock){ env_now, &e }, (struct dev_irq){ env_irq, &e, 8 });
    iobus_init(&bus);
    struct io_region reg = { 0x70, 0x71, 1, rtc_io_read, rtc_io_write, &r, "rtc" };
    INVARIANT(iobus_register(&bus, &reg) == IOBUS_OK);
    bool pristine = true;                       /* the guest never touched time, mode or divider */
    bool valid_expected = true;                 /* an update cycle normalised the time since the last write */
    struct pf_track pf = { .known = false };

    for (size_t i = 0; i + 4 <= size; i += 4) {
        u8 op = data[i], val = data[i + 1];
        e.now += (u64)(data[i + 2] | data[i + 3] << 8) * scale[op >> 6];

        u64 updates_before = r.next_update;
        bool could_update = running(&r) && !(r.reg[RTC_B] & RTC_B_SET);
        bool updated = !(op & 1);               /* otherwise the access alone brings the model up to date */
        if (updated)
            rtc_next_deadline(&r);
        if (could_update && r.next_update != updates_before)
            valid_expected = true;
        /* With the model up to date and the clock standing, a change of the deadline is the access's doing. */
        bool check_moved = updated && ((op >> 2) & 7) != 6;
        u64 deadline = check_moved ? rtc_next_deadline(&r) : 0;
        rtc_take_deadline_moved(&r);
        struct rtc pre = r;

        switch ((op >> 2) & 7) {
        case 0:
        case 1:
            iobus_out(&bus, 0x70, 1, val);
            INVARIANT(r.index == (val & 0x7F));
            break;
        case 2:
        case 3: {
            u8 v = (u8)iobus_in(&bus, 0x71, 1);
            /* Without the update first, the read itself may end update cycles: compare with the state after.
             * With PIE off, periodic ticks are caught up only by this read: PF is checked against pf below. */
            if (pre.index == RTC_C) {
                if (updated)
                    INVARIANT((v & ~RTC_C_PF) == ((pre.reg[RTC_C] & ~RTC_C_PF) | (irqf(&pre) ? RTC_C_IRQF : 0)) &&
                              (v & pre.reg[RTC_C] & RTC_C_PF) == (pre.reg[RTC_C] & RTC_C_PF));
                INVARIANT(r.reg[RTC_C] == 0 && !e.irq);
                u64 t = chain_ticks(&r, e.now), p = period_ticks(r.reg[RTC_A]);
                bool same_chain = pf.known && running(&r) && r.reg[RTC_A] == pf.reg_a && r.base_ns == pf.base_ns &&
                                  r.base_ticks == pf.base_ticks;
                if (same_chain)
                    INVARIANT(!!(v & RTC_C_PF) == (p && t / p != pf.ticks / p));
                pf = (struct pf_track){ running(&r), t, r.base_ns, r.base_ticks, r.reg[RTC_A] };
            } else if (pre.index == RTC_D) {
                INVARIANT(v == RTC_D_VRT);
            } else if (pre.index == RTC_A) {
                INVARIANT((v & 0x7F) == r.reg[RTC_A]);
                /* UIP: 244 us before and during the 1984 us update cycle (73 ticks), never otherwise. */
                INVARIANT(!!(v & RTC_A_UIP) == (running(&r) && !(r.reg[RTC_B] & RTC_B_SET) &&
                                                 r.next_update - chain_ticks(&r, e.now) <= 73));
            } else {
                INVARIANT(v == r.reg[pre.index]);
            }
            break;
        }
        case 4:
        case 5: {
            u8 idx = r.index;
            iobus_out(&bus, 0x71, 1, val);
            if (idx == RTC_A)
                pf.known = false;               /* the rate or the divider changed: PF history restarts */
            if (idx <= RTC_B || idx == RTC_CENTURY) {
                pristine = false;
                if (idx != RTC_A)
                    valid_expected = false;
            }
            if (idx >= RTC_RAM)
                INVARIANT(r.reg[idx] == val);
            break;
        }
        case 6: {
            /* The deadline is in the future, and reaching it raises IRQ 8. */
            u64 d = rtc_next_deadline(&r);
            INVARIANT(d == DEV_NO_DEADLINE || d > e.now);
            if (d != DEV_NO_DEADLINE && d - e.now < 3 * 86400 * NSEC_PER_SEC) {
                e.now = d;
                rtc_next_deadline(&r);          /* as the board does when the deadline passes */
                INVARIANT(e.irq);
            }
            break;
        }
        default:
            /* Wide accesses: index then data in one outw, split by the bus. */
            iobus_out(&bus, 0x70, 2, (u32)val << 8 | (op & 0x7F));
            if ((op & 0x7F) == RTC_A)
                pf.known = false;
            if ((op & 0x7F) <= RTC_B || (op & 0x7F) == RTC_CENTURY) {
                pristine = false;
                if ((op & 0x7F) != RTC_A)
                    valid_expected = false;
            }
            break;
        }
        check_state(&r, &e);
        if (check_moved) {
            bool moved = rtc_take_deadline_moved(&r);
            if (rtc_next_deadline(&r) != deadline)
                INVARIANT(moved);                       /* the model flags every deadline an access moves */
        }
        if (valid_expected)
            check_valid_time(&r);
        if (pristine) {
            /* Untouched, the guest's clock is the host's, to the second, weekday included. */
            rtc_next_deadline(&r);
            bool bin = r.reg[RTC_B] & RTC_B_BINARY;
            struct rtc_tm tm = {
                .year = (i64)rtc_field_decode(r.reg[RTC_CENTURY], bin) * 100 + rtc_field_decode(r.reg[RTC_YEAR], bin),
                .mon = (int)rtc_field_decode(r.reg[RTC_MON], bin),
                .mday = (int)rtc_field_decode(r.reg[RTC_MDAY], bin),
                .hour = (int)rtc_hour_decode(r.reg[RTC_HOUR], bin, r.reg[RTC_B] & RTC_B_24H),
                .min = (int)rtc_field_decode(r.reg[RTC_MIN], bin),
                .sec = (int)rtc_field_decode(r.reg[RTC_SEC], bin),
            };
            i64 secs = rtc_tm_to_secs(&tm);
            INVARIANT(secs == (i64)(e.now / NSEC_PER_SEC));
            INVARIANT(r.reg[RTC_WDAY] == rtc_weekday(rtc_day_of(secs)));
        }
    }
    return 0;
}
