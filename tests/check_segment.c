#include "check_run.h"
#include "internal.h"
#include <selaras/selaras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Sentence segmentation.  Every expected result here is written by hand;
 * every segmentation is also checked for spans that tile the input.
 * Language data comes from $SELARAS_DATADIR, the sample article pair from
 * $TOP_SRCDIR/tm.
 */

struct want {
    const char *text;
    size_t paragraph;
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static sl_segmenter *new_segmenter(const char *lang)
{
    sl_error err;
    sl_error_clear(&err);
    sl_segmenter *seg = NULL;
    sl_status st = sl_segmenter_new(lang, NULL, &seg, &err);
    ck_assert_msg(st == SL_OK, "sl_segmenter_new(%s): %s", lang, sl_error_message(&err));
    return seg;
}

/* Whether the sentence text t (tl bytes) starts at in[0, n): equal bytes,
 * except that a line break in the input (a hard-wrapped sentence) shows
 * as one space in the text. */
static bool text_at(const char *in, size_t n, const char *t, size_t tl)
{
    size_t i = 0, j = 0;
    while (j < tl) {
        if (i >= n)
            return false;
        size_t br = 0;
        const unsigned char *u = (const unsigned char *)in + i;
        if (u[0] == '\n')
            br = 1;
        else if (u[0] == '\r')
            br = i + 1 < n && u[1] == '\n' ? 2 : 1;
        else if (u[0] == 0xc2 && i + 1 < n && u[1] == 0x85)
            br = 2;
        else if (u[0] == 0xe2 && i + 2 < n && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
            br = 3;
        if (br && t[j] == ' ') {
            i += br;
            j++;
        } else if (in[i] == t[j]) {
            i++;
            j++;
        } else
            return false;
    }
    return true;
}

/* The spans must start at 0, follow each other without gap or overlap and
 * end at len; each sentence's text must lie inside its span.  Plain ifs:
 * a ck_assert per sentence costs a system call when tests fork. */
static void check_tiling(const sl_sentences *s, const char *in, size_t len, int line)
{
    size_t at = 0;
    size_t n = sl_sentences_count(s);
    for (size_t i = 0; i < n; i++) {
        size_t start, end;
        sl_sentences_span(s, i, &start, &end);
        if (start != at || end <= start)
            ck_abort_msg("line %d: sentence %zu has span [%zu,%zu), expected it to start at %zu",
                         line, i, start, end, at);
        const char *t = sl_sentences_text(s, i);
        size_t tl = sl_sentences_length(s, i);
        if (tl == 0)
            ck_abort_msg("line %d: sentence %zu is empty", line, i);
        bool found = false;
        for (size_t k = start; k < end && !found; k++)
            found = text_at(in + k, end - k, t, tl);
        if (!found)
            ck_abort_msg("line %d: sentence %zu <%s> is not inside its span", line, i, t);
        at = end;
    }
    if (n > 0 && at != len)
        ck_abort_msg("line %d: spans end at %zu, input has %zu bytes", line, at, len);
}

static sl_sentences *segment(const char *lang, const char *in, size_t len, int line)
{
    sl_segmenter *seg = new_segmenter(lang);
    sl_error err;
    sl_error_clear(&err);
    sl_sentences *s = NULL;
    sl_status st = sl_segment(seg, in, len, &s, &err);
    ck_assert_msg(st == SL_OK, "line %d: sl_segment: %s", line, sl_error_message(&err));
    sl_segmenter_free(seg);
    check_tiling(s, in, len, line);
    return s;
}

static void expect_segments(const char *lang, const char *in, size_t len, const struct want *w,
                            size_t n, int line)
{
    sl_sentences *s = segment(lang, in, len, line);
    size_t got = sl_sentences_count(s);
    for (size_t i = 0; i < got && i < n; i++) {
        ck_assert_msg(strcmp(sl_sentences_text(s, i), w[i].text) == 0,
                      "line %d: sentence %zu is <%s>, expected <%s>", line, i,
                      sl_sentences_text(s, i), w[i].text);
        ck_assert_msg(sl_sentences_paragraph(s, i) == w[i].paragraph,
                      "line %d: sentence %zu <%s> is in paragraph %zu, expected %zu", line, i,
                      w[i].text, sl_sentences_paragraph(s, i), w[i].paragraph);
    }
    ck_assert_msg(got == n, "line %d: %zu sentences, expected %zu (first extra/missing: <%s>)",
                  line, got, n,
                  got > n ? sl_sentences_text(s, n) : w[got < n ? got : 0].text);
    sl_sentences_free(s);
}

/* EXPECT(lang, input, {"sentence", paragraph}, ...) */
#define EXPECT(lang, in, ...)                                                         \
    do {                                                                              \
        static const struct want w_[] = {__VA_ARGS__};                                \
        expect_segments(lang, in, sizeof(in) - 1, w_, N_ELEMS(w_), __LINE__);        \
    } while (0)

static size_t count_sentences(const char *lang, const char *in, size_t len, int line)
{
    sl_sentences *s = segment(lang, in, len, line);
    size_t n = sl_sentences_count(s);
    sl_sentences_free(s);
    return n;
}

/* ---- Indonesian rules */

START_TEST(test_id_titles)
{
    EXPECT("id", "Prof. Dr. Ir. H. Budi tiba. Dia tersenyum.", {"Prof. Dr. Ir. H. Budi tiba.", 0},
           {"Dia tersenyum.", 0});
    EXPECT("id", "Yth. Bpk. Ahmad dan Ny. Sari hadir. Sdr. Budi tidak.",
           {"Yth. Bpk. Ahmad dan Ny. Sari hadir.", 0}, {"Sdr. Budi tidak.", 0});
}
END_TEST

START_TEST(test_id_numeric_prefix)
{
    EXPECT("id", "Kantornya di Jl. Sudirman No. 5 Jakarta Pusat. Semua tahu.",
           {"Kantornya di Jl. Sudirman No. 5 Jakarta Pusat.", 0}, {"Semua tahu.", 0});
    EXPECT("id", "Lihat hlm. 25 dan Vol. 3 buku itu.", {"Lihat hlm. 25 dan Vol. 3 buku itu.", 0});
    /* everyday forms: tahun, pukul, halaman, provinsi, telepon */
    EXPECT("id", "Dia lahir thn. 1990 dan tiba pkl. 10.00 WIB di Prov. Jawa Barat (Tlp. 021 "
                 "555), lihat hal. 5. Selesai.",
           {"Dia lahir thn. 1990 dan tiba pkl. 10.00 WIB di Prov. Jawa Barat (Tlp. 021 555), "
            "lihat hal. 5.",
            0},
           {"Selesai.", 0});
    EXPECT("id", "Itu terjadi 20 thn. Lalu dia pulang. Banyak sekali hal. Semua terjadi.",
           {"Itu terjadi 20 thn.", 0}, {"Lalu dia pulang.", 0}, {"Banyak sekali hal.", 0},
           {"Semua terjadi.", 0});
    /* class N without a digit after it ends a sentence like any word */
    EXPECT("id", "Jawabannya singkat: No. Kami tidak setuju.", {"Jawabannya singkat: No.", 0},
           {"Kami tidak setuju.", 0});
}
END_TEST

START_TEST(test_id_final_class)
{
    EXPECT("id", "Ada buku, pena, dll. dan semuanya murah.",
           {"Ada buku, pena, dll. dan semuanya murah.", 0});
    EXPECT("id", "Ada buku, pena, dll. Kemudian kami pulang.", {"Ada buku, pena, dll.", 0},
           {"Kemudian kami pulang.", 0});
    EXPECT("id", "Ada pena, pensil, dsb. 5 kotak.", {"Ada pena, pensil, dsb. 5 kotak.", 0});
}
END_TEST

START_TEST(test_id_whole_word)
{
    /* "S." and "B." are initials in the list, "AS." and "WIB." are not */
    EXPECT("id", "Presiden terbang ke AS. Mereka menyambutnya.", {"Presiden terbang ke AS.", 0},
           {"Mereka menyambutnya.", 0});
    EXPECT("id", "Rapat dimulai pukul 10.30 WIB. Setelah itu kami makan.",
           {"Rapat dimulai pukul 10.30 WIB.", 0}, {"Setelah itu kami makan.", 0});
}
END_TEST

START_TEST(test_id_capitalised_variant)
{
    /* only "kec." is listed */
    EXPECT("id", "Warga Kec. Menteng datang.", {"Warga Kec. Menteng datang.", 0});
}
END_TEST

START_TEST(test_id_numbers)
{
    EXPECT("id", "Kurs Rp16.750 per dolar, 1.000.000 transaksi, bunga 3,5 persen, pukul 10.30 WIB "
                 "kemarin. Harga naik.",
           {"Kurs Rp16.750 per dolar, 1.000.000 transaksi, bunga 3,5 persen, pukul 10.30 WIB "
            "kemarin.",
            0},
           {"Harga naik.", 0});
}
END_TEST

START_TEST(test_id_initials)
{
    EXPECT("id", "Novel N. H. Dini dibaca A.H. Nasution dan Agus D.W. Martowardojo. Lalu B.J. "
                 "Habibie datang.",
           {"Novel N. H. Dini dibaca A.H. Nasution dan Agus D.W. Martowardojo.", 0},
           {"Lalu B.J. Habibie datang.", 0});
}
END_TEST

START_TEST(test_id_speech_verb)
{
    EXPECT("id", "“Kapan berangkat?” tanya Hasan. “Besok!” jawab Ani. \"Sungguh?\" tanya dia.",
           {"“Kapan berangkat?” tanya Hasan.", 0}, {"“Besok!” jawab Ani.", 0},
           {"\"Sungguh?\" tanya dia.", 0});
    /* closing quotes and brackets after the final mark stay with the sentence */
    EXPECT("id", "Dia berkata, ‘Ya.’ Kami pulang. (Itu benar.) Lalu \"Cukup!\" Semua diam. "
                 "Dia bertanya (kenapa?) lalu pergi.",
           {"Dia berkata, ‘Ya.’", 0}, {"Kami pulang.", 0}, {"(Itu benar.)", 0},
           {"Lalu \"Cukup!\"", 0}, {"Semua diam.", 0}, {"Dia bertanya (kenapa?) lalu pergi.", 0});
    /* a capital after the quote starts a new sentence */
    EXPECT("id", "“Kapan berangkat?” Hasan diam.", {"“Kapan berangkat?”", 0},
           {"Hasan diam.", 0});
}
END_TEST

START_TEST(test_id_ellipsis)
{
    EXPECT("id", "Dia menunggu… Lalu pergi.", {"Dia menunggu…", 0}, {"Lalu pergi.", 0});
    EXPECT("id", "Dia menunggu… lalu pergi.", {"Dia menunggu… lalu pergi.", 0});
    EXPECT("id", "Dia menunggu... Lalu pergi.", {"Dia menunggu...", 0}, {"Lalu pergi.", 0});
    EXPECT("id", "Dia menunggu... lalu pergi.", {"Dia menunggu... lalu pergi.", 0});
    /* closing quotes stay with the sentence */
    EXPECT("id", "“Saya lelah…” Dia pergi.", {"“Saya lelah…”", 0}, {"Dia pergi.", 0});
}
END_TEST

START_TEST(test_id_url_email)
{
    EXPECT("id", "Buka https://example.com/a.b?c=d sekarang. Lalu daftar.",
           {"Buka https://example.com/a.b?c=d sekarang.", 0}, {"Lalu daftar.", 0});
    EXPECT("id", "Kirim ke nama@contoh.co.id. Kami membalas.", {"Kirim ke nama@contoh.co.id.", 0},
           {"Kami membalas.", 0});
    EXPECT("id", "Tulis ke budi2.Santoso@contoh.co.id atau www.Contoh.id/Apa?Ya sekarang.",
           {"Tulis ke budi2.Santoso@contoh.co.id atau www.Contoh.id/Apa?Ya sekarang.", 0});
}
END_TEST

START_TEST(test_id_list_markers)
{
    EXPECT("id", "1. Pendahuluan\n2. Metode\nIV. Hasil", {"1. Pendahuluan", 0}, {"2. Metode", 1},
           {"IV. Hasil", 2});
    /* inside a line, after final punctuation, the marker starts the next sentence */
    EXPECT("id", "Dinas dibentuk di Kabupaten Ogan Komering Ilir. 1. Kedudukan dan fungsi.",
           {"Dinas dibentuk di Kabupaten Ogan Komering Ilir.", 0},
           {"1. Kedudukan dan fungsi.", 0});
    EXPECT("id", "Kantornya di Banten, Indonesia. b. Dinas Daerah dipimpin kepala dinas.",
           {"Kantornya di Banten, Indonesia.", 0},
           {"b. Dinas Daerah dipimpin kepala dinas.", 0});
    /* after a colon the item stays in the sentence */
    EXPECT("id", "Isinya yaitu: a. Bahwa dinas dibentuk. Semua setuju.",
           {"Isinya yaitu: a. Bahwa dinas dibentuk.", 0}, {"Semua setuju.", 0});
    /* so do the items after it, separated by semicolons or commas */
    EXPECT("id", "Warga berhak atas: 1. Pendidikan; 2. Kesehatan; dan 3. Pekerjaan. Selesai.",
           {"Warga berhak atas: 1. Pendidikan; 2. Kesehatan; dan 3. Pekerjaan.", 0},
           {"Selesai.", 0});
    EXPECT("id", "Syarat: a. Berumur 17 tahun, b. Sehat jasmani, atau c. Lulus tes. Selesai.",
           {"Syarat: a. Berumur 17 tahun, b. Sehat jasmani, atau c. Lulus tes.", 0},
           {"Selesai.", 0});
    EXPECT("en", "You need: a. A passport; and b. Two photos. Then apply.",
           {"You need: a. A passport; and b. Two photos.", 0}, {"Then apply.", 0});
    /* a number after a comma ends its sentence as before */
    EXPECT("id", "Skornya 3, lalu 2. Tim itu kalah.", {"Skornya 3, lalu 2.", 0},
           {"Tim itu kalah.", 0});
    /* but not after an abbreviation, nor without final punctuation before it */
    EXPECT("en", "It ran until Nov. 1. Thanks for asking.", {"It ran until Nov. 1.", 0},
           {"Thanks for asking.", 0});
    EXPECT("id", "Skornya naik menjadi 2. Tim itu menang.", {"Skornya naik menjadi 2.", 0},
           {"Tim itu menang.", 0});
}
END_TEST

START_TEST(test_id_company_forms)
{
    /* one company form after another, and a bracket after class F */
    EXPECT("id", "Saham dijual ke Osaka Gas Co. Ltd pada 1973. Harga naik.",
           {"Saham dijual ke Osaka Gas Co. Ltd pada 1973.", 0}, {"Harga naik.", 0});
    EXPECT("id", "Dia memimpin Sampoerna Asia Pte. Ltd. (SPA) dan Delhi Express Pvt. Limited.",
           {"Dia memimpin Sampoerna Asia Pte. Ltd. (SPA) dan Delhi Express Pvt. Limited.", 0});
    EXPECT("id", "Dia bekerja di Paramount Inc. Kemudian dia pindah.",
           {"Dia bekerja di Paramount Inc.", 0}, {"Kemudian dia pindah.", 0});
    /* class N before a bracketed number; "Ph. D." written with a space */
    EXPECT("id", "Hubungi Telp. (021) 5760617 atau Fax. (021) 5760677 segera.",
           {"Hubungi Telp. (021) 5760617 atau Fax. (021) 5760677 segera.", 0});
    EXPECT("id", "Dia meraih gelar Ph. D. dalam ilmu politik.",
           {"Dia meraih gelar Ph. D. dalam ilmu politik.", 0});
}
END_TEST

START_TEST(test_glued_stops)
{
    /* no space after the stop: only a capitalised word starts a sentence */
    EXPECT("en", "See item EY4108.E and file ld2d-1.DOC today.",
           {"See item EY4108.E and file ld2d-1.DOC today.", 0});
    EXPECT("en", "Call Ph. (03) 9221 4101 or Fax.(03) 9221 4193 now.",
           {"Call Ph. (03) 9221 4101 or Fax.(03) 9221 4193 now.", 0});
    EXPECT("en", "It closed in 2005.The end came.", {"It closed in 2005.", 0},
           {"The end came.", 0});
    EXPECT("en", "The meeting is at 10 a.m. (CDT) in Houston.",
           {"The meeting is at 10 a.m. (CDT) in Houston.", 0});
    /* a lower-case word glued to a capitalised one is a missing space ... */
    EXPECT("en", "Most of them are of high quality.You'll also find stories.",
           {"Most of them are of high quality.", 0}, {"You'll also find stories.", 0});
    EXPECT("id", "Harganya murah sekali.Kami membeli dua.", {"Harganya murah sekali.", 0},
           {"Kami membeli dua.", 0});
    /* ... but not after an abbreviation, initials or in an address */
    EXPECT("id", "Kantornya di Jl.Sudirman dekat U.S.Embassy dan situs Kompas.Com/Berita itu.",
           {"Kantornya di Jl.Sudirman dekat U.S.Embassy dan situs Kompas.Com/Berita itu.", 0});
    EXPECT("en", "Write to Kyle.Jones@example today.", {"Write to Kyle.Jones@example today.", 0});
}
END_TEST

START_TEST(test_lower_case_start)
{
    /* a sentence may start in lower case after a word of four or more letters */
    EXPECT("en", "i flew here last night. are you lying? no, i am not.",
           {"i flew here last night.", 0}, {"are you lying?", 0}, {"no, i am not.", 0});
    EXPECT("id", "Ia lahir di Batavia pada tahun 1879 di kota tersebut. atau di dekatnya.",
           {"Ia lahir di Batavia pada tahun 1879 di kota tersebut.", 0}, {"atau di dekatnya.", 0});
    /* a quote may come first */
    EXPECT("id", "Dia pulang ke kampungnya. “sampai kapan?” tanya ibunya. ``nanti saja'' katanya.",
           {"Dia pulang ke kampungnya.", 0}, {"“sampai kapan?” tanya ibunya.", 0},
           {"``nanti saja'' katanya.", 0});
    /* not after abbreviations, short words, numbers or capitals, nor in names */
    EXPECT("id", "Ada buku, pena, dsb. dan kami di kab. bogor. Lalu di Apt. besar dan USA. ini",
           {"Ada buku, pena, dsb. dan kami di kab. bogor.", 0},
           {"Lalu di Apt. besar dan USA. ini", 0});
    EXPECT("en", "Tiny wt. then 5. and so on.", {"Tiny wt. then 5. and so on.", 0});
    /* short words with a vowel and numbers of two or more digits do end
     * sentences before lower case; vowel-less short words do not */
    EXPECT("en", "don't tell val. the weekend is free. call them at 8160. they wait. see st. "
                 "charles mall.",
           {"don't tell val.", 0}, {"the weekend is free.", 0}, {"call them at 8160.", 0},
           {"they wait.", 0}, {"see st. charles mall.", 0});
    EXPECT("id", "Ia lahir pada tahun 1879. atau di dekatnya (Seoul). pada tahun itu.",
           {"Ia lahir pada tahun 1879.", 0}, {"atau di dekatnya (Seoul).", 0},
           {"pada tahun itu.", 0});
    /* a number, then lower case: ICU keeps these together */
    EXPECT("id", "Pesertanya lebih rendah. 12 peserta lolos. Lihat hlm. 25 saja.",
           {"Pesertanya lebih rendah.", 0}, {"12 peserta lolos.", 0}, {"Lihat hlm. 25 saja.", 0});
    EXPECT("id", "Dia dipilih oleh Goal. com dan situs www. kompas. com juga.",
           {"Dia dipilih oleh Goal. com dan situs www. kompas. com juga.", 0});
}
END_TEST

START_TEST(test_initials_before_starter)
{
    /* initials before a pronoun, conjunction or preposition end the sentence */
    EXPECT("id", "Produksi naik dibanding kuartal I. Dengan naiknya produksi, dia yakin.",
           {"Produksi naik dibanding kuartal I.", 0}, {"Dengan naiknya produksi, dia yakin.", 0});
    EXPECT("id", "Suhu naik 2 C. Banyak ilmuwan cemas. Kasus itu masuk ke Mahkamah Agung A.S. "
                 "Seperti biasa, A.S. Hikam diam.",
           {"Suhu naik 2 C.", 0}, {"Banyak ilmuwan cemas.", 0},
           {"Kasus itu masuk ke Mahkamah Agung A.S.", 0},
           {"Seperti biasa, A.S. Hikam diam.", 0});
    EXPECT("en", "It is a jointly owned L.L.C. However, he agreed with U.S. President Bush.",
           {"It is a jointly owned L.L.C.", 0}, {"However, he agreed with U.S. President Bush.", 0});
}
END_TEST

START_TEST(test_connectives)
{
    /* a connective after a lower-case word: the headline before lacks its stop */
    EXPECT("id", "Itu tidak selalu berhasil Tapi setidaknya mereka mencoba. Bagi penonton ini "
                 "istimewa.",
           {"Itu tidak selalu berhasil", 0}, {"Tapi setidaknya mereka mencoba.", 0},
           {"Bagi penonton ini istimewa.", 0});
    /* not after a capitalised word (titles) */
    EXPECT("id", "Lagu \"Cantik Tapi Menyakitkan\" populer.",
           {"Lagu \"Cantik Tapi Menyakitkan\" populer.", 0});
    EXPECT("en", "the market fell Meanwhile prices rose.", {"the market fell", 0},
           {"Meanwhile prices rose.", 0});
}
END_TEST

START_TEST(test_addresses_and_emoticons)
{
    /* an address or an emoticon before a capital ends the sentence */
    EXPECT("en", "The pictures are at http://example.com/pics/ If you like them, write to "
                 "ann@example.com Thanks",
           {"The pictures are at http://example.com/pics/", 0},
           {"If you like them, write to ann@example.com", 0}, {"Thanks", 0});
    EXPECT("en", "Nobody works there :) I went anyway. It was great. :) Try it.",
           {"Nobody works there :)", 0}, {"I went anyway.", 0}, {"It was great. :)", 0},
           {"Try it.", 0});
    /* an address before lower case, a colon before an address */
    EXPECT("en", "Write to ann@example.com today. Go to: http://example.com/ now.",
           {"Write to ann@example.com today.", 0}, {"Go to: http://example.com/ now.", 0});
}
END_TEST

START_TEST(test_detached_quotes_and_file_names)
{
    /* a quote standing alone after a sentence end closes that sentence */
    EXPECT("id", "Tidak ada yang lebih Afrika dari kamu. “ Siapa yang bisa? '\" ujar Pall. Dia pergi.",
           {"Tidak ada yang lebih Afrika dari kamu. “", 0}, {"Siapa yang bisa? '\" ujar Pall.", 0},
           {"Dia pergi.", 0});
    /* so does a closing bracket standing alone */
    EXPECT("en", "(We check in early and we fly next day. ) Hop onto a bus. [See the map. ] It helps.",
           {"(We check in early and we fly next day. )", 0}, {"Hop onto a bus.", 0},
           {"[See the map. ]", 0}, {"It helps.", 0});
    /* a dash standing alone after a sentence end starts the next one (ICU
     * never breaks before a hyphen), not before lower case nor after a title */
    EXPECT("id", "Buku itu terbit pada abad ke-11. - Apa yang Disebut Berpikir? Sebuah esai. -- "
                 "12 Mei 2012 Budi. \xe2\x80\x94 Kata dia.",
           {"Buku itu terbit pada abad ke-11.", 0}, {"- Apa yang Disebut Berpikir?", 0},
           {"Sebuah esai.", 0}, {"-- 12 Mei 2012 Budi.", 0}, {"\xe2\x80\x94 Kata dia.", 0});
    EXPECT("id", "Harga naik. - dan turun lagi. Surat untuk Yth. - Bapak Budi di Jakarta.",
           {"Harga naik. - dan turun lagi.", 0}, {"Surat untuk Yth. - Bapak Budi di Jakarta.", 0});
    /* a spaced-out file name: "IMG 4905. JPG" */
    EXPECT("id", "Berkas: IMG 4905. JPG | Balai Kota. Dia pergi.",
           {"Berkas: IMG 4905. JPG | Balai Kota.", 0}, {"Dia pergi.", 0});
    /* an ellipsis after a sentence end opens the next sentence */
    EXPECT("id", "Namanya A (juga albin). ... Lalu seorang Jepang bertanya.",
           {"Namanya A (juga albin).", 0}, {"... Lalu seorang Jepang bertanya.", 0});
}
END_TEST

START_TEST(test_issue_behaviours)
{
    /* a Roman numeral ends a sentence; after a class N abbreviation it is a number */
    EXPECT("id", "Ia gugur dalam Perang Dunia II. Jenazahnya dimakamkan di Bandung.",
           {"Ia gugur dalam Perang Dunia II.", 0}, {"Jenazahnya dimakamkan di Bandung.", 0});
    /* prices with and without a stop after Rp, dates, times */
    EXPECT("id", "Harganya Rp. 12.500 pada 12/1/2026 pukul 10.30 WIB. Besok naik jadi Rp16.750.",
           {"Harganya Rp. 12.500 pada 12/1/2026 pukul 10.30 WIB.", 0},
           {"Besok naik jadi Rp16.750.", 0});
    /* file names */
    EXPECT("id", "Unduh laporan.pdf atau data-2026.XLSX sekarang. Lalu kirim.",
           {"Unduh laporan.pdf atau data-2026.XLSX sekarang.", 0}, {"Lalu kirim.", 0});
    /* numeric prefixes */
    EXPECT("id", "Baca tgl. 5 dan hlm. 25. Selesai.", {"Baca tgl. 5 dan hlm. 25.", 0},
           {"Selesai.", 0});
    /* abbreviations that can end a sentence: capital after, lower case after */
    EXPECT("id", "PT Maju Tbk. Perusahaan itu besar. Gelar M.Sc. diraihnya.",
           {"PT Maju Tbk.", 0}, {"Perusahaan itu besar.", 0}, {"Gelar M.Sc. diraihnya.", 0});
    EXPECT("id", "Ditulis oleh Budi dkk. Mereka menang. Data dsb. juga ada.",
           {"Ditulis oleh Budi dkk.", 0}, {"Mereka menang.", 0}, {"Data dsb. juga ada.", 0});
    /* address elements and a.n. */
    EXPECT("id", "Kirim a.n. Sdr. Budi ke Jl. Merdeka, Kab. Bogor. Terima kasih.",
           {"Kirim a.n. Sdr. Budi ke Jl. Merdeka, Kab. Bogor.", 0}, {"Terima kasih.", 0});
    /* English */
    EXPECT("en", "Mr. Smith and Dr. Jones left the U.S. on Monday, e.g. at noon, with No. 5 etc. "
                 "and more. They came back.",
           {"Mr. Smith and Dr. Jones left the U.S. on Monday, e.g. at noon, with No. 5 etc. and "
            "more.",
            0},
           {"They came back.", 0});
}
END_TEST

START_TEST(test_bom_lossless)
{
    /* a UTF-8 byte order mark is no text of its own and is kept in the spans */
    static const char in[] = "\xef\xbb\xbfJudul\r\n\r\nSatu. Dua?\u201d tanya dia.\r\nTiga\u2026 "
                             "Empat.\r\n";
    sl_sentences *s = segment("id", in, sizeof in - 1, __LINE__);
    static const char *const texts[] = {"Judul", "Satu.", "Dua?\u201d tanya dia.", "Tiga\u2026",
                                        "Empat."};
    ck_assert_uint_eq(sl_sentences_count(s), N_ELEMS(texts));
    char joined[sizeof in] = "";
    for (size_t i = 0; i < N_ELEMS(texts); i++) {
        size_t a, b;
        sl_sentences_span(s, i, &a, &b);
        ck_assert_str_eq(sl_sentences_text(s, i), texts[i]);
        strncat(joined, in + a, b - a);
    }
    ck_assert_str_eq(joined, in);
    sl_sentences_free(s);
}
END_TEST

START_TEST(test_en_added_abbreviations)
{
    EXPECT("en", "Jeanne Moreau (b. January 1928; d. 2017) was born in Paris (c. 1928). She acted.",
           {"Jeanne Moreau (b. January 1928; d. 2017) was born in Paris (c. 1928).", 0},
           {"She acted.", 0});
    EXPECT("en", "Send it Attn. Legal, esp. Edwin, a.k.a. Ed. Thanks.",
           {"Send it Attn. Legal, esp. Edwin, a.k.a. Ed.", 0}, {"Thanks.", 0});
}
END_TEST

START_TEST(test_citations)
{
    /* a citation mark belongs to the sentence before it */
    EXPECT("en",
           "He studied in Dulwich. [17] Placed in a school, he grew. [3] [4] Then he left. [5]",
           {"He studied in Dulwich. [17]", 0}, {"Placed in a school, he grew. [3] [4]", 0},
           {"Then he left. [5]", 0});
}
END_TEST

START_TEST(test_roman_after_number_prefix)
{
    EXPECT("id", "Ketetapan MPRS No. XXXIII / MPRS / 1967 dan DEKRIT No. I TENTANG DEWAN berlaku.",
           {"Ketetapan MPRS No. XXXIII / MPRS / 1967 dan DEKRIT No. I TENTANG DEWAN berlaku.", 0});
    EXPECT("en", "Did he go? No. I was there. No. IV is out.", {"Did he go?", 0}, {"No.", 0},
           {"I was there.", 0}, {"No. IV is out.", 0});
}
END_TEST

/* ---- lines and paragraphs */

START_TEST(test_headline_blank_line_mode)
{
    EXPECT("id",
           "Gempa di Cianjur\nWarga mengungsi. Bantuan tiba pukul 10.30 WIB.\n\nProf. Dr. Ir. H. "
           "Budi datang ke Jl. Sudirman No. 5.\n",
           {"Gempa di Cianjur", 0}, {"Warga mengungsi.", 1},
           {"Bantuan tiba pukul 10.30 WIB.", 1},
           {"Prof. Dr. Ir. H. Budi datang ke Jl. Sudirman No. 5.", 2});
}
END_TEST

START_TEST(test_blank_line_mode)
{
    /* after final punctuation a line break only ends the sentence */
    EXPECT("id", "Kalimat satu.\nKalimat dua.\n\n\nParagraf dua.\n", {"Kalimat satu.", 0},
           {"Kalimat dua.", 0}, {"Paragraf dua.", 1});
    EXPECT("id", "Dia berkata, “Pergi.”\nLalu diam.\n  \t\nSelesai",
           {"Dia berkata, “Pergi.”", 0}, {"Lalu diam.", 0}, {"Selesai", 1});
    /* a sentence never spans a line break */
    EXPECT("id", "Kalimat yang\nterpotong.\n\nAkhir.", {"Kalimat yang", 0}, {"terpotong.", 1},
           {"Akhir.", 2});
}
END_TEST

START_TEST(test_hard_wrapped)
{
    /* lines that fill the width and whose next word would not fit are
     * joined; a short line ends its paragraph */
    EXPECT("id",
           "Pemerintah akan menaikkan harga bahan bakar minyak mulai\n"
           "bulan depan, kata menteri keuangan kepada wartawan. Keputusan\n"
           "itu diambil setelah rapat kabinet yang berlangsung lama.\n"
           "\n"
           "Paragraf kedua juga dibungkus pada lebar yang sama agar\n"
           "pembaca surel dapat membacanya dengan nyaman di layar.\n"
           "Salam,\n"
           "Budi\n",
           {"Pemerintah akan menaikkan harga bahan bakar minyak mulai bulan depan, kata menteri "
            "keuangan kepada wartawan.",
            0},
           {"Keputusan itu diambil setelah rapat kabinet yang berlangsung lama.", 0},
           {"Paragraf kedua juga dibungkus pada lebar yang sama agar pembaca surel dapat "
            "membacanya dengan nyaman di layar.",
            1},
           {"Salam,", 2}, {"Budi", 3});
    /* no blank lines between paragraphs: a paragraph's short last line
     * after a line that ends mid-sentence belongs to that paragraph */
    EXPECT("id",
           "Pemerintah akan menaikkan harga bahan bakar minyak mulai\n"
           "bulan depan, kata menteri keuangan kepada para wartawan di\n"
           "Jakarta kemarin.\n"
           "Keputusan itu diambil setelah rapat kabinet yang berlangsung\n"
           "lama di istana presiden pada hari Senin.\n"
           "Harga baru berlaku untuk semua jenis bensin.\n",
           {"Pemerintah akan menaikkan harga bahan bakar minyak mulai bulan depan, kata menteri "
            "keuangan kepada para wartawan di Jakarta kemarin.",
            0},
           {"Keputusan itu diambil setelah rapat kabinet yang berlangsung lama di istana presiden "
            "pada hari Senin.",
            1},
           {"Harga baru berlaku untuk semua jenis bensin.", 2});
    /* wrapped at 60 bytes by a tool that counts bytes (fold -s -w 60): the
     * lines with curly quotes are shorter in characters */
    EXPECT("id",
           "Menteri itu menyebut kebijakan baru sebagai “langkah\n"
           "besar” bagi “ekonomi rakyat” dan “masa depan”\n"
           "bangsa. Dia berharap parlemen segera menyetujuinya.\n"
           "\n"
           "Para pengamat menilai “rencana” itu terlalu\n"
           "“ambisius” untuk dijalankan tahun ini. Mereka meminta\n"
           "pemerintah menunda pelaksanaannya.\n",
           {"Menteri itu menyebut kebijakan baru sebagai “langkah besar” bagi “ekonomi rakyat” "
            "dan “masa depan” bangsa.",
            0},
           {"Dia berharap parlemen segera menyetujuinya.", 0},
           {"Para pengamat menilai “rencana” itu terlalu “ambisius” untuk dijalankan tahun ini.",
            1},
           {"Mereka meminta pemerintah menunda pelaksanaannya.", 1});
    /* CRLF and no blank lines: the same */
    EXPECT("en",
           "The committee met on Monday to discuss the budget for the\r\n"
           "coming year, and most members agreed that spending should\r\n"
           "be cut. The chair disagreed.\r\n",
           {"The committee met on Monday to discuss the budget for the coming year, and most "
            "members agreed that spending should be cut.",
            0},
           {"The chair disagreed.", 0});
    /* a list item is never joined to the line before it */
    EXPECT("en",
           "Please bring the following items to the meeting next week\n"
           "so that everybody can work on the new plan together and\n"
           "nobody has to wait for anything:\n"
           "- the signed contract and all of its appendices and notes\n"
           "- the budget sheets for the first and the second quarter\n",
           {"Please bring the following items to the meeting next week so that everybody can "
            "work on the new plan together and nobody has to wait for anything:",
            0},
           {"- the signed contract and all of its appendices and notes", 1},
           {"- the budget sheets for the first and the second quarter", 2});
    /* short lines are not wrapped text; nor are lines of very different
     * lengths that end where they do for a reason */
    EXPECT("id", "Daftar belanja\nBeras dua kilo\nGula satu kilo\n", {"Daftar belanja", 0},
           {"Beras dua kilo", 1}, {"Gula satu kilo", 2});
    EXPECT("en",
           "This first line is a complete sentence of its own here.\n"
           "Short one.\n"
           "And this is another full sentence written on one line.\n",
           {"This first line is a complete sentence of its own here.", 0}, {"Short one.", 1},
           {"And this is another full sentence written on one line.", 2});
}
END_TEST

START_TEST(test_line_mode)
{
    EXPECT("id", "Satu. Dua.\nTiga.\n\n", {"Satu.", 0}, {"Dua.", 0}, {"Tiga.", 1});
    EXPECT("id", "Judul\nIsi berita.", {"Judul", 0}, {"Isi berita.", 1});
    /* blank lines before the first or after the last line do not count */
    EXPECT("id", "\n\nSatu.\nDua.\n\n", {"Satu.", 0}, {"Dua.", 1});
}
END_TEST

START_TEST(test_crlf)
{
    EXPECT("id", "Judul\r\n\r\nSatu. Dua.\r\nTiga.\r\n", {"Judul", 0}, {"Satu.", 1},
           {"Dua.", 1}, {"Tiga.", 1});
    EXPECT("id", "Satu.\rDua.\r\nTiga.", {"Satu.", 0}, {"Dua.", 1}, {"Tiga.", 2});
    EXPECT("id", "Satu.\r\rDua.\r", {"Satu.", 0}, {"Dua.", 1});
}
END_TEST

START_TEST(test_spans)
{
    static const char in[] = "  Satu.  Dua.\n\n  Tiga.  \n";
    sl_sentences *s = segment("id", in, sizeof in - 1, __LINE__);
    ck_assert_uint_eq(sl_sentences_count(s), 3);
    static const size_t spans[3][2] = {{0, 9}, {9, 17}, {17, 25}};
    static const char *const texts[3] = {"Satu.", "Dua.", "Tiga."};
    static const size_t paras[3] = {0, 0, 1};
    char joined[sizeof in] = "";
    for (size_t i = 0; i < 3; i++) {
        size_t a, b;
        sl_sentences_span(s, i, &a, &b);
        ck_assert_uint_eq(a, spans[i][0]);
        ck_assert_uint_eq(b, spans[i][1]);
        ck_assert_str_eq(sl_sentences_text(s, i), texts[i]);
        ck_assert_uint_eq(sl_sentences_paragraph(s, i), paras[i]);
        strncat(joined, in + a, b - a);
    }
    ck_assert_str_eq(joined, in);
    sl_sentences_free(s);
}
END_TEST

START_TEST(test_empty)
{
    ck_assert_uint_eq(count_sentences("id", "", 0, __LINE__), 0);
    ck_assert_uint_eq(count_sentences("id", NULL, 0, __LINE__), 0);
    static const char ws[] = " \n\t\r\n \xc2\xa0\n\n";
    ck_assert_uint_eq(count_sentences("id", ws, sizeof ws - 1, __LINE__), 0);
}
END_TEST

/* ---- English */

START_TEST(test_en)
{
    EXPECT("en", "Mr. Smith arrived. He sat.", {"Mr. Smith arrived.", 0}, {"He sat.", 0});
    EXPECT("en", "Use a tool, e.g. this one.", {"Use a tool, e.g. this one.", 0});
    EXPECT("en", "U.S. officials said so. They left.", {"U.S. officials said so.", 0},
           {"They left.", 0});
    EXPECT("en", "The U.S. President spoke. Apple Inc. The firm grew.",
           {"The U.S. President spoke.", 0}, {"Apple Inc.", 0}, {"The firm grew.", 0});
    EXPECT("en", "See pp. 5 and Fig. 3. Smith et al. found it. Dr. Jones agreed, etc. and left.",
           {"See pp. 5 and Fig. 3.", 0}, {"Smith et al. found it.", 0},
           {"Dr. Jones agreed, etc. and left.", 0});
    /* ordinary words left out of the CLDR list end sentences */
    EXPECT("en", "Thanks to All. Then we went In. It is OK. Bye.", {"Thanks to All.", 0},
           {"Then we went In.", 0}, {"It is OK.", 0}, {"Bye.", 0});
}
END_TEST

/* ---- languages and data */

START_TEST(test_bad_language)
{
    sl_error err;
    sl_error_clear(&err);
    sl_segmenter *seg = NULL;
    ck_assert_int_eq(sl_segmenter_new("zz", NULL, &seg, &err), SL_LANG);
    ck_assert_ptr_null(seg);
    ck_assert_int_eq(err.code, SL_LANG);
    ck_assert_int_eq(sl_segmenter_new("e n", NULL, &seg, &err), SL_LANG);
    ck_assert_int_eq(sl_segmenter_new("", NULL, &seg, &err), SL_LANG);
    ck_assert_int_eq(sl_segmenter_new(NULL, NULL, &seg, &err), SL_LANG);
}
END_TEST

START_TEST(test_language_tags)
{
    EXPECT("id-ID", "Prof. Budi tiba. Dia senang.", {"Prof. Budi tiba.", 0},
           {"Dia senang.", 0});
    EXPECT("en_US", "Mr. Smith arrived. He sat.", {"Mr. Smith arrived.", 0}, {"He sat.", 0});
}
END_TEST

static void write_file(const char *dir, const char *name, const char *content)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_data_files)
{
    const char *dir = sl_test_tmpdir("segment-data");
    ck_assert_ptr_nonnull(dir);
    sl_error err;
    sl_error_clear(&err);
    sl_segmenter *seg = NULL;
    /* id and en need their file, other languages do without */
    ck_assert_int_eq(sl_segmenter_new("id", dir, &seg, &err), SL_NOTFOUND);
    ck_assert_ptr_null(seg);
    ck_assert_ptr_nonnull(strstr(err.message, "id.abbrev"));
    ck_assert_int_eq(sl_segmenter_new("en", dir, &seg, &err), SL_NOTFOUND);
    sl_error_clear(&err);
    ck_assert_int_eq(sl_segmenter_new("fr", dir, &seg, &err), SL_OK);
    sl_sentences *s = NULL;
    static const char fr[] = "Bonjour. Ça va? Oui, M. Dupont.";
    ck_assert_int_eq(sl_segment(seg, fr, sizeof fr - 1, &s, &err), SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 3);
    ck_assert_str_eq(sl_sentences_text(s, 1), "Ça va?");
    ck_assert_str_eq(sl_sentences_text(s, 2), "Oui, M. Dupont.");
    sl_sentences_free(s);
    sl_segmenter_free(seg);
    seg = NULL;

    /* a file for another language is used when present */
    write_file(dir, "ms.abbrev", "# Malay\nSdr.\tP\tX\n");
    ck_assert_int_eq(sl_segmenter_new("ms", dir, &seg, &err), SL_OK);
    static const char ms[] = "Sdr. Ali datang. Dia duduk.";
    ck_assert_int_eq(sl_segment(seg, ms, sizeof ms - 1, &s, &err), SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 2);
    ck_assert_str_eq(sl_sentences_text(s, 0), "Sdr. Ali datang.");
    sl_sentences_free(s);
    sl_segmenter_free(seg);
    seg = NULL;

    /* malformed data is reported with file and line */
    static const char *const bad[] = {
        "Dr.\tX\tP\n",          /* unknown class */
        "# c\nDr\tP\tP\n",      /* no full stop */
        "Dr. P P\n",            /* no tab */
        "Dr.\tP\tA\nDr.\tF\tB\n", /* duplicate */
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        write_file(dir, "id.abbrev", bad[i]);
        sl_error_clear(&err);
        ck_assert_int_eq(sl_segmenter_new("id", dir, &seg, &err), SL_DATA);
        ck_assert_ptr_null(seg);
        ck_assert_msg(strstr(err.message, "id.abbrev:") != NULL, "message: %s", err.message);
    }

    /* sentence starters: optional, used when present, checked line by line */
    write_file(dir, "id.abbrev", "Dr.\tP\tX\n");
    write_file(dir, "id.starters", "# starters\nNamun\tC\nDengan\tS\n");
    ck_assert_int_eq(sl_segmenter_new("id", dir, &seg, &err), SL_OK);
    static const char id[] = "Dia tidak datang Namun kami menunggu. Kuartal I. Dengan itu selesai.";
    ck_assert_int_eq(sl_segment(seg, id, sizeof id - 1, &s, &err), SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 4);
    ck_assert_str_eq(sl_sentences_text(s, 1), "Namun kami menunggu.");
    ck_assert_str_eq(sl_sentences_text(s, 3), "Dengan itu selesai.");
    sl_sentences_free(s);
    sl_segmenter_free(seg);
    seg = NULL;
    static const char *const bad_starters[] = {
        "Namun\n",        /* no class */
        "Namun\tX\n",     /* unknown class */
        "Di mana\tS\n",   /* two words */
        "Dll.\tS\n",      /* a full stop */
    };
    for (size_t i = 0; i < N_ELEMS(bad_starters); i++) {
        write_file(dir, "id.starters", bad_starters[i]);
        sl_error_clear(&err);
        ck_assert_int_eq(sl_segmenter_new("id", dir, &seg, &err), SL_DATA);
        ck_assert_ptr_null(seg);
        ck_assert_msg(strstr(err.message, "id.starters:1:") != NULL, "message: %s", err.message);
    }
}
END_TEST

START_TEST(test_bad_input)
{
    sl_segmenter *seg = new_segmenter("id");
    sl_error err;
    sl_error_clear(&err);
    sl_sentences *s = NULL;
    static const char bad[] = "Satu. \xff Dua.";
    ck_assert_int_eq(sl_segment(seg, bad, sizeof bad - 1, &s, &err), SL_ENCODING);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(sl_error_message(&err), "invalid UTF-8 at byte offset 6"), "%s",
                  sl_error_message(&err));
    /* a NUL byte would cut a sentence short: refused with its offset */
    static const char nul[] = "Satu.\0 Dua.";
    sl_error_clear(&err);
    ck_assert_int_ne(sl_segment(seg, nul, sizeof nul - 1, &s, &err), SL_OK);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(sl_error_message(&err), "NUL byte at byte offset 5"), "%s",
                  sl_error_message(&err));
    ck_assert_int_eq(sl_segment(seg, NULL, 3, &s, &err), SL_USAGE);
    sl_segmenter_free(seg);
}
END_TEST

