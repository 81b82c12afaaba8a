#include "check_run.h"
#include <selaras/selaras.h>

static Suite *tmx_suite(void)
{
    Suite *s = suite_create("tmx");
    return s;
}

int main(void)
{
    return sl_test_run(tmx_suite());
}
