/* Unit tests for the small modules: errors, buffers, text input, language
 * codes, normalisation, SHA-256 and sentence lists. */
#include "check_run.h"
#include "internal.h"
#include "sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *write_file(const char *dir, const char *name, const char *data, size_t len)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

START_TEST(error_messages)
{
    sl_error err;
    sl_error_clear(&err);
    ck_assert_int_eq(err.code, SL_OK);
    ck_assert_str_eq(sl_error_message(&err), "success");
    ck_assert_int_eq(sl_error_set(&err, SL_IO, "%s: broken %d", "f.txt", 3), SL_IO);
    ck_assert_str_eq(sl_error_message(&err), "f.txt: broken 3");
    ck_assert_str_eq(sl_strerror(SL_NOMEM), "out of memory");
    ck_assert_str_eq(sl_strerror((sl_status)999), "unknown error");
    ck_assert_int_eq(sl_error_set(NULL, SL_DB, "ignored"), SL_DB);
}
END_TEST

START_TEST(buffer_grows)
{
    sl__buf b = SL__BUF_INIT;
    ck_assert_str_eq(sl__buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        ck_assert(sl__buf_printf(&b, "%d,", i));
    ck_assert_uint_eq(b.len, 3890);
    ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    ck_assert(strcmp(b.data + b.len - 4, "999,") == 0);
    sl__buf_clear(&b);
    ck_assert_str_eq(sl__buf_cstr(&b), "");
    ck_assert(sl__buf_append(&b, "ab\0c", 4));
    ck_assert_uint_eq(b.len, 4);
    char *p = sl__buf_detach(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_int_eq(memcmp(p, "ab\0c", 5), 0);
    free(p);
}
END_TEST

START_TEST(lang_codes)
{
    char out[SL_LANG_MAX];
    sl_error err;
    ck_assert_int_eq(sl_lang_canonical("id", out, &err), SL_OK);
    ck_assert_str_eq(out, "id");
    ck_assert_int_eq(sl_lang_canonical("en-US", out, &err), SL_OK);
    ck_assert_str_eq(out, "en-us");
    ck_assert_int_eq(sl_lang_canonical("id_ID", out, &err), SL_OK);
    ck_assert_str_eq(out, "id-id");
    ck_assert_int_eq(sl_lang_canonical("EN", out, &err), SL_OK);
    ck_assert_str_eq(out, "en");
    ck_assert_int_eq(sl_lang_canonical("zh-Hant-TW", out, &err), SL_OK);
    ck_assert_str_eq(out, "zh-hant-tw");
    ck_assert_int_eq(sl_lang_canonical("xx", out, &err), SL_LANG);
    ck_assert_ptr_nonnull(strstr(err.message, "unknown language code 'xx'"));
    const char *bad[] = {"", "e", "english", "en US", "en--us", "-en", "en-", "1d", "id-toolongsubtag"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(sl_lang_canonical(bad[i], out, &err), SL_LANG);
        ck_assert_ptr_nonnull(strstr(err.message, "language code"));
    }
    ck_assert_int_eq(sl_lang_canonical(NULL, out, &err), SL_LANG);
}
END_TEST

START_TEST(utf8_check)
{
    sl_error err;
    ck_assert_int_eq(sl_text_check_utf8("t", "Jl. Sudirman “No. 5” — café", 31, &err), SL_OK);
    ck_assert_int_eq(sl_text_check_utf8("t", "ab\ncd\xff", 6, &err), SL_ENCODING);
    ck_assert_str_eq(err.message, "t: invalid UTF-8 at byte offset 5 (line 2, byte 0xff); "
                                  "convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)");
    /* overlong '/', a UTF-16 surrogate, a truncated sequence, beyond U+10FFFF */
    ck_assert_int_eq(sl_text_check_utf8("t", "\xc0\xaf", 2, &err), SL_ENCODING);
    ck_assert_int_eq(sl_text_check_utf8("t", "\xed\xa0\x80", 3, &err), SL_ENCODING);
    ck_assert_int_eq(sl_text_check_utf8("t", "a\xe2\x80", 3, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "byte offset 1"));
    ck_assert_int_eq(sl_text_check_utf8("t", "\xf4\x90\x80\x80", 4, &err), SL_ENCODING);
    ck_assert_int_eq(sl_text_check_utf8("t", "a\0b", 3, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "NUL byte at byte offset 1"));
}
END_TEST

START_TEST(read_files)
{
    const char *dir = sl_test_tmpdir("read_files");
    ck_assert_ptr_nonnull(dir);
    sl_error err;
    char *text;
    size_t len;

    const char *p = write_file(dir, "bom.txt", "\xef\xbb\xbfSatu.\r\nDua.\r\n", 16);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_OK);
    ck_assert_uint_eq(len, 13);
    ck_assert_str_eq(text, "Satu.\r\nDua.\r\n");
    sl_free(text);

    p = write_file(dir, "empty.txt", "", 0);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_EMPTY);
    ck_assert_ptr_null(text);
    p = write_file(dir, "spaces.txt", " \n\t\xc2\xa0\n", 6);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_EMPTY);
    p = write_file(dir, "bomonly.txt", "\xef\xbb\xbf", 3);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_EMPTY);
    p = write_file(dir, "utf16.txt", "\xff\xfeS\0a\0", 6);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "UTF-16"));
    ck_assert_int_eq(sl_text_read_file(dir, &text, &len, &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/nope.txt", dir);
    ck_assert_int_eq(sl_text_read_file(missing, &text, &len, &err), SL_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "nope.txt: cannot open"));
}
END_TEST

