#include "check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int sl_test_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *sl_test_tmpdir(const char *name)
{
    static char path[4096];
    mkdir("tests", 0777);
    mkdir("tests/tmp", 0777);
    snprintf(path, sizeof path, "tests/tmp/%s", name);
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", path, path);
    if (system(cmd) != 0)
        return NULL;
    return path;
}