/* ---- SRX rules */

/* Write text to a fresh temporary file; returns its path (free it). */
static char *temp_file(const char *text)
{
    char *path = strdup("/tmp/selaras-srx-XXXXXX");
    ck_assert_ptr_nonnull(path);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

#define SRX_HEAD "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n"

static const char srx_rules[] =
    SRX_HEAD
    "<header cascade=\"%s\"/>\n"
    "<body>\n"
    "<languagerules>\n"
    "<languagerule languagerulename=\"id\">\n"
    "<rule break=\"no\"><beforebreak>\\bDr\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "<rule break=\"yes\"><beforebreak>;</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "</languagerule>\n"
    "<languagerule languagerulename=\"all\">\n"
    "<rule break=\"yes\"><beforebreak>[.?!]+</beforebreak><afterbreak>\\s+\\p{Lu}</afterbreak></rule>\n"
    "</languagerule>\n"
    "</languagerules>\n"
    "<maprules>\n"
    "<languagemap languagepattern=\"ID(-.*)?\" languagerulename=\"id\"/>\n"
    "<languagemap languagepattern=\".*\" languagerulename=\"all\"/>\n"
    "</maprules>\n"
    "</body>\n"
    "</srx>\n";

static sl_sentences *segment_srx(const char *lang, const char *srx_text, const char *in)
{
    char *path = temp_file(srx_text);
    sl_segmenter *seg = new_segmenter(lang);
    sl_error err;
    sl_error_clear(&err);
    ck_assert_msg(sl_segmenter_load_srx(seg, path, &err) == SL_OK, "%s", sl_error_message(&err));
    sl_sentences *s = NULL;
    ck_assert_msg(sl_segment(seg, in, strlen(in), &s, &err) == SL_OK, "%s",
                  sl_error_message(&err));
    check_tiling(s, in, strlen(in), __LINE__);
    sl_segmenter_free(seg);
    unlink(path);
    free(path);
    return s;
}

static void expect_texts(sl_sentences *s, const char *const *texts, size_t n)
{
    ck_assert_uint_eq(sl_sentences_count(s), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(sl_sentences_text(s, i), texts[i]);
    sl_sentences_free(s);
}

START_TEST(test_srx_rules)
{
    char buf[4096];
    static const char in[] = "Dr. Budi datang; kami pulang. Lalu makan.\nBaris dua.";
    /* cascade: the Indonesian rules, then the general ones */
    snprintf(buf, sizeof buf, srx_rules, "yes");
    static const char *const cascaded[] = {"Dr. Budi datang;", "kami pulang.", "Lalu makan.",
                                           "Baris dua."};
    expect_texts(segment_srx("id", buf, in), cascaded, N_ELEMS(cascaded));
    /* no cascade: only the first matching map's rules */
    snprintf(buf, sizeof buf, srx_rules, "no");
    static const char *const first[] = {"Dr. Budi datang;", "kami pulang. Lalu makan.",
                                        "Baris dua."};
    expect_texts(segment_srx("id", buf, in), first, N_ELEMS(first));
    /* English matches only ".*": "Dr." breaks, ";" does not */
    static const char *const english[] = {"Dr.", "Budi datang; kami pulang.", "Lalu makan.",
                                          "Baris dua."};
    expect_texts(segment_srx("en", buf, in), english, N_ELEMS(english));
}
END_TEST

/* Loading bad SRX text must fail with code and a message naming the line. */
static void expect_srx_error(const char *srx_text, sl_status code, const char *needle)
{
    char *path = temp_file(srx_text);
    sl_segmenter *seg = new_segmenter("id");
    sl_error err;
    sl_error_clear(&err);
    sl_status st = sl_segmenter_load_srx(seg, path, &err);
    ck_assert_msg(st == code, "status %d for <%s>: %s", (int)st, needle, sl_error_message(&err));
    ck_assert_msg(strstr(sl_error_message(&err), needle) != NULL, "<%s> not in <%s>", needle,
                  sl_error_message(&err));
    /* the segmenter keeps its own rules */
    static const char in[] = "Prof. Budi datang. Dia pergi.";
    sl_sentences *s = NULL;
    ck_assert(sl_segment(seg, in, sizeof in - 1, &s, &err) == SL_OK);
    ck_assert_uint_eq(sl_sentences_count(s), 2);
    sl_sentences_free(s);
    sl_segmenter_free(seg);
    unlink(path);
    free(path);
}

START_TEST(test_srx_errors)
{
    expect_srx_error(SRX_HEAD "<body>\n<languagerules>\n</body></srx>\n", SL_XML,
                     ":5: Opening and ending tag mismatch");
    expect_srx_error(SRX_HEAD "<body><languagerules><languagerule languagerulename=\"a\">\n"
                              "<rule>\n<beforebreak>[a-</beforebreak></rule></languagerule>"
                              "</languagerules><maprules><languagemap languagepattern=\".*\" "
                              "languagerulename=\"a\"/></maprules></body></srx>\n",
                     SL_DATA, ":5: bad regular expression in beforebreak");
    expect_srx_error(SRX_HEAD "<body><languagerules/><maprules>\n<languagemap "
                              "languagepattern=\".*\" languagerulename=\"x\"/></maprules></body>"
                              "</srx>\n",
                     SL_DATA, ":4: no <languagerule> is named 'x'");
    expect_srx_error(SRX_HEAD "<body><languagerules><languagerule languagerulename=\"a\"/>"
                              "</languagerules><maprules><languagemap languagepattern=\"en\" "
                              "languagerulename=\"a\"/></maprules></body></srx>\n",
                     SL_DATA, "no <languagemap> matches language 'id'");
    /* no entity is expanded: a reference in a rule is refused */
    expect_srx_error("<?xml version=\"1.0\"?>\n<!DOCTYPE srx [<!ENTITY e \"x\">]>\n"
                     "<srx version=\"2.0\">\n<body><languagerules><languagerule languagerulename=\"a\">\n<rule>"
                     "<beforebreak>&e;</beforebreak></rule></languagerule></languagerules>"
                     "<maprules><languagemap languagepattern=\".*\" languagerulename=\"a\"/>"
                     "</maprules></body></srx>\n",
                     SL_DATA, ":5: <beforebreak> may hold only text (found an entity reference)");
    expect_srx_error("<?xml version=\"1.0\"?>\n<rules/>\n", SL_DATA, ":2: the root element");
    expect_srx_error("<?xml version=\"1.0\"?>\n<srx version=\"3.0\"/>\n", SL_DATA, "2.0");
    expect_srx_error(SRX_HEAD "<body><languagerules><languagerule languagerulename=\"a\">\n"
                              "<rule break=\"maybe\"><beforebreak>x</beforebreak></rule>"
                              "</languagerule></languagerules><maprules><languagemap "
                              "languagepattern=\".*\" languagerulename=\"a\"/></maprules></body>"
                              "</srx>\n",
                     SL_DATA, ":4: <rule break=...>");
}
END_TEST

/* ---- streaming */

struct collected {
    sl_sentences *list;
    size_t paragraphs;
};

static sl_status collect(void *ctx, const char *text, size_t len, bool new_paragraph,
                         sl_error *err)
{
    struct collected *c = ctx;
    c->paragraphs += new_paragraph;
    return sl_sentences_append(c->list, text, len, new_paragraph, err);
}

static sl_status stop_at_third(void *ctx, const char *text, size_t len, bool new_paragraph,
                               sl_error *err)
{
    (void)text, (void)len, (void)new_paragraph;
    size_t *n = ctx;
    return ++*n == 3 ? sl_error_set(err, SL_IO, "stopped") : SL_OK;
}

/* Stream the file at path and compare with sl_segment() on text. */
static void expect_stream_same(const char *lang, const char *path, const char *text, size_t len)
{
    sl_segmenter *seg = new_segmenter(lang);
    sl_error err;
    sl_error_clear(&err);
    sl_sentences *whole = NULL;
    ck_assert(sl_segment(seg, text, len, &whole, &err) == SL_OK);
    struct collected c = {NULL, 0};
    ck_assert(sl_sentences_new(&c.list, &err) == SL_OK);
    ck_assert_msg(sl_segment_file(seg, path, collect, &c, &err) == SL_OK, "%s",
                  sl_error_message(&err));
    size_t n = sl_sentences_count(whole);
    ck_assert_uint_eq(sl_sentences_count(c.list), n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(sl_sentences_text(whole, i), sl_sentences_text(c.list, i)) != 0 ||
            sl_sentences_paragraph(whole, i) != sl_sentences_paragraph(c.list, i))
            ck_abort_msg("sentence %zu: <%s> (paragraph %zu) streamed as <%s> (%zu)", i,
                         sl_sentences_text(whole, i), sl_sentences_paragraph(whole, i),
                         sl_sentences_text(c.list, i), sl_sentences_paragraph(c.list, i));
    }
    sl_sentences_free(whole);
    sl_sentences_free(c.list);
    sl_segmenter_free(seg);
}

START_TEST(test_stream)
{
    /* a small file: exactly what sl_segment gives */
    static const char small[] = "\xef\xbb\xbfJudul\r\n\r\nDr. Budi datang. Dia pergi\r\nlagi.\r\n";
    char *path = temp_file(small);
    expect_stream_same("id", path, small + 3, sizeof small - 4);
    unlink(path);
    free(path);

    /* about 1.5 MiB of paragraphs, cut into pieces at blank lines */
    static const char *const paras[] = {
        "Presiden tiba di Jl. Merdeka No. 5 pukul 10.30 WIB. Dia disambut Prof. Dr. Budi.\n"
        "Lalu mereka makan siang; harga Rp16.750 per porsi.\n\n",
        "Gempa di Cianjur\nWarga mengungsi… Bantuan tiba. “Kapan?” tanya Hasan.\n\n",
        "Pemerintah akan menaikkan harga bahan bakar minyak mulai\n"
        "bulan depan, kata menteri keuangan kepada wartawan. Keputusan\n"
        "itu diambil setelah rapat kabinet yang berlangsung lama.\n\n"};
    sl__buf b = SL__BUF_INIT;
    for (size_t i = 0; b.len < 3u << 19; i++)
        ck_assert(sl__buf_puts(&b, paras[i % 3]));
    path = temp_file(sl__buf_cstr(&b));
    expect_stream_same("id", path, b.data, b.len);

    /* the function can stop it */
    sl_segmenter *seg = new_segmenter("id");
    sl_error err;
    sl_error_clear(&err);
    size_t calls = 0;
    ck_assert(sl_segment_file(seg, path, stop_at_third, &calls, &err) == SL_IO);
    ck_assert_uint_eq(calls, 3);
    unlink(path);
    free(path);

    /* a bad byte late in the file: its offset in the file and its line */
    b.data[(5u << 18) + 5] = '\xff';
    size_t line = 1;
    for (size_t i = 0; i < (5u << 18) + 5; i++)
        line += b.data[i] == '\n';
    path = temp_file(sl__buf_cstr(&b));
    calls = 10; /* never stop */
    sl_error_clear(&err);
    ck_assert(sl_segment_file(seg, path, stop_at_third, &calls, &err) == SL_ENCODING);
    char want[128];
    snprintf(want, sizeof want, "invalid UTF-8 at byte offset %zu (line %zu,",
             (size_t)(5u << 18) + 5, line);
    ck_assert_msg(strstr(sl_error_message(&err), want), "<%s> not in <%s>", want,
                  sl_error_message(&err));
    unlink(path);
    free(path);
    sl__buf_free(&b);

    /* empty, blank, UTF-16 and missing files */
    static const char *const bad[] = {"", " \n\t\n", "\xff\xfeI\x00"};
    static const sl_status codes[] = {SL_EMPTY, SL_EMPTY, SL_ENCODING};
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        path = temp_file(bad[i]);
        sl_error_clear(&err);
        calls = 10;
        ck_assert_int_eq(sl_segment_file(seg, path, stop_at_third, &calls, &err), codes[i]);
        unlink(path);
        free(path);
    }
    ck_assert_int_eq(sl_segment_file(seg, "/nonexistent/x.txt", stop_at_third, &calls, &err),
                     SL_NOTFOUND);
    sl_segmenter_free(seg);
}
END_TEST

