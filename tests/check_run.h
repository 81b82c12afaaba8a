#ifndef SL_CHECK_RUN_H
#define SL_CHECK_RUN_H

#include <check.h>

/* Run one suite, print the summary, return an exit status for automake. */
int sl_test_run(Suite *suite);

/* A fresh scratch directory under tests/tmp/ (created on demand) for the test
 * named name; returns a static path. */
const char *sl_test_tmpdir(const char *name);

#endif
