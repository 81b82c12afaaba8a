#!/bin/sh
# The TMX rows of the bad-input matrix: each file is refused with exit status
# 1 and a one-line message naming the file (and line), and the TM is left
# exactly as it was (same bytes, integrity_check ok, same unit count).
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
db="$tmp/tm.db"
selaras import --db "$db" "$DATA/tmx/inline.tmx" >/dev/null || fail "set-up import failed"
units=$("$SQLITE3" "$db" 'select count(*) from units')
[ "$units" = 3 ] || fail "set-up: $units units"
before=$(fingerprint "$db")

HEAD='<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="id" datatype="plaintext"/>'
UNIT='<tu><tuv xml:lang="id"><seg>Satu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>'

# bad_tmx DESCRIPTION FILE EXPECTED_MESSAGE
bad_tmx() {
    what=$1; file=$2; text=$3
    expect_status 1 "$what" -- ${bt_timeout:-} ${SELARAS_WRAPPER:-} "$SELARAS" import --db "$db" "$file"
    expect_stderr "$text"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: expected a one-line message, got: $(head -c 600 "$tmp/err")"
    [ -s "$tmp/out" ] && fail "$what: something was printed on stdout: $(head -c 300 "$tmp/out")"
    [ "$(fingerprint "$db")" = "$before" ] || fail "$what: the database changed"
    [ "$("$SQLITE3" "$db" 'pragma integrity_check')" = ok ] || fail "$what: integrity check failed"
    [ "$("$SQLITE3" "$db" 'select count(*) from units')" = "$units" ] || fail "$what: the unit count changed"
}

f="$tmp/notxml.tmx"; printf 'Ini bukan XML.\nSama sekali bukan.\n' >"$f"
bad_tmx "not XML" "$f" "^selaras: $f:1: not well-formed XML: "

f="$tmp/truncated.tmx"; head -c 1500 "$DATA/tmx/inline.tmx" >"$f"
bad_tmx "truncated" "$f" "^selaras: $f:29: not well-formed XML: .* (the file ends early: is it truncated?)\$"

f="$tmp/root.tmx"; printf '<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>\n' >"$f"
bad_tmx "wrong root" "$f" "^selaras: $f:2: the root element is <xliff>, not <tmx>: not a TMX file\$"

f="$tmp/noheader.tmx"; printf '<?xml version="1.0"?>\n<tmx version="1.4">\n<body>%s</body></tmx>\n' "$UNIT" >"$f"
bad_tmx "missing header" "$f" "^selaras: $f:3: <body> without a <header> before it (TMX requires one)\$"
f="$tmp/onlyroot.tmx"; printf '<?xml version="1.0"?>\n<tmx version="1.4"/>\n' >"$f"
bad_tmx "no header at all" "$f" "^selaras: $f: no <header> (a TMX file needs one before <body>)\$"

f="$tmp/nolang.tmx"
printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>\n%s\n<tu><tuv><seg>Dua.</seg></tuv><tuv xml:lang="en"><seg>Two.</seg></tuv></tu>\n</body></tmx>\n' "$HEAD" "$UNIT" >"$f"
bad_tmx "tuv without a language" "$f" "^selaras: $f:4: a tuv without a language (xml:lang or lang); nothing was imported (--skip-bad imports the other units)\$"

# XXE: the entity is refused before anything could be read through it
f="$tmp/xxe.tmx"
printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<tmx version="1.4">%s<body>\n<tu><tuv xml:lang="id"><seg>&xxe;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>\n' "$HEAD" >"$f"
bad_tmx "external entity" "$f" "^selaras: $f:[0-9]*: the DOCTYPE declares entities (refused: selaras reads no DTD and expands no entities)\$"
grep -q 'root:' "$tmp/err" "$tmp/out" && fail "XXE: /etc/passwd leaked into the output"
"$SQLITE3" "$db" .dump | grep -q 'root:' && fail "XXE: /etc/passwd leaked into the TM"
f="$tmp/xxe-pe.tmx"
printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY %% p SYSTEM "file:///etc/passwd">\n%%p;\n]>\n<tmx version="1.4">%s<body>%s</body></tmx>\n' "$HEAD" "$UNIT" >"$f"
bad_tmx "external parameter entity" "$f" "^selaras: $f:[0-9]*: "
grep -q 'root:' "$tmp/err" "$tmp/out" && fail "XXE (parameter entity): /etc/passwd leaked"