static char *repeat(const char *unit, size_t total, size_t *len);

/* Hard-wrapped text without blank lines, longer than a streaming piece:
 * the pieces must not cut its sentences (nor its paragraphs) apart. */
START_TEST(test_stream_wrapped)
{
    static const char block[] =
        "Pemerintah akan menaikkan harga bahan bakar minyak mulai\n"
        "bulan depan, kata menteri keuangan kepada para wartawan di\n"
        "Jakarta kemarin.\n"
        "Keputusan itu diambil setelah rapat kabinet yang berlangsung\n"
        "lama di istana presiden pada hari Senin.\n"
        "Harga baru berlaku untuk semua jenis bensin dan solar, dan\n"
        "pemerintah daerah diminta mengawasi penjualan di setiap pompa\n"
        "bensin.\n";
    size_t len;
    char *body = repeat(block, 5u << 19, &len); /* 2.5 MiB */
    /* short lines in front move the piece ends to other lines of the block */
    for (size_t k = 0; k <= 20; k += 10) {
        char *text = malloc(len + 8 * k + 1);
        ck_assert_ptr_nonnull(text);
        for (size_t i = 0; i < k; i++)
            memcpy(text + 8 * i, "Berita.\n", 8);
        memcpy(text + 8 * k, body, len + 1);
        char *path = temp_file(text);
        expect_stream_same("id", path, text, len + 8 * k);
        unlink(path);
        free(path);
        free(text);
    }
    free(body);
}
END_TEST

