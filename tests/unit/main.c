/* SPDX-License-Identifier: BSD-2-Clause */
/* Host unit-test runner: runs every TEST() linked in, prints one line per case and "N passed, N failed". */
#include <stdlib.h>

#include "unit.h"

int unit_failed;

extern const struct unit_test __start_unit_tests[], __stop_unit_tests[];

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;

    for (const struct unit_test *t = __start_unit_tests; t < __stop_unit_tests; t++) {
        if (filter && !strstr(t->name, filter) && !strstr(t->file, filter))
            continue;
        unit_failed = 0;
        t->fn();
        printf("%s %s (%s)\n", unit_failed ? "FAIL" : "ok  ", t->name, t->file);
        if (unit_failed)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    if (passed + failed == 0) {
        printf("error: no unit test ran\n");
        return 1;
    }
    return failed ? 1 : 0;
}
