#!/bin/sh
# --srx on segment, align and add: a hand-written SRX file and one in the
# layout OmegaT writes; malformed files are refused with the line.
. "$TOP_SRCDIR/tests/cli/lib.sh"

RULES="$DATA/rules.srx"
OMEGAT="$DATA/omegat-style.srx"

# Indonesian: titles kept, ";" breaks (the file's rules), cascaded generic breaks
printf 'Prof. Dr. Budi tinggal di Jl. Merdeka. Dia datang; kami pulang. “Kapan?” tanya dia. Mr. X pergi.\n' >"$tmp/id.txt"
printf 'Prof. Dr. Budi tinggal di Jl. Merdeka.\nDia datang;\nkami pulang.\n“Kapan?” tanya dia.\nMr.\nX pergi.\n' >"$tmp/id.expected"
expect_status 0 "segment --srx" -- selaras segment --srx "$RULES" "$tmp/id.txt"
expect_same "$tmp/id.expected" "$tmp/out" "segmentation with rules.srx"

# English: the "english" map, then the generic one; ";" does not break
printf 'Mr. Smith and Dr. Jones left. They came back; we stayed. Prof. X went.\n' >"$tmp/en.txt"
printf 'Mr. Smith and Dr. Jones left.\nThey came back; we stayed.\nProf.\nX went.\n' >"$tmp/en.expected"
expect_status 0 "segment --lang en --srx" -- selaras segment --lang en --srx "$RULES" "$tmp/en.txt"
expect_same "$tmp/en.expected" "$tmp/out" "English segmentation with rules.srx"

# OmegaT layout, cascade off: ID.* matches id (case ignored), fr gets Default only
printf 'Ada pena, dll. dan buku No. 5 di sini. Kami pulang! Besok? ya.\n' >"$tmp/o.txt"
printf 'Ada pena, dll. dan buku No. 5 di sini.\nKami pulang!\nBesok? ya.\n' >"$tmp/o.expected"
expect_status 0 "segment --srx omegat" -- selaras segment --srx "$OMEGAT" "$tmp/o.txt"
expect_same "$tmp/o.expected" "$tmp/out" "segmentation with OmegaT-style rules"
printf 'Ada pena, dll.\ndan buku No.\n5 di sini.\nKami pulang!\nBesok?\nya.\n' >"$tmp/o.fr.expected"
expect_status 0 "segment --lang fr --srx omegat" -- selaras segment --lang fr --srx "$OMEGAT" "$tmp/o.txt"
expect_same "$tmp/o.fr.expected" "$tmp/out" "Default rules of the OmegaT-style file"

# align and add take the same option
printf 'Dia datang; kami pulang.\n' >"$tmp/a.id"
printf 'He came.\nWe went home.\n' >"$tmp/a.en"
expect_status 0 "align --srx" -- selaras align --srx "$RULES" --format beads "$tmp/a.id" "$tmp/a.en"
printf '0\t0\n1\t1\n' >"$tmp/a.expected"
cut -f1,2 "$tmp/out" >"$tmp/a.out"
expect_same "$tmp/a.expected" "$tmp/a.out" "beads of align --srx"
expect_status 0 "add --srx" -- selaras add --db "$tmp/tm.db" --srx "$RULES" "$tmp/a.id" "$tmp/a.en"
expect_status 0 "stats after add --srx" -- selaras stats --db "$tmp/tm.db" --format json
grep -q '"units":2' "$tmp/out" || fail "add --srx did not store two units: $(cat "$tmp/out")"

# errors: one line naming the file and line, non-zero exit, no output
printf '<?xml version="1.0"?>\n<srx version="2.0">\n<body>\n<languagerules>\n</body></srx>\n' >"$tmp/bad.srx"
expect_status 1 "malformed SRX" -- selaras segment --srx "$tmp/bad.srx" "$tmp/id.txt"
expect_stderr "bad.srx:5: Opening and ending tag mismatch"
[ -s "$tmp/out" ] && fail "output despite a malformed SRX file"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "more than one line on stderr: $(cat "$tmp/err")"
printf '<srx version="2.0"><body><languagerules><languagerule languagerulename="a">\n<rule><beforebreak>(x</beforebreak></rule></languagerule></languagerules><maprules><languagemap languagepattern=".*" languagerulename="a"/></maprules></body></srx>\n' >"$tmp/re.srx"
expect_status 1 "bad regex" -- selaras segment --srx "$tmp/re.srx" "$tmp/id.txt"
expect_stderr "re.srx:2: bad regular expression in beforebreak '(x'"
before=$(fingerprint "$tmp/tm.db")
expect_status 1 "add with a bad SRX file" -- selaras add --db "$tmp/tm.db" --srx "$tmp/re.srx" "$tmp/id.txt" "$tmp/en.txt"
[ "$(fingerprint "$tmp/tm.db")" = "$before" ] || fail "add with a bad SRX file changed the TM"
# a rule that backtracks without end fails with its line instead of hanging
printf '<srx version="2.0"><body><languagerules><languagerule languagerulename="a">\n<rule><beforebreak>(a+)+b</beforebreak></rule></languagerule></languagerules><maprules><languagemap languagepattern=".*" languagerulename="a"/></maprules></body></srx>\n' >"$tmp/slow.srx"
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n' >"$tmp/slow.txt"
expect_status 1 "backtracking SRX rule" -- selaras segment --srx "$tmp/slow.srx" "$tmp/slow.txt"
expect_stderr "slow.srx:2: this rule's regular expression takes too long"
expect_status 1 "missing SRX" -- selaras segment --srx "$tmp/none.srx" "$tmp/id.txt"
expect_stderr "none.srx"
finish
