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
finish
