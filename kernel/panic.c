/* SPDX-License-Identifier: BSD-2-Clause */
/* panic() and the frame-pointer backtrace shared with the exception report. */
#include <stdarg.h>

#include "kernel/exit.h"
#include "kernel/format.h"
#include "kernel/ksyms.h"
#include "kernel/memlayout.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define BACKTRACE_MAX 24

static void print_frame(int depth, u64 addr)
{
    u64 off;
    const char *name = ksym_lookup(addr, &off);
    if (name)
        pr_err("  #%-2d %016llx %s+0x%llx", depth, (unsigned long long)addr, name, (unsigned long long)off);
    else
        pr_err("  #%-2d %016llx ?", depth, (unsigned long long)addr);
}

#define PUSH_RBP 0x55

/*
 * A frameless function (GCC keeps leaf functions that need no stack frameless) or one stopped in its
 * prologue has not linked its frame yet: its return address is still at the top of the stack.
 */
static u64 unlinked_return_address(u64 rip, u64 rsp)
{
    u64 off;
    if (!rsp || !ksym_lookup(rip, &off))
        return 0;
    const u8 *start = (const u8 *)(rip - off);
    if (start[0] != PUSH_RBP || off == 0)
        return ((u64 *)rsp)[0];
    if (off == 1)
        return ((u64 *)rsp)[1];
    return 0;
}

void print_backtrace(u64 rip, u64 rbp, u64 rsp)
{
    int depth = 1;

    pr_err("backtrace:");
    print_frame(0, rip);
    u64 ret = unlinked_return_address(rip, rsp);
    if (ret)
        print_frame(depth++, ret - 1);
    /* Each frame: [rbp] = caller's rbp, [rbp + 8] = return address. Walk only plausible frames. */
    for (; depth < BACKTRACE_MAX; depth++) {
        if (!rbp || rbp % 8 || rbp + 16 > HV_IDMAP_LIMIT)
            break;
        u64 next = ((u64 *)rbp)[0], ret = ((u64 *)rbp)[1];
        if (!ret)
            break;
        print_frame(depth, ret - 1);    /* -1: name the call, not the instruction after it */
        if (next <= rbp)
            break;
        rbp = next;
    }
}

NORETURN void panic_at(const char *file, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    cli();
    if (this_cpu()->in_panic)
        halt_forever();
    this_cpu()->in_panic = true;
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printk_break_lock();
    pr_err("panic: cpu%u: %s at %s:%d", cpu_index(), msg, file, line);
    u64 rbp;
    __asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
    pr_err("  cr0=%016llx cr3=%016llx cr4=%016llx rsp=%016llx", (unsigned long long)read_cr0(),
           (unsigned long long)read_cr3(), (unsigned long long)read_cr4(),
           (unsigned long long)(u64)__builtin_frame_address(0));
    print_backtrace((u64)__builtin_return_address(0), ((u64 *)rbp)[0], 0);
    run_exit(EXIT_PANIC);
}