/* ---- the sample article pair */

static char *read_sample(const char *name, size_t *len)
{
    const char *top = getenv("TOP_SRCDIR");
    char path[4096];
    if (top && *top)
        snprintf(path, sizeof path, "%s/tm/%s", top, name);
    else
        snprintf(path, sizeof path, "%s/../tm/%s", SL_SRCDATADIR, name);
    sl_error err;
    sl_error_clear(&err);
    char *text = NULL;
    ck_assert_msg(sl_text_read_file(path, &text, len, &err) == SL_OK, "%s",
                  sl_error_message(&err));
    return text;
}

static void expect_article(const char *lang, const char *file, const struct want *w, size_t n)
{
    size_t len = 0;
    char *text = read_sample(file, &len);
    expect_segments(lang, text, len, w, n, __LINE__);
    sl_free(text);
}

START_TEST(test_article_id)
{
    static const struct want w[] = {
        {"Presiden Rusia mengirim telegram kepada pemimpin Korea Utara, menyatakan tahun 2025 "
         "mempunyai “makna khusus” bagi hubungan kedua negara.",
         0},
        {"Presiden Rusia Vladimir Putin mengirimkan ucapan Tahun Baru kepada pemimpin Korea Utara "
         "Kim Jong Un, dan memuji tahun lalu sebagai salah satu tahun baru “makna khusus” untuk "
         "hubungan bilateral antara Moskow dan Pyongyang dan memperdalam kemitraan strategis.",
         1},
        {"Dalam sebuah telegram diterbitkan oleh Kantor Berita Pusat Korea (KCNA) pada hari Kamis, "
         "Putin mengatakan hubungan tersebut akan terjadi “berkontribusi dalam membangun tatanan "
         "yang adil di dunia multi-kutub.”",
         2},
        {"“Satu tahun terakhir ini merupakan tahun yang sangat penting dalam hubungan antara "
         "Moskow dan Pyongyang,” kata Presiden Rusia, mengutip apresiasi Moskow atas bantuan "
         "militer Korea Utara dalam menangkis serangan besar-besaran Ukraina di Wilayah Kursk.",
         3},
        {"Itu “entri heroik” tentara Korea Utara ke medan perang dan pekerjaan selanjutnya yang "
         "dilakukan oleh para insinyur tempur Korea Utara “Jelas membuktikan persahabatan yang tak "
         "terkalahkan dan persaudaraan militan” antara kedua negara, kata Putin.",
         4},
        {"Militer Rusia melaporkan pada bulan April bahwa pasukan Ukraina telah diusir sepenuhnya "
         "dari Wilayah Kursk, dan untuk pertama kalinya mengakui peran pasukan Korea Utara dalam "
         "operasi tersebut.",
         5},
        {"Pihak berwenang Rusia telah berjanji untuk mendirikan sebuah monumen di Moskow untuk "
         "mengenang tentara yang dikerahkan oleh Pyongyang yang tewas dalam mempertahankan wilayah "
         "Rusia.",
         5},
        {"Putin juga mengatakan, berkat upaya bersama, ketentuan tersebut “bersejarah” perjanjian "
         "tentang kemitraan strategis yang komprehensif telah “dipenuhi dengan cara yang "
         "terencana.”",
         6},
        {"Ditandatangani pada bulan Juni 2024, perjanjian penting tersebut mencakup klausul "
         "pembelaan bersama, yang menetapkan bahwa jika salah satu pihak tunduk pada “invasi "
         "bersenjata,” keinginan yang lain “memberikan bantuan militer dan lainnya… tanpa "
         "penundaan.”",
         6},
        {"Pemimpin Rusia telah menyatakan keyakinannya bahwa Moskow dan Pyongyang akan melanjutkan "
         "kerja sama konstruktif mereka, dengan memperhatikan penguatan hubungan di bidang "
         "politik, perdagangan, ekonomi, kemanusiaan dan bidang lainnya.",
         7},
    };
    expect_article("id", "article.id.txt", w, N_ELEMS(w));
}
END_TEST

