#!/bin/sh
# Bad-input matrix, text inputs.  errors.sh has the rows for a missing file,
# a directory, invalid UTF-8, an empty or blank file, a NUL byte and UTF-16
# with a byte order mark; these are the others.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/bad-lib.sh"
db="$tmp/tm.db"
make_tm "$db"
add() { selaras add --db "$db" "$@"; }

# UTF-16 without a byte order mark: "Ini.\n" both ways round
printf 'I\000n\000i\000.\000\n\000' >"$tmp/le.txt"
row "UTF-16LE, no BOM" 1 "le.txt: the file looks like UTF-16 without a byte order mark.*UTF-16LE" "$db" -- add "$tmp/le.txt" "$EN_TXT"
printf '\000I\000n\000i\000.\000\n' >"$tmp/be.txt"
row "UTF-16BE, no BOM" 1 "be.txt: the file looks like UTF-16 without a byte order mark.*UTF-16BE" "$db" -- add "$ID_TXT" "$tmp/be.txt"
printf '\376\377\000I\000n\000i' >"$tmp/bebom.txt"
row "UTF-16BE with BOM" 1 "bebom.txt: the file is UTF-16 (byte order mark found)" "$db" -- add "$tmp/bebom.txt" "$EN_TXT"

# binary files: an ELF header has a NUL at byte 7; a PNG starts with 0x89
printf '\177ELF\002\001\001\000\000\000' >"$tmp/prog"
row "ELF binary" 1 "prog: NUL byte at byte offset 7 (line 1)" "$db" -- add "$tmp/prog" "$EN_TXT"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$tmp/img.png"
row "PNG image" 1 "img.png: invalid UTF-8 at byte offset 0 (line 1, byte 0x89)" "$db" -- add "$ID_TXT" "$tmp/img.png"
# a device would be read forever
row "device" 1 "/dev/zero: not a regular file" "$db" -- add /dev/zero "$EN_TXT"

# no read permission (as nobody when root, who may read anything)
printf 'Ini kalimat.\n' >"$tmp/secret.txt"
chmod 0000 "$tmp/secret.txt"
chmod 0755 "$tmp"
row "no read permission" 1 "secret.txt: cannot open: Permission denied" "$db" -- \
    $as_nobody ${SELARAS_WRAPPER:-} "$SELARAS" segment "$tmp/secret.txt"
row "no read permission, add" 1 "secret.txt: cannot open: Permission denied" "$db" -- \
    $as_nobody ${SELARAS_WRAPPER:-} "$SELARAS" add --db "$db" "$ID_TXT" "$tmp/secret.txt"

# a FIFO is read to its end like a file (so <(command) works); the writer
# is started first and given up on after a while so that nothing can hang
mkfifo "$tmp/fifo" || fail "mkfifo"
(timeout 60 cat "$ID_TXT" >"$tmp/fifo") &
expect_status 0 "FIFO" -- timeout 60 ${SELARAS_WRAPPER:-} "$SELARAS" segment "$tmp/fifo"
wait
selaras segment "$ID_TXT" >"$tmp/direct.out"
expect_same "$tmp/direct.out" "$tmp/out" "segmenting through a FIFO"
(sleep 1; timeout 60 printf 'Ini \377.\n' >"$tmp/fifo") &
row "FIFO with a late writer and invalid UTF-8" 1 "fifo: invalid UTF-8 at byte offset 4" "$db" -- \
    timeout 60 ${SELARAS_WRAPPER:-} "$SELARAS" add --db "$db" "$tmp/fifo" "$EN_TXT"
wait
(timeout 60 sh -c ": >'$tmp/fifo'") &
row "FIFO closed without data" 1 "fifo: the file is empty" "$db" -- \
    timeout 60 ${SELARAS_WRAPPER:-} "$SELARAS" add --db "$db" "$ID_TXT" "$tmp/fifo"
wait

