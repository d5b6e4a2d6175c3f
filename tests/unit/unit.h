/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny host unit-test framework: TEST() registers a case in a linker section, CHECK() records failures. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
    const char *name;
    const char *file;
    void (*fn)(void);
};

/* Set by CHECK when the running case fails; reset by the runner before each case. */
extern int unit_failed;

#define TEST(name)                                                           \
    static void test_##name(void);                                           \
    static const struct unit_test unit_##name                                \
        __attribute__((used, section("unit_tests"), aligned(8))) =           \
        { #name, __FILE__, test_##name };                                    \
    static void test_##name(void)

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            unit_failed = 1;                                                 \
        }                                                                    \
    } while (0)

#define CHECK_EQ(a, b)                                                       \
    do {                                                                     \
        unsigned long long a_ = (unsigned long long)(a);                     \
        unsigned long long b_ = (unsigned long long)(b);                     \
        if (a_ != b_) {                                                      \
            printf("    %s:%d: CHECK_EQ(%s, %s) failed: 0x%llx != 0x%llx\n", \
                   __FILE__, __LINE__, #a, #b, a_, b_);                     \
            unit_failed = 1;                                                 \
        }                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                      \
    do {                                                                     \
        const char *a_ = (a), *b_ = (b);                                     \
        if (strcmp(a_, b_) != 0) {                                           \
            printf("    %s:%d: CHECK_STR(%s, %s) failed: \"%s\" != \"%s\"\n", \
                   __FILE__, __LINE__, #a, #b, a_, b_);                     \
            unit_failed = 1;                                                 \
        }                                                                    \
    } while (0)

#endif