START_TEST(normalise)
{
    char *n = sl__normalise("  Saya\t makan\n\nnasi  ", 21);
    ck_assert_str_eq(n, "Saya makan nasi");
    free(n);
    /* e + combining acute becomes the precomposed é; NBSP counts as a space */
    n = sl__normalise("caf\x65\xcc\x81\xc2\xa0 ok", 11);
    ck_assert_str_eq(n, "caf\xc3\xa9 ok");
    free(n);
    n = sl__normalise("   ", 3);
    ck_assert_str_eq(n, "");
    free(n);
}
END_TEST

START_TEST(sha256_vectors)
{
    char hex[65];
    sl__sha256_hex("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sl__sha256_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sl__sha256_hex(two, strlen(two), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* one million 'a', fed in uneven pieces */
    sl__sha256 c;
    unsigned char d[32];
    char a[777];
    memset(a, 'a', sizeof a);
    sl__sha256_init(&c);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        sl__sha256_update(&c, a, n);
        left -= n;
    }
    sl__sha256_final(&c, d);
    ck_assert_uint_eq(d[0], 0xcd);
    ck_assert_uint_eq(d[1], 0xc7);
    ck_assert_uint_eq(d[31], 0xd0);
}
END_TEST

START_TEST(sentences_from_lines)
{
    const char *text = "  Satu.  \nDua.\n\n\n \nTiga.\r\nEmpat.";
    sl_sentences *s;
    sl_error err;
    ck_assert_int_eq(sl_sentences_from_lines(text, strlen(text), &s, &err), SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 4);
    ck_assert_str_eq(sl_sentences_text(s, 0), "Satu.");
    ck_assert_str_eq(sl_sentences_text(s, 1), "Dua.");
    ck_assert_str_eq(sl_sentences_text(s, 2), "Tiga.");
    ck_assert_str_eq(sl_sentences_text(s, 3), "Empat.");
    ck_assert_uint_eq(sl_sentences_length(s, 2), 5);
    ck_assert_uint_eq(sl_sentences_paragraph(s, 0), 0);
    ck_assert_uint_eq(sl_sentences_paragraph(s, 1), 0);
    ck_assert_uint_eq(sl_sentences_paragraph(s, 2), 1);
    ck_assert_uint_eq(sl_sentences_paragraph(s, 3), 1);
    ck_assert_ptr_null(sl_sentences_text(s, 4));
    sl_sentences_free(s);

    ck_assert_int_eq(sl_sentences_new(&s, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_append(s, " A. ", 4, false, &err), SL_OK);
    ck_assert_int_eq(sl_sentences_append(s, "B.\xc2\xa0", 4, true, &err), SL_OK);
    ck_assert_str_eq(sl_sentences_text(s, 0), "A.");
    ck_assert_str_eq(sl_sentences_text(s, 1), "B.");
    ck_assert_uint_eq(sl_sentences_paragraph(s, 1), 1);
    sl_sentences_free(s);
}
END_TEST

/* Inputs of the bad-input matrix that the library itself must tell apart. */
START_TEST(read_odd_files)
{
    const char *dir = sl_test_tmpdir("read_odd_files");
    ck_assert_ptr_nonnull(dir);
    sl_error err;
    char *text = NULL;
    size_t len;

    const char *p = write_file(dir, "le.txt", "S\0a\0t\0u\0.\0\n\0", 12);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "looks like UTF-16 without a byte order mark"));
    ck_assert_ptr_nonnull(strstr(err.message, "-f UTF-16LE"));
    p = write_file(dir, "be.txt", "\0S\0a\0t\0u", 8);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "-f UTF-16BE"));
    /* a NUL that is not a UTF-16 pattern keeps the NUL-byte message */
    p = write_file(dir, "elf", "\x7f" "ELF\2\1\1\0\0\0", 10);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "NUL byte at byte offset 7"));
    p = write_file(dir, "ctl.txt", "ab\ncd\x07", 6);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "ctl.txt: control character 0x07 at byte offset 5 (line 2)"));
    p = write_file(dir, "ff.txt", "a\fb\vc\td\r\n", 9);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_OK);
    ck_assert_str_eq(text, "a b c\td\r\n");
    sl_free(text);
    p = write_file(dir, "ffff.txt", "x\xef\xbf\xbf", 4);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_ENCODING);
    ck_assert_ptr_nonnull(strstr(err.message, "noncharacter U+FFFF at byte offset 1"));
    /* one byte: too short to tell, and no NUL, so plain text */
    p = write_file(dir, "one.txt", "a", 1);
    ck_assert_int_eq(sl_text_read_file(p, &text, &len, &err), SL_OK);
    ck_assert_uint_eq(len, 1);
    sl_free(text);

    ck_assert_int_eq(sl_text_read_file("/dev/zero", &text, &len, &err), SL_IO);
    ck_assert_str_eq(err.message, "/dev/zero: not a regular file (a device or socket); give a text file");
    ck_assert_ptr_null(text);

    /* a FIFO whose writer comes late: wait for it rather than report an
     * empty file */
    char fifo[4200];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        usleep(300000);
        int fd = open(fifo, O_WRONLY);
        _exit(fd >= 0 && write(fd, "Satu. Dua.\n", 11) == 11 ? 0 : 1);
    }
    ck_assert_int_eq(sl_text_read_file(fifo, &text, &len, &err), SL_OK);
    ck_assert_str_eq(text, "Satu. Dua.\n");
    sl_free(text);
    int wst;
    ck_assert_int_eq(waitpid(child, &wst, 0), child);
    ck_assert(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
}
END_TEST

