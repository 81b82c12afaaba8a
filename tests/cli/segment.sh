#!/bin/sh
# selaras segment on the sample article pair against hand-written sentences.
. "$TOP_SRCDIR/tests/cli/lib.sh"

expect_status 0 "segment id" -- selaras segment --lang id "$ID_TXT"
expect_same "$DATA/article.id.sents" "$tmp/out" "Indonesian segmentation"
[ -s "$tmp/err" ] && fail "segment wrote to stderr: $(cat "$tmp/err")"

expect_status 0 "segment en" -- selaras segment --lang en "$EN_TXT"
expect_same "$DATA/article.en.sents" "$tmp/out" "English segmentation"

# default language is id, and - reads standard input
selaras segment <"$ID_TXT" >"$tmp/stdin.out" 2>"$tmp/err" || fail "segment from stdin failed"
expect_same "$DATA/article.id.sents" "$tmp/stdin.out" "segmentation of standard input"
selaras segment - <"$ID_TXT" >"$tmp/dash.out" 2>"$tmp/err" || fail "segment - failed"
expect_same "$DATA/article.id.sents" "$tmp/dash.out" "segmentation of -"

# CRLF line ends and a UTF-8 byte order mark give the same sentences
printf '\357\273\277' >"$tmp/crlf.txt"
sed 's/$/\r/' "$ID_TXT" >>"$tmp/crlf.txt"
expect_status 0 "segment CRLF+BOM" -- selaras segment "$tmp/crlf.txt"
expect_same "$DATA/article.id.sents" "$tmp/out" "segmentation of a CRLF file with BOM"

# blank-line paragraphs and a headline without a full stop
printf 'Gempa di Cianjur\nWarga mengungsi. Bantuan tiba pukul 10.30 WIB.\n\nProf. Dr. Ir. H. Budi datang ke Jl. Sudirman No. 5.\n' >"$tmp/p.txt"
printf 'Gempa di Cianjur\n\nWarga mengungsi.\nBantuan tiba pukul 10.30 WIB.\n\nProf. Dr. Ir. H. Budi datang ke Jl. Sudirman No. 5.\n' >"$tmp/p.expected"
expect_status 0 "segment paragraphs" -- selaras segment "$tmp/p.txt"
expect_same "$tmp/p.expected" "$tmp/out" "paragraph and abbreviation handling"
# other languages: ICU's rules for the locale plus the data file that exists
printf 'Dr. Ahmad tinggal di Jln. Ampang, Kuala Lumpur. Beliau berkata, "Saya gembira!" Kemudian dia pergi dll. semalam.\n' >"$tmp/ms.txt"
printf 'Dr. Ahmad tinggal di Jln. Ampang, Kuala Lumpur.\nBeliau berkata, "Saya gembira!"\nKemudian dia pergi dll. semalam.\n' >"$tmp/ms.expected"
expect_status 0 "segment --lang ms" -- selaras segment --lang ms "$tmp/ms.txt"
expect_same "$tmp/ms.expected" "$tmp/out" "Malay segmentation"
printf 'M. Dupont habite au 5, bd. Haussmann, p. ex. chez MM. Durand. Il a dit « Bonjour ! » puis il est parti. Voir p. 12 etc. Fin.\n' >"$tmp/fr.txt"
printf 'M. Dupont habite au 5, bd. Haussmann, p. ex. chez MM. Durand.\nIl a dit « Bonjour ! » puis il est parti.\nVoir p. 12 etc.\nFin.\n' >"$tmp/fr.expected"
expect_status 0 "segment --lang fr" -- selaras segment --lang fr "$tmp/fr.txt"
expect_same "$tmp/fr.expected" "$tmp/out" "French segmentation"
# a language without data files gets ICU's rules and the general ones
printf 'Er kam um 10 Uhr. Dann ging er.\n' | selaras segment --lang de >"$tmp/de.out" 2>"$tmp/err" ||
    fail "segment --lang de failed: $(cat "$tmp/err")"
printf 'Er kam um 10 Uhr.\nDann ging er.\n' >"$tmp/de.expected"
expect_same "$tmp/de.expected" "$tmp/de.out" "German segmentation"

# a hard-wrapped e-mail: wrapped lines are joined, the short sign-off is not
printf 'Pemerintah akan menaikkan harga bahan bakar minyak mulai\r\nbulan depan, kata menteri keuangan kepada wartawan. Keputusan\r\nitu diambil setelah rapat kabinet yang berlangsung lama.\r\nSalam,\r\nBudi\r\n' >"$tmp/wrap.txt"
printf 'Pemerintah akan menaikkan harga bahan bakar minyak mulai bulan depan, kata menteri keuangan kepada wartawan.\nKeputusan itu diambil setelah rapat kabinet yang berlangsung lama.\n\nSalam,\n\nBudi\n' >"$tmp/wrap.expected"
expect_status 0 "segment hard-wrapped" -- selaras segment "$tmp/wrap.txt"
expect_same "$tmp/wrap.expected" "$tmp/out" "hard-wrapped paragraphs"

# input errors on the streaming path: one line naming the file, exit 1, no text
seg_error() {  # seg_error DESCRIPTION EXPECTED_TEXT FILE
    expect_status 1 "$1" -- selaras segment "$3"
    expect_stderr "$2"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$1: expected one line, got: $(cat "$tmp/err")"
}
printf 'Ini kalimat pertama.\nDan ini \377 rusak.\n' >"$tmp/bad.txt"
seg_error "invalid UTF-8" "bad.txt: invalid UTF-8 at byte offset 29 (line 2" "$tmp/bad.txt"
printf 'a\000b\n' >"$tmp/nul.txt"
seg_error "NUL byte" "nul.txt: NUL byte at byte offset 1" "$tmp/nul.txt"
printf '\377\376I\000n\000i\000\n\000' >"$tmp/utf16.txt"
seg_error "UTF-16" "utf16.txt: the file is UTF-16" "$tmp/utf16.txt"
: >"$tmp/empty.txt"
seg_error "empty file" "empty.txt: the file is empty" "$tmp/empty.txt"
printf '  \n\t\n' >"$tmp/blank.txt"
seg_error "blank file" "blank.txt: the file is empty" "$tmp/blank.txt"
mkdir "$tmp/dir"
seg_error "directory" "dir: is a directory" "$tmp/dir"
seg_error "missing file" "missing.txt: cannot open" "$tmp/missing.txt"
# a malformed data file: its name and line and what to do, exit 1, no output
mkdir "$tmp/data"
printf '# test\nDr.\tP\tX\nJl\tP\tX\n' >"$tmp/data/id.abbrev"
saved_datadir=$SELARAS_DATADIR
SELARAS_DATADIR="$tmp/data"; export SELARAS_DATADIR
expect_status 1 "malformed id.abbrev" -- selaras segment "$ID_TXT"
expect_stderr "data/id.abbrev:3: abbreviation 'Jl' does not end in a full stop (add it or remove the line)"
[ -s "$tmp/out" ] && fail "output despite a malformed data file"
printf 'Dr.\tP\tX\n' >"$tmp/data/id.abbrev"
printf 'Namun\tC\nDi mana\tS\n' >"$tmp/data/id.starters"
expect_status 1 "malformed id.starters" -- selaras segment "$ID_TXT"
expect_stderr "data/id.starters:2: expected WORD<TAB>S or WORD<TAB>C, found 'Di mana"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "malformed id.starters: expected one line, got: $(cat "$tmp/err")"
SELARAS_DATADIR=$saved_datadir
finish
