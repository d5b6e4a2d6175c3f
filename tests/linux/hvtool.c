/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvtool: what the Linux guest's /init needs beyond busybox, with no C library (raw x86-64 system calls).
 *   hvtool exit CODE   drain the console, then write CODE to port 0xF4 (the run's verdict; the cloud kernel
 *                      has no /dev/port)
 *   hvtool uie         wait for one RTC update interrupt through /dev/rtc0 (RTC_UIE_ON, read), as hwclock does
 *   hvtool mark        Bochs's magic breakpoint (XCHG BX, BX: a no-op elsewhere and in Bochs without
 *                      magic_break), where make bench-linux stops its clock
 */
#define SYS_read    0
#define SYS_write   1
#define SYS_open    2
#define SYS_close   3
#define SYS_poll    7
#define SYS_ioctl   16
#define SYS_exit    60
#define SYS_ioperm  173
#define TCSBRK      0x5409      /* with argument 1: wait until the output is sent (tcdrain) */
#define RTC_UIE_ON  0x7003
#define RTC_UIE_OFF 0x7004
#define POLLIN      1
#define EXIT_PORT   0xF4
#define UIE_WAIT_MS 5000

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static unsigned long len(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static void say(const char *s) { sys3(SYS_write, 1, (long)s, (long)len(s)); }

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int verdict(const char *arg)
{
    unsigned code = 0;
    for (; *arg >= '0' && *arg <= '9'; arg++)
        code = code * 10 + (unsigned)(*arg - '0');
    sys3(SYS_ioctl, 1, TCSBRK, 1);
    if (sys3(SYS_ioperm, EXIT_PORT, 1, 1) < 0) {
        say("hvtool: ioperm(0xf4) failed\n");
        return 1;
    }
    __asm__ volatile("outb %b0, %w1" : : "a"(code), "Nd"(EXIT_PORT));
    say("hvtool: the write to port 0xf4 did not end the run\n");
    return 1;
}

static int uie(void)
{
    struct { int fd; short events, revents; } p;
    unsigned long data = 0;
    p.fd = (int)sys3(SYS_open, (long)"/dev/rtc0", 0, 0);
    if (p.fd < 0) {
        say("hvtool: uie: cannot open /dev/rtc0\n");
        return 1;
    }
    if (sys3(SYS_ioctl, p.fd, RTC_UIE_ON, 0) < 0) {
        say("hvtool: uie: RTC_UIE_ON failed\n");
        return 1;
    }
    p.events = POLLIN;
    long ready = sys3(SYS_poll, (long)&p, 1, UIE_WAIT_MS);
    long got = ready == 1 ? sys3(SYS_read, p.fd, (long)&data, sizeof data) : -1;
    sys3(SYS_ioctl, p.fd, RTC_UIE_OFF, 0);
    sys3(SYS_close, p.fd, 0, 0);
    /* The read returns the count of interrupts in the high bytes and their kind (0x10: update) in the low one. */
    if (got != sizeof data || !(data & 0x10)) {
        say("hvtool: uie: no RTC update interrupt within 5 s\n");
        return 1;
    }
    say("hvtool: uie: an RTC update interrupt arrived\n");
    return 0;
}

static int mark(void)
{
    __asm__ volatile("xchg %%bx, %%bx" : : : "memory");
    return 0;
}

static int run(int argc, char **argv)
{
    if (argc == 3 && same(argv[1], "exit"))
        return verdict(argv[2]);
    if (argc == 2 && same(argv[1], "uie"))
        return uie();
    if (argc == 2 && same(argv[1], "mark"))
        return mark();
    say("usage: hvtool exit CODE | hvtool uie | hvtool mark\n");
    return 2;
}

/* The entry from the kernel: argc at the stack pointer, argv after it. */
__attribute__((used)) static void start_c(long *sp)
{
    sys3(SYS_exit, run((int)sp[0], (char **)(sp + 1)), 0, 0);
}

__asm__(".globl _start\n_start:\n    mov %rsp, %rdi\n    and $-16, %rsp\n    call start_c\n    hlt\n");
