/* SPDX-License-Identifier: BSD-2-Clause */
/* printk: formats a whole line in a local buffer, then writes it under one lock so CPUs never interleave. */
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"

#define LINE_MAX 512

static struct spinlock console_lock = SPINLOCK_INIT;
static volatile u32 console_owner = ~0u;   /* the CPU index holding console_lock, ~0 when free */

/* A CPU stopped by NMI while printing must not take the console with it. */
void printk_release_if_owner(void)
{
    if (console_owner == cpu_index()) {
        console_owner = ~0u;
        console_resync();
        spin_unlock(&console_lock);
    }
}
static enum log_level threshold = LOG_INFO;

void printk_set_level(enum log_level level)
{
    threshold = level;
}

void printk_break_lock(void)
{
    console_resync();
    spin_unlock(&console_lock);
}

/* Formats "[cpuN] <tag><msg>\n" into line[LINE_MAX]; returns its length. */
static int format_line(char *line, enum log_level level, const char *fmt, va_list ap)
{
    static const char *const tags[] = { [LOG_ERROR] = "error: ", [LOG_WARN] = "warning: " };
    int n = ksnprintf(line, LINE_MAX, "[cpu%u] %s", cpu_index(), level == LOG_ERROR || level == LOG_WARN ? tags[level] : "");
    n += kvsnprintf(line + n, LINE_MAX - n, fmt, ap);
    if (n > LINE_MAX - 2) {
        n = LINE_MAX - 2;
        line[n - 3] = line[n - 2] = line[n - 1] = '.';
    }
    if (line[n - 1] != '\n')
        line[n++] = '\n';
    return n;
}

/* The console is this CPU's until console_give: the NMI stop and the panic path know who holds it. */
static void console_take(void)
{
    spin_lock(&console_lock);
    console_owner = cpu_index();
}

static void console_give(void)
{
    console_owner = ~0u;
    spin_unlock(&console_lock);
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
    char line[LINE_MAX];

    if (level > threshold)
        return;
    int n = format_line(line, level, fmt, ap);
    console_take();
    console_write(line, (size_t)n);
    console_give();
}

bool printk_queued(const char *fmt, ...)
{
    char line[LINE_MAX];
    va_list ap;

    if (LOG_INFO > threshold)
        return false;
    va_start(ap, fmt);
    int n = format_line(line, LOG_INFO, fmt, ap);
    va_end(ap);
    console_take();
    bool pump = console_write_queued(line, (size_t)n);
    console_give();
    return pump;
}

bool printk_pump(void)
{
    console_take();
    bool more = console_pump();
    console_give();
    return more;
}

void printk(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(level, fmt, ap);
    va_end(ap);
}