START_TEST(test_article_en)
{
    static const struct want w[] = {
        {"The Russian president sent a telegram to the North Korean leader, stating that 2025 had "
         "a “special significance” for relations between the two countries.",
         0},
        {"Russian President Vladimir Putin sent New Year greetings to North Korean leader Kim Jong "
         "Un, and praised the past year as one of “special significance” for bilateral relations "
         "between Moscow and Pyongyang and for deepening their strategic partnership.",
         1},
        {"In a telegram published by the Korean Central News Agency (KCNA) on Thursday, Putin said "
         "the relationship would “contribute to building a just order in a multipolar world.”",
         2},
        {"“The past year has been a very important year in relations between Moscow and "
         "Pyongyang,” the Russian President said, citing Moscow's appreciation for North Korea's "
         "military assistance in repelling Ukraine's large-scale offensive in the Kursk Region.",
         3},
        {"The “heroic entry” of North Korean soldiers onto the battlefield and the subsequent work "
         "carried out by North Korean combat engineers “clearly proves the invincible friendship "
         "and militant brotherhood” between the two countries, Putin said.",
         4},
        {"The Russian military reported in April that Ukrainian forces had been completely driven "
         "out of the Kursk Region, and for the first time acknowledged the role of North Korean "
         "troops in the operation.",
         5},
        {"Russian authorities have pledged to erect a monument in Moscow to commemorate the "
         "soldiers deployed by Pyongyang who died defending Russian territory.",
         5},
        {"Putin also said that, thanks to joint efforts, the provisions of the “historic” treaty "
         "on comprehensive strategic partnership had been “fulfilled in a planned manner.”",
         6},
        {"Signed in June 2024, the landmark treaty includes a mutual defence clause, which "
         "stipulates that if one of the parties is subjected to an “armed invasion,” the other "
         "shall “provide military and other assistance… without delay.”",
         6},
        {"The Russian leader expressed his confidence that Moscow and Pyongyang will continue "
         "their constructive cooperation, with attention to strengthening ties in the political, "
         "trade, economic, humanitarian and other spheres.",
         7},
    };
    expect_article("en", "article.en.txt", w, N_ELEMS(w));
}
END_TEST

