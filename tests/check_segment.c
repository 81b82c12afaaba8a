#include "check_run.h"
#include <selaras/selaras.h>

static Suite *segment_suite(void)
{
    Suite *s = suite_create("segment");
    return s;
}

int main(void)
{
    return sl_test_run(segment_suite());
}
