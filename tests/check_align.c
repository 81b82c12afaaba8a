#include "check_run.h"
#include <selaras/selaras.h>

static Suite *align_suite(void)
{
    Suite *s = suite_create("align");
    return s;
}

int main(void)
{
    return sl_test_run(align_suite());
}
