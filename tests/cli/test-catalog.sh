#!/usr/bin/env bash
# test-catalog.sh: `gridline catalog WHAT` prints the loaded reference data
# as TSV, header first, one row per item, code first, in file order.
#
# Row counts and codes are compared with the data files themselves (data
# rows: lines after the header that are neither blank nor comments, as
# DATA.md defines them), and with Ningbo's real division counts.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory (also passed on as GRIDLINE_DATA); GL_SRCDIR,
# the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup catalog

# data_codes FILE: the code column of a data file, in file order.
data_codes() {
	awk -F'\t' '{ sub(/\r$/, "") }
	    FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "code") c = i; next }
	    /^#/ || /^$/ { next }
	    { print $c }' "$1"
}

# catalog WHAT: run it into $tmp/WHAT.tsv and $tmp/WHAT.err; exit code in
# $rc.
catalog() {
	run catalog "$1"
	mv "$tmp/out" "$tmp/$1.tsv"
	mv "$tmp/err" "$tmp/$1.err"
}

# check_catalog WHAT FILE COUNT: exit 0, a header starting with "code",
# every row with the header's field count, valid UTF-8, codes unique, the
# codes those of FILE in its order, and COUNT rows when COUNT is not "-".
check_catalog() {
	local what=$1 file=$2 count=$3 out="$tmp/$1.tsv" n bad

	catalog "$what"
	if [ "$rc" -ne 0 ]; then
		fail "catalog $what: exit $rc, want 0"
		head -n 5 "$tmp/$what.err" >&2
		return
	fi
	if [ "$(head -n 1 "$out" | cut -f 1)" != "code" ]; then
		fail "catalog $what: header '$(head -n 1 "$out")' does not" \
		    "start with code"
	fi
	n=$(($(wc -l <"$out") - 1))
	if [ "$count" != "-" ] && [ "$n" -ne "$count" ]; then
		fail "catalog $what: $n rows, want $count"
	fi
	bad=$(awk -F'\t' 'NR == 1 { n = NF; next } NF != n { print NR; exit }' \
	    "$out")
	if [ -n "$bad" ]; then
		fail "catalog $what: line $bad has a field count unlike the" \
		    "header"
	fi
	if command -v iconv >/dev/null &&
	    ! iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1; then
		fail "catalog $what: output is not valid UTF-8"
	fi
	if LC_ALL=C.UTF-8 grep -naxv '.*' "$out" >"$tmp/bad-utf8" 2>/dev/null \
	    && [ -s "$tmp/bad-utf8" ]; then
		fail "catalog $what: invalid UTF-8 on line" \
		    "$(cut -d: -f1 "$tmp/bad-utf8" | head -n 1)"
	fi
	if [ -n "$(tail -n +2 "$out" | cut -f 1 | sort | uniq -d | head -n 1)" ]
	then
		fail "catalog $what: duplicate codes, e.g." \
		    "$(tail -n +2 "$out" | cut -f 1 | sort | uniq -d | head -n 1)"
	fi
	if ! diff <(tail -n +2 "$out" | cut -f 1) \
	    <(data_codes "$GL_DATA/$file") >/dev/null; then
		fail "catalog $what: codes differ from $file (or its order)"
	fi
}

data_rows() {
	data_codes "$GL_DATA/$1" | wc -l
}

# Ningbo: 10 county-level divisions, 163 townships, 3,042 communities,
# 7,368 grids.
check_catalog districts districts.tsv 10
check_catalog townships townships.tsv 163
check_catalog communities communities.tsv 3042
check_catalog grids grids.tsv 7368
check_catalog categories categories.tsv "$(data_rows categories.tsv)"
check_catalog agencies agencies.tsv "$(data_rows agencies.tsv)"

# grids: 15-digit codes; community, township and district columns are the
# code's own prefixes of 12, 9 and 6 digits.
out="$tmp/grids.tsv"
if [ -s "$out" ]; then
	bad=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    length($1) != 15 || $1 ~ /[^0-9]/ ||
	    ("community" in c && $c["community"] != substr($1, 1, 12)) ||
	    ("township" in c && $c["township"] != substr($1, 1, 9)) ||
	    ("district" in c && $c["district"] != substr($1, 1, 6)) {
		print NR ": " $0; exit
	    }' "$out")
	if [ -n "$bad" ]; then
		fail "catalog grids: bad row $bad"
	fi
	# grep as a second opinion on the digits
	nbad=$(tail -n +2 "$out" | cut -f 1 | grep -cvE '^[0-9]{15}$' || true)
	if [ "$nbad" -ne 0 ]; then
		fail "catalog grids: $nbad codes are not 15 digits"
	fi
fi

# townships: 9 digits beginning with the district column
out="$tmp/townships.tsv"
if [ -s "$out" ]; then
	nbad=$(tail -n +2 "$out" | cut -f 1 | grep -cvE '^[0-9]{9}$' || true)
	if [ "$nbad" -ne 0 ]; then
		fail "catalog townships: $nbad codes are not 9 digits"
	fi
fi

# unknown catalogue, wrong arity: usage errors
for args in "nosuch" "" "grids extra"; do
	# shellcheck disable=SC2086
	run catalog $args
	if [ "$rc" -ne 2 ]; then
		fail "catalog $args: exit $rc, want 2"
	elif [ -s "$tmp/out" ]; then
		fail "catalog $args: printed to stdout"
	fi
done
finish
