#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_text[] = {
#define SL__STATUS_TEXT(name, text) text,
    SL_STATUS_MAP(SL__STATUS_TEXT)
#undef SL__STATUS_TEXT
};

void sl_error_clear(sl_error *err)
{
    if (!err)
        return;
    err->code = SL_OK;
    err->message[0] = '\0';
}

sl_status sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

const char *sl_strerror(sl_status code)
{
    if ((unsigned)code >= SL__STATUS_COUNT)
        return "unknown error";
    return status_text[code];
}

const char *sl_error_message(const sl_error *err)
{
    if (!err)
        return "";
    return err->message[0] ? err->message : sl_strerror(err->code);
}

void sl_free(void *p)
{
    free(p);
}

sl_status sl__nomem(sl_error *err)
{
    return sl_error_set(err, SL_NOMEM, "out of memory");
}

const char *sl_version(void)
{
    return PACKAGE_VERSION;
}