/* ---- robustness: odd and large input must neither crash nor take long */

static char *repeat(const char *unit, size_t total, size_t *len)
{
    size_t k = strlen(unit), n = total / k;
    char *s = malloc(n * k + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * k, unit, k);
    s[n * k] = '\0';
    *len = n * k;
    return s;
}

START_TEST(test_robust_large)
{
    size_t len;
    char *s = repeat(".", 1 << 20, &len);
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), 1);
    free(s);
    s = repeat("a?", 1 << 20, &len); /* a boundary after every '?' */
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), len / 2);
    free(s);
    s = repeat("https://x.id/a?b=c.D&", 1 << 20, &len); /* one long URL */
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), 1);
    free(s);
    s = repeat("Kata… Lalu ", 1 << 20, &len);
    /* "Kata…" | "Lalu Kata…" ... | "Lalu" */
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), len / strlen("Kata… Lalu ") + 1);
    free(s);
    s = repeat("”", 1 << 20, &len);
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), 1);
    free(s);
    s = repeat("x.\r\n", 1 << 20, &len);
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), len / 4);
    free(s);
}
END_TEST

/* ICU reads whole lines at a time as UTF-16 (1 MiB windows): offsets after
 * characters outside the BMP, line separators other than LF, window ends,
 * and a line too long for a window all keep the sentences right. */