# billion laughs: ten levels of ten references each
f="$tmp/lol.tmx"
{
    printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY lol0 "lol">\n'
    for i in 1 2 3 4 5 6 7 8 9; do
        printf '<!ENTITY lol%d "' "$i"
        for k in 1 2 3 4 5 6 7 8 9 10; do printf '&lol%d;' $((i - 1)); done
        printf '">\n'
    done
    printf ']>\n<tmx version="1.4">%s<body><tu><tuv xml:lang="id"><seg>&lol9;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>\n' "$HEAD"
} >"$f"
bad_tmx "billion laughs" "$f" "^selaras: $f:[0-9]*: "

# a 100 MB attribute value, made here
f="$tmp/bigattr.tmx"
{
    printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>\n<tu tuid="' "$HEAD"
    head -c 100000000 /dev/zero | tr '\0' 'a'
    printf '"><tuv xml:lang="id"><seg>Satu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu></body></tmx>\n'
} >"$f"
[ "$(wc -c <"$f")" -gt 100000000 ] || exit 99
bad_tmx "100 MB attribute" "$f" "^selaras: $f:[0-9]*: not well-formed XML: "
rm -f "$f"

# deeply nested elements, inside a seg and outside
f="$tmp/deep.tmx"
{
    printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>\n<tu><tuv xml:lang="id"><seg>' "$HEAD"
    i=0; while [ $i -lt 5000 ]; do printf '<hi><hi><hi><hi><hi><hi><hi><hi><hi><hi>'; i=$((i + 10)); done
    printf 'x\n'
} >"$f"
bad_tmx "deeply nested inline elements" "$f" "^selaras: $f:3: elements nested deeper than 40 levels\$"
f="$tmp/deep2.tmx"
{ printf '<?xml version="1.0"?>\n'; i=0; while [ $i -lt 300 ]; do printf '<tmx>'; i=$((i + 1)); done; printf '\n'; } >"$f"
bad_tmx "deeply nested root" "$f" "^selaras: $f:2: unsupported TMX version\\|^selaras: $f:2: the root\\|^selaras: $f:2: unexpected element <tmx> in <tmx>\$"

f="$tmp/version.tmx"; printf '<?xml version="1.0"?>\n<tmx version="2.0">%s<body>%s</body></tmx>\n' "$HEAD" "$UNIT" >"$f"
bad_tmx "unknown TMX version" "$f" "^selaras: $f:2: unsupported TMX version '2.0' (selaras reads 1.1 to 1.4)\$"

# control characters: raw, as a character reference, and through XML 1.1
f="$tmp/ctl.tmx"
printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>\n<tu><tuv xml:lang="id"><seg>Sa\001tu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu></body></tmx>\n' "$HEAD" >"$f"
bad_tmx "raw control character" "$f" "^selaras: $f:3: not well-formed XML: PCDATA invalid Char value 1\$"
f="$tmp/ctlref.tmx"
printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>\n<tu><tuv xml:lang="id"><seg>Sa&#27;tu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu></body></tmx>\n' "$HEAD" >"$f"
bad_tmx "control character reference" "$f" "^selaras: $f:3: not well-formed XML: xmlParseCharRef: invalid xmlChar value 27\$"
f="$tmp/ctl11.tmx"
printf '<?xml version="1.1"?>\n<tmx version="1.4">%s<body>\n<tu><tuv xml:lang="id"><seg>Sa&#1;tu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu></body></tmx>\n' "$HEAD" >"$f"
bad_tmx "control character in XML 1.1" "$f" "^selaras: $f:3: "

