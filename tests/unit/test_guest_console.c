/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the guest console line assembler. */
#include "devices/guest_console.h"
#include "unit.h"

struct sink {
    char out[1024];
    size_t len;
    unsigned lines;
};

static void sink_emit(void *ctx, const char *line, size_t len)
{
    struct sink *s = ctx;
    CHECK(len > 0 && line[len - 1] == '\n');
    if (s->len + len < sizeof(s->out)) {
        memcpy(s->out + s->len, line, len);
        s->len += len;
        s->out[s->len] = 0;
    }
    s->lines++;
}

static void put_str(struct guest_console *c, const char *s)
{
    while (*s)
        guest_console_put(c, (u8)*s++);
}

TEST(guest_console_whole_lines)
{
    struct sink s = { 0 };
    struct guest_console c;
    guest_console_init(&c, sink_emit, &s);
    put_str(&c, "hello");
    CHECK_EQ(s.lines, 0);                               /* nothing until the line is whole */
    put_str(&c, " world\r\nsecond\n\n");
    CHECK_STR(s.out, "[guest] hello world\n[guest] second\n[guest] \n");
    CHECK_EQ(s.lines, 3);
}

TEST(guest_console_escapes_and_flush)
{
    struct sink s = { 0 };
    struct guest_console c;
    guest_console_init(&c, sink_emit, &s);
    put_str(&c, "a\tb\x1b[0m\x7f");
    guest_console_put(&c, 0xC3);
    put_str(&c, "\rover");
    guest_console_flush(&c);
    guest_console_flush(&c);                            /* empty: nothing */
    CHECK_STR(s.out, "[guest] a\tb\\x1b[0m\\x7f\\xc3\n[guest] over\n");
}

TEST(guest_console_long_line_continues)
{
    struct sink s = { 0 };
    struct guest_console c;
    guest_console_init(&c, sink_emit, &s);
    for (int i = 0; i < GUEST_LINE_MAX + 5; i++)
        guest_console_put(&c, (u8)('0' + i % 10));
    CHECK_EQ(s.lines, 1);
    CHECK_EQ(s.len, 8 + GUEST_LINE_MAX + 1);
    guest_console_put(&c, '\n');
    CHECK_EQ(s.lines, 2);
    CHECK_STR(s.out + s.len - 14, "[guest] 01234\n");
    /* An escape is never split across lines. */
    s = (struct sink){ 0 };
    for (int i = 0; i < GUEST_LINE_MAX - 2; i++)
        guest_console_put(&c, 'x');
    guest_console_put(&c, 0x01);
    guest_console_put(&c, '\n');
    CHECK_STR(s.out + s.len - 13, "[guest] \\x01\n");
}
