#include "check_run.h"
#include <selaras/selaras.h>

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    return s;
}

int main(void)
{
    return sl_test_run(text_suite());
}