# bytes that do not match the encoding: UTF-16 with an unpaired surrogate,
# and Latin-1 bytes in a file that declares UTF-8 (libxml2 would print its
# own conversion errors on stderr; only the one message may appear)
f="$tmp/surrogate.tmx"
{ printf '\377\376'; printf '<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.4">%s<body>\n%s\n' "$HEAD" "$UNIT" | iconv -f UTF-8 -t UTF-16LE
  printf '<\000s\000e\000g\000>\000\000\330a\000'; } >"$f"
bad_tmx "unpaired UTF-16 surrogate" "$f" "^selaras: $f:[0-9]*: not well-formed XML: .*(the bytes do not match the file's encoding: .*save the TMX as UTF-8, or as UTF-16 with a byte order mark)\$"
f="$tmp/latin1.tmx"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">%s<body>\n<tu><tuv xml:lang="id"><seg>Caf\351.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu></body></tmx>\n' "$HEAD" >"$f"
bad_tmx "Latin-1 bytes in UTF-8" "$f" "^selaras: $f:3: "

# a tu with 300,000 attributes (libxml2 compares them pair by pair: this
# ran for minutes), in UTF-8 and UTF-16, and encodings that would hide such
# a tag from selaras's scan of the bytes
bt_timeout="timeout 60"
f="$tmp/attrs.tmx"
{ printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>\n<tu' "$HEAD"
  awk 'BEGIN { for (i = 0; i < 300000; i++) printf " a%d=\"x\"", i }'
  printf '><tuv xml:lang="id"><seg>Satu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu></body></tmx>\n'; } >"$f"
bad_tmx "300,000 attributes" "$f" "^selaras: $f:3: an element with more than 256 attributes (refused: TMX elements have a few)\$"
{ printf '\377\376'; sed 's/version="1.0"?>/version="1.0" encoding="UTF-16"?>/' "$f" | iconv -f UTF-8 -t UTF-16LE; } >"$tmp/attrs16.tmx"
bad_tmx "300,000 attributes, UTF-16" "$tmp/attrs16.tmx" "^selaras: $tmp/attrs16.tmx:3: an element with more than 256 attributes"
rm -f "$f" "$tmp/attrs16.tmx"
f="$tmp/utf7.tmx"; printf '<?xml version="1.0" encoding="UTF-7"?>\n<tmx version+AD0-"1.4">%s<body>%s</body></tmx>\n' "$HEAD" "$UNIT" >"$f"
bad_tmx "UTF-7" "$f" "^selaras: $f:1: the encoding 'UTF-7' is not supported (save the TMX as UTF-8)\$"
f="$tmp/ebcdic.tmx"
# (iconv without its IBM037 module cannot make one)
if printf '<?xml version="1.0"?>\n<tmx version="1.4">%s<body>%s</body></tmx>\n' "$HEAD" "$UNIT" |
    iconv -f UTF-8 -t IBM037 >"$f" 2>/dev/null; then
    bad_tmx "EBCDIC" "$f" "^selaras: $f:1: the encoding 'EBCDIC' is not supported (save the TMX as UTF-8)\$"
fi
bt_timeout=

# and the paths themselves
bad_tmx "missing file" "$tmp/missing.tmx" "^selaras: $tmp/missing.tmx: cannot open: No such file or directory\$"
mkdir "$tmp/dir.tmx"
bad_tmx "directory" "$tmp/dir.tmx" "^selaras: $tmp/dir.tmx: is a directory, not a TMX file\$"
: >"$tmp/empty.tmx"
bad_tmx "empty file" "$tmp/empty.tmx" "^selaras: $tmp/empty.tmx:[0-9]*: not well-formed XML: "
# no TM is created for a bad file
expect_status 1 "bad file into a new TM" -- selaras import --db "$tmp/new.db" "$tmp/version.tmx"
[ -e "$tmp/new.db" ] && fail "a TM was created for a bad file"
finish
