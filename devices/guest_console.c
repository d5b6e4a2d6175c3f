/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest console line assembler: prefix, escape control bytes, split long lines, emit whole lines. */
#include "devices/guest_console.h"

#define PREFIX_LEN (sizeof(GUEST_LINE_PREFIX) - 1)

static void emit_line(struct guest_console *c)
{
    c->line[PREFIX_LEN + c->len] = '\n';
    c->emit(c->ctx, c->line, PREFIX_LEN + c->len + 1);
    c->len = 0;
}

/* Append text bytes, starting a continuation line when this one is full. */
static void append(struct guest_console *c, const char *s, size_t n)
{
    if (c->len + n > GUEST_LINE_MAX)
        emit_line(c);
    for (size_t i = 0; i < n; i++)
        c->line[PREFIX_LEN + c->len++] = s[i];
}

static void put_text(struct guest_console *c, u8 byte)
{
    static const char hex[] = "0123456789abcdef";
    if ((byte >= 0x20 && byte < 0x7F) || byte == '\t') {
        char ch = (char)byte;
        append(c, &ch, 1);
    } else {
        char esc[4] = { '\\', 'x', hex[byte >> 4], hex[byte & 15] };
        append(c, esc, 4);
    }
}

void guest_console_init(struct guest_console *c, void (*emit)(void *ctx, const char *line, size_t len), void *ctx)
{
    *c = (struct guest_console){ .lock = SPINLOCK_INIT, .emit = emit, .ctx = ctx };
    for (size_t i = 0; i < PREFIX_LEN; i++)
        c->line[i] = GUEST_LINE_PREFIX[i];
}

void guest_console_put(struct guest_console *c, u8 byte)
{
    spin_lock(&c->lock);
    if (c->cr) {
        c->cr = false;
        if (byte != '\n')
            emit_line(c);                       /* a lone CR ends the line too */
    }
    if (byte == '\n')
        emit_line(c);
    else if (byte == '\r')
        c->cr = true;
    else
        put_text(c, byte);
    spin_unlock(&c->lock);
}

void guest_console_flush(struct guest_console *c)
{
    spin_lock(&c->lock);
    if (c->len || c->cr)
        emit_line(c);
    c->cr = false;
    spin_unlock(&c->lock);
}
