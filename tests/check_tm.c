#include "check_run.h"
#include <selaras/selaras.h>

static Suite *tm_suite(void)
{
    Suite *s = suite_create("tm");
    return s;
}

int main(void)
{
    return sl_test_run(tm_suite());
}