static bool write_two_lines(FILE *f, void *ctx)
{
    return fprintf(f, "%s\nDua.\n", (const char *)ctx) > 0;
}

static bool write_then_fail(FILE *f, void *ctx)
{
    (void)ctx;
    fputs("half", f);
    return false;
}

/* sl_file_write: the whole file or the old one, the mode of a plain create,
 * links kept, no temporary file left behind. */
START_TEST(file_write)
{
    const char *dir = sl_test_tmpdir("file_write");
    ck_assert_ptr_nonnull(dir);
    sl_error err;
    char path[4200], link[4200], *text;
    size_t len;
    snprintf(path, sizeof path, "%s/out.txt", dir);
    mode_t old = umask(027);
    ck_assert_int_eq(sl_file_write(path, write_two_lines, "Satu.", &err), SL_OK);
    umask(old);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0640);
    ck_assert_int_eq(sl_text_read_file(path, &text, &len, &err), SL_OK);
    ck_assert_str_eq(text, "Satu.\nDua.\n");
    sl_free(text);

    ck_assert_int_eq(sl_file_write(path, write_then_fail, NULL, &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "out.txt: cannot write"));
    ck_assert_int_eq(sl_text_read_file(path, &text, &len, &err), SL_OK);
    ck_assert_str_eq(text, "Satu.\nDua.\n");
    sl_free(text);

    snprintf(link, sizeof link, "%s/link.txt", dir);
    ck_assert_int_eq(symlink("out.txt", link), 0);
    ck_assert_int_eq(sl_file_write(link, write_two_lines, "Tiga.", &err), SL_OK);
    ck_assert_int_eq(lstat(link, &sb), 0);
    ck_assert(S_ISLNK(sb.st_mode));
    ck_assert_int_eq(sl_text_read_file(path, &text, &len, &err), SL_OK);
    ck_assert_str_eq(text, "Tiga.\nDua.\n");
    sl_free(text);

    ck_assert_int_eq(sl_file_write(dir, write_two_lines, "x", &err), SL_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));
    ck_assert_int_eq(sl_file_write(NULL, write_two_lines, "x", &err), SL_USAGE);

    char cmd[4300];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q tmp", dir);
    ck_assert_int_ne(system(cmd), 0);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, error_messages);
    tcase_add_test(tc, buffer_grows);
    tcase_add_test(tc, lang_codes);
    tcase_add_test(tc, utf8_check);
    tcase_add_test(tc, read_files);
    tcase_add_test(tc, read_odd_files);
    tcase_add_test(tc, normalise);
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, sentences_from_lines);
    tcase_add_test(tc, file_write);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(text_suite());
}