# CRLF line ends: the same sentences and units as with LF
sed 's/$/\r/' "$ID_TXT" >"$tmp/crlf.id"
sed 's/$/\r/' "$EN_TXT" >"$tmp/crlf.en"
expect_status 0 "CRLF segment" -- selaras segment "$tmp/crlf.id"
expect_same "$tmp/direct.out" "$tmp/out" "segmenting CRLF text"
expect_status 0 "CRLF add" -- add "$tmp/crlf.id" "$tmp/crlf.en"
[ -s "$tmp/err" ] && fail "CRLF add: $(cat "$tmp/err")"
grep -q "10 pairs stored (0 new units, 10 already in the TM)" "$tmp/out" ||
    fail "CRLF text must give the units of LF text: $(cat "$tmp/out")"
[ "$(db_state "$db")" = "ok 10" ] || fail "after CRLF add: $(db_state "$db")"
[ "$("$SQLITE3" "$db" "select count(*) from segments where instr(text, char(13)) > 0")" = 0 ] ||
    fail "a carriage return was stored"

# Big inputs, made here.  Under valgrind they would take many minutes, so
# they run the binary itself (the sanitizer build covers them).
# One 50 MB line without a sentence end: one sentence, byte for byte.
{ yes 'kata-kata bahasa Indonesia tanpa titik' | head -n 1310720 | tr '\n' ' '; echo akhir; } >"$tmp/line.txt"
[ "$(wc -c <"$tmp/line.txt")" -gt 50000000 ] || fail "the long line is too short"
expect_status 0 "50 MB line" -- "$SELARAS" segment --lang id "$tmp/line.txt"
expect_same "$tmp/line.txt" "$tmp/out" "segmenting one 50 MB line"
# The same size in 2,621,440 short sentences on one line.
{ yes 'Ini kalimat.' | head -n 2621440 | tr '\n' ' '; echo; } >"$tmp/many.txt"
expect_status 0 "50 MB line of sentences" -- "$SELARAS" segment --lang id "$tmp/many.txt"
[ "$(grep -c . "$tmp/out")" -eq 2621440 ] || fail "50 MB line: $(grep -c . "$tmp/out") sentences, expected 2621440"
[ "$(grep -vc '^Ini kalimat\.$' "$tmp/out")" -eq 0 ] || fail "50 MB line: a sentence is not 'Ini kalimat.'"
rm -f "$tmp/line.txt" "$tmp/many.txt"

# 1,000,000 one-word lines: each its own paragraph and sentence.
awk 'BEGIN { for (i = 1; i <= 1000000; i++) print "kata" i }' >"$tmp/words.id"
awk 'BEGIN { for (i = 1; i <= 1000000; i++) print "word" i }' >"$tmp/words.en"
expect_status 0 "1,000,000 lines" -- "$SELARAS" segment --lang id "$tmp/words.id"
grep . "$tmp/out" | cmp -s - "$tmp/words.id" || fail "1,000,000 lines: the sentences are not the lines"
expect_status 0 "1,000,000 lines, align" -- "$SELARAS" align "$tmp/words.id" "$tmp/words.en"
[ "$(wc -l <"$tmp/out")" -eq 1000000 ] || fail "1,000,000 lines align: $(wc -l <"$tmp/out") beads"
cut -f1,2 "$tmp/out" | sed -n '1p;500000p;$p' | tr '\t' ' ' >"$tmp/got"
printf 'kata1 word1\nkata500000 word500000\nkata1000000 word1000000\n' >"$tmp/want"
expect_same "$tmp/want" "$tmp/got" "aligned one-word lines"
# (--force: a million words against the sample article do not look like a translation)
expect_status 0 "1,000,000 lines, add" -- "$SELARAS" add --db "$db" --force "$tmp/words.id" "$EN_TXT"
[ "$(db_state "$db" | cut -d' ' -f1)" = ok ] || fail "after the 1,000,000-line add: $(db_state "$db")"
finish