START_TEST(test_windows)
{
    EXPECT("id", "Saya suka 😀. Dia pergi.\xe2\x80\xa8" "Ini 𝐀𝐁. Itu 日本語!\r\nLagi? Ya.\xc2\x85" "Akhir 🇮🇩.",
           {"Saya suka 😀.", 0}, {"Dia pergi.", 0}, {"Ini 𝐀𝐁.", 1}, {"Itu 日本語!", 1},
           {"Lagi?", 2}, {"Ya.", 2}, {"Akhir 🇮🇩.", 3});
    static const char line[] = "Satu 😀 dua. Tiga “empat” lima.\n";
    size_t len;
    char *s = repeat(line, 3u << 20, &len); /* three windows and more */
    sl_sentences *out = segment("id", s, len, __LINE__);
    size_t lines = len / (sizeof line - 1);
    ck_assert_uint_eq(sl_sentences_count(out), 2 * lines);
    for (size_t i = 0; i < 2 * lines; i++)
        ck_assert_str_eq(sl_sentences_text(out, i), i % 2 ? "Tiga “empat” lima." : "Satu 😀 dua.");
    sl_sentences_free(out);
    free(s);
    s = repeat("Ab 😀 c. ", 9u << 19, &len); /* one line longer than a window may be */
    ck_assert_uint_eq(count_sentences("id", s, len, __LINE__), len / strlen("Ab 😀 c. "));
    free(s);
}
END_TEST

