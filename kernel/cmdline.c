/* SPDX-License-Identifier: BSD-2-Clause */
/* Command-line parser: whitespace-separated key=value words; unknown keys and bad values are reported. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/cmdline.h"
#include "kernel/format.h"

struct choice {
    const char *name;
    int value;
};

static const struct choice loglevels[] = {
    { "error", LOG_ERROR }, { "warn", LOG_WARN }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
    { "0", LOG_ERROR },     { "1", LOG_WARN },    { "2", LOG_INFO },    { "3", LOG_DEBUG },
};

static const struct choice exit_actions[] = {
    { "auto", EXIT_ACTION_AUTO }, { "qemu", EXIT_ACTION_QEMU },     { "bochs", EXIT_ACTION_BOCHS },
    { "halt", EXIT_ACTION_HALT }, { "reboot", EXIT_ACTION_REBOOT }, { "poweroff", EXIT_ACTION_POWEROFF },
};

static const struct choice selftests[] = {
    { "none", SELFTEST_NONE }, { "fault", SELFTEST_FAULT }, { "panic", SELFTEST_PANIC },
    { "ap-fault", SELFTEST_AP_FAULT },   { "bad-guest-state", SELFTEST_BAD_GUEST_STATE },
};

static bool word_is(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n && lit[i]; i++)
        if (s[i] != lit[i])
            return false;
    return i == n && lit[i] == '\0';
}

static bool pick(const struct choice *c, size_t count, const char *v, size_t n, int *out)
{
    for (size_t i = 0; i < count; i++) {
        if (word_is(v, n, c[i].name)) {
            *out = c[i].value;
            return true;
        }
    }
    return false;
}

const char *exit_action_name(enum exit_action a)
{
    for (size_t i = 0; i < ARRAY_SIZE(exit_actions); i++)
        if (exit_actions[i].value == (int)a)
            return exit_actions[i].name;
    return "?";
}

int options_parse(const char *cmdline, struct options *opt, option_warn_fn warn, void *ctx)
{
    static const struct {
        const char *key;
        const struct choice *choices;
        size_t count;
        size_t offset;
    } keys[] = {
        { "loglevel", loglevels, ARRAY_SIZE(loglevels), offsetof(struct options, loglevel) },
        { "on_exit", exit_actions, ARRAY_SIZE(exit_actions), offsetof(struct options, on_exit) },
        { "selftest", selftests, ARRAY_SIZE(selftests), offsetof(struct options, selftest) },
    };
    int problems = 0;
    char msg[160];

    opt->loglevel = LOG_INFO;
    opt->on_exit = EXIT_ACTION_AUTO;
    opt->selftest = SELFTEST_NONE;
    if (!cmdline)
        return 0;

    for (const char *p = cmdline; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *word = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t len = (size_t)(p - word), klen = 0;
        while (klen < len && word[klen] != '=')
            klen++;

        size_t k = 0;
        while (k < ARRAY_SIZE(keys) && !word_is(word, klen, keys[k].key))
            k++;
        if (k == ARRAY_SIZE(keys)) {
            ksnprintf(msg, sizeof msg, "unknown option '%.*s' ignored", (int)len, word);
        } else if (klen == len) {
            ksnprintf(msg, sizeof msg, "option '%s' needs a value", keys[k].key);
        } else {
            int value;
            const char *v = word + klen + 1;
            if (pick(keys[k].choices, keys[k].count, v, len - klen - 1, &value)) {
                *(int *)((char *)opt + keys[k].offset) = value;
                continue;
            }
            ksnprintf(msg, sizeof msg, "bad value in '%.*s': expected one of", (int)len, word);
            for (size_t i = 0; i < keys[k].count; i++) {
                size_t used = 0;
                while (msg[used])
                    used++;
                ksnprintf(msg + used, sizeof msg - used, " %s", keys[k].choices[i].name);
            }
        }
        problems++;
        if (warn)
            warn(ctx, msg);
    }
    return problems;
}