START_TEST(test_robust_odd)
{
    static const char *const odd[] = {
        "?!?!...!!!…", "“", "\"", "”Dr.", "(((", ")))", ". . .", "… … …", "A.", ".A", "?”",
        "Dr.", "et al.", "@", "://", "www.", "1.", "\xe2\x80\xa8\xe2\x80\xa8x\xc2\x85y",
        "x\r", "\r\n", "\n\nx\n\n\ny\n", "a\xc2\xa0.\xc2\xa0" "B", "。你好。再见。",
    };
    for (size_t i = 0; i < N_ELEMS(odd); i++)
        count_sentences("id", odd[i], strlen(odd[i]), __LINE__);
    EXPECT("id", "?!?! Ya.", {"?!?!", 0}, {"Ya.", 0});
    EXPECT("id", "“", {"“", 0});

    /* a deterministic jumble of tricky pieces */
    static const char *const pieces[] = {
        ".", " ", "…", "”", "“", "?", "!", "\n", "\r\n", "\r", "A", "a", "1", "Dr.", "dll.",
        "@", "://", "\xc2\xa0", "\xe2\x80\xa8", "(", ")", "\"", "'", "et al.", "www.", "No.",
        "D.W.", "...", "\t", "Ü", "ß", "中", "。", "Jl.", "AS.", "10.30",
    };
    char *buf = malloc(1 << 20);
    ck_assert_ptr_nonnull(buf);
    unsigned long x = 12345;
    for (int round = 0; round < 4; round++) {
        size_t len = 0;
        while (len < (1u << 20) - 16) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            const char *p = pieces[(x >> 33) % N_ELEMS(pieces)];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
        count_sentences(round % 2 ? "en" : "id", buf, len, __LINE__);
    }
    free(buf);
}
END_TEST

static Suite *segment_suite(void)
{
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("indonesian");
    tcase_add_test(tc, test_id_titles);
    tcase_add_test(tc, test_id_numeric_prefix);
    tcase_add_test(tc, test_id_final_class);
    tcase_add_test(tc, test_id_whole_word);
    tcase_add_test(tc, test_id_capitalised_variant);
    tcase_add_test(tc, test_id_numbers);
    tcase_add_test(tc, test_id_initials);
    tcase_add_test(tc, test_id_speech_verb);
    tcase_add_test(tc, test_id_ellipsis);
    tcase_add_test(tc, test_id_url_email);
    tcase_add_test(tc, test_id_list_markers);
    tcase_add_test(tc, test_id_company_forms);
    tcase_add_test(tc, test_glued_stops);
    tcase_add_test(tc, test_citations);
    tcase_add_test(tc, test_en_added_abbreviations);
    tcase_add_test(tc, test_lower_case_start);
    tcase_add_test(tc, test_issue_behaviours);
    tcase_add_test(tc, test_bom_lossless);
    tcase_add_test(tc, test_initials_before_starter);
    tcase_add_test(tc, test_connectives);
    tcase_add_test(tc, test_addresses_and_emoticons);
    tcase_add_test(tc, test_detached_quotes_and_file_names);
    tcase_add_test(tc, test_roman_after_number_prefix);
    suite_add_tcase(s, tc);

    tc = tcase_create("lines");
    tcase_add_test(tc, test_headline_blank_line_mode);
    tcase_add_test(tc, test_blank_line_mode);
    tcase_add_test(tc, test_line_mode);
    tcase_add_test(tc, test_hard_wrapped);
    tcase_add_test(tc, test_crlf);
    tcase_add_test(tc, test_spans);
    tcase_add_test(tc, test_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("srx");
    tcase_add_test(tc, test_srx_rules);
    tcase_add_test(tc, test_srx_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("stream");
    tcase_set_timeout(tc, 120); /* megabytes of text under valgrind or ASan */
    tcase_add_test(tc, test_stream);
    tcase_add_test(tc, test_stream_wrapped);
    suite_add_tcase(s, tc);

    tc = tcase_create("english");
    tcase_add_test(tc, test_en);
    suite_add_tcase(s, tc);

    tc = tcase_create("setup");
    tcase_add_test(tc, test_bad_language);
    tcase_add_test(tc, test_language_tags);
    tcase_add_test(tc, test_data_files);
    tcase_add_test(tc, test_bad_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("article");
    tcase_add_test(tc, test_article_id);
    tcase_add_test(tc, test_article_en);
    suite_add_tcase(s, tc);

    tc = tcase_create("robust");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_robust_large);
    tcase_add_test(tc, test_windows);
    tcase_add_test(tc, test_robust_odd);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run(segment_suite());
}
