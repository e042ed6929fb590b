#!/usr/bin/env bash
# test-check.sh: `gridline check DIR` against the shipped data and against
# copies of it with one deliberate mistake each.
#
# The contract (cli/sub-check.c, docs/DATA.md): exit 0 clean, 1 problems,
# 2 unreadable input or usage; every problem on stderr as file:line: message.
# What each broken copy must report (line numbers, grid and category codes)
# is computed here from the data files with awk, columns found by header
# name as DATA.md allows, never taken from gridline's output.
#
# Environment (set by `make check`): GRIDLINE, the built binary; GL_DATA,
# the shipped data directory; GL_SRCDIR, the source tree (for tests/lib.sh).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup check		# LC_ALL=C: byte semantics for awk and sed

# fresh NAME: a new copy of the shipped data in $tmp/NAME.
fresh() {
	rm -rf "${tmp:?}/$1"
	mkdir -p "$tmp/$1"
	cp "$GL_DATA"/*.tsv "$tmp/$1/"
	echo "$tmp/$1"
}

# awk prologue: col["name"] = field index from the header of each file.
AWK_COLS='{ sub(/\r$/, "") }
FNR == 1 { delete col; for (i = 1; i <= NF; i++) col[$i] = i; next }
/^#/ || /^\r?$/ { next }'

# --- 1. the shipped data is clean ------------------------------------------
# (on a date far from the holiday table's end: section 8 has its warning)
run check --now 2026-09-01 "$GL_DATA"
if [ "$rc" -ne 0 ]; then
	fail "check of the shipped data: exit $rc, want 0"
	show
elif [ -s "$tmp/err" ]; then
	fail "check of the shipped data wrote to stderr"
	show
fi

# --- 2. a gap: delete a district row that nothing else backs up ------------
# The first duty row (file order) whose jurisdiction is a district, for a
# category with no city row and no row anywhere inside that district.
# Without it every grid of the district lacks a lead: one problem, reported
# at the district's first grid (tree order: townships, communities, grids in
# file order) in grids.tsv, with the count of the other grids.
d=$(fresh gap)
read -r dline dcat ddist <<<"$(awk -F'\t' "$AWK_COLS"'
	FILENAME ~ /city\.tsv$/ { city[$col["code"]] = 1; next }
	FILENAME ~ /districts\.tsv$/ { dist[$col["code"]] = 1; next }
	{
		c = $col["category"]; j = $col["jurisdiction"]
		n++; line[n] = FNR; cat[n] = c; jur[n] = j
		if (j in city) hascity[c] = 1
		# a row inside a district: its code begins with the district
		if (length(j) > 6) inner[c, substr(j, 1, 6)] = 1
	}
	END {
		for (i = 1; i <= n; i++)
			if ((jur[i] in dist) && !(cat[i] in hascity) &&
			    !((cat[i], jur[i]) in inner)) {
				print line[i], cat[i], jur[i]
				exit
			}
	}' "$d/city.tsv" "$d/districts.tsv" "$d/duty.tsv")"
if [ -z "${dline:-}" ]; then
	fail "gap: no district row without backup found in duty.tsv"
else
	read -r gline gcode gcount <<<"$(awk -F'\t' -v D="$ddist" "$AWK_COLS"'
		FILENAME ~ /townships\.tsv$/ {
			if ($col["district"] == D) tw[++ntw] = $col["code"]
			next
		}
		FILENAME ~ /communities\.tsv$/ {
			t = $col["township"]
			cm[t, ++ncm[t]] = $col["code"]
			next
		}
		{
			c = $col["community"]
			if (!(c in first)) { first[c] = $col["code"]; fline[c] = FNR }
			cnt[c]++
		}
		END {
			for (i = 1; i <= ntw; i++)
				for (k = 1; k <= ncm[tw[i]]; k++) {
					c = cm[tw[i], k]
					if (!(c in cnt)) continue
					total += cnt[c]
					if (g == "") { g = first[c]; gl = fline[c] }
				}
			print gl, g, total
		}' "$d/townships.tsv" "$d/communities.tsv" "$d/grids.tsv")"
	sed -i "${dline}d" "$d/duty.tsv"
	run check "$d"
	others=$((gcount - 1))
	if [ "$rc" -ne 1 ]; then
		fail "gap (duty.tsv:$dline $dcat $ddist deleted): exit $rc, want 1"
		show
	elif ! grep -E "grids\.tsv:$gline: " "$tmp/err" | grep -F "$gcode" |
	    grep -F "$dcat" | grep -E "(^|[^0-9])$others([^0-9]|$)" >/dev/null
	then
		fail "gap (duty.tsv:$dline $dcat $ddist deleted): no problem at" \
		    "grids.tsv:$gline naming grid $gcode, category $dcat and" \
		    "the $others other grids"
		show
	elif [ "$(grep -c 'grids\.tsv:' "$tmp/err")" -ne 1 ]; then
		fail "gap (duty.tsv:$dline deleted): want one problem for the" \
		    "uncovered district, got $(grep -c 'grids\.tsv:' "$tmp/err")"
		show
	fi
fi

# --- 3. a tie: the first district row again, with another agency ----------
# The new lead is another agency of the same district (a district-level
# agency whose jurisdiction is that district), not the lead, not a support.
d=$(fresh tie)
read -r tline tcat tdist tlead <<<"$(awk -F'\t' "$AWK_COLS"'
	FILENAME ~ /city\.tsv$/ { city[$col["code"]] = 1; next }
	FILENAME ~ /districts\.tsv$/ { dist[$col["code"]] = 1; next }
	{
		j = $col["jurisdiction"]
		if ((j in dist) && !(j in city)) {
			print FNR, $col["category"], j, $col["lead"]
			exit
		}
	}' "$d/city.tsv" "$d/districts.tsv" "$d/duty.tsv")"
tsupport=$(awk -F'\t' -v L="$tline" "$AWK_COLS"'
	FNR == L { print $col["support"] }' "$d/duty.tsv")
other=$(awk -F'\t' -v D="$tdist" -v L="$tlead" -v S=",$tsupport," \
    "$AWK_COLS"'
	$col["jurisdiction"] == D && $col["level"] == "district" &&
	    $col["code"] != L && index(S, "," $col["code"] ",") == 0 {
		print $col["code"]; exit
	}' "$d/agencies.tsv")
if [ -z "${tline:-}" ] || [ -z "$other" ]; then
	fail "tie: no district row or no second agency found"
else
	newline=$(($(wc -l <"$d/duty.tsv") + 1))
	# write the row in the file's own column order
	row=$(awk -F'\t' -v C="$tcat" -v J="$tdist" -v A="$other" 'NR == 1 {
		for (i = 1; i <= NF; i++) {
			f = ""
			if ($i == "category") f = C
			if ($i == "jurisdiction") f = J
			if ($i == "lead") f = A
			printf "%s%s", (i > 1 ? "\t" : ""), f
		}
		print ""
		exit
	}' "$d/duty.tsv")
	printf '%s\n' "$row" >>"$d/duty.tsv"
	run check "$d"
	if [ "$rc" -ne 1 ]; then
		fail "tie ($tcat $tdist: $tlead at line $tline, $other at line" \
		    "$newline): exit $rc, want 1"
		show
	elif ! grep -E "duty\.tsv:$newline: " "$tmp/err" |
	    grep -qE "duty\.tsv:$tline([^0-9]|$)"; then
		fail "tie: no problem at duty.tsv:$newline naming duty.tsv:$tline"
		show
	fi
fi

# --- 4. a missing file: unreadable input, exit 2 ---------------------------
d=$(fresh missing)
rm "$d/hours.tsv"
run check "$d"
if [ "$rc" -ne 2 ]; then
	fail "hours.tsv removed: exit $rc, want 2"
	show
elif ! grep -qF "hours.tsv" "$tmp/err"; then
	fail "hours.tsv removed: stderr does not name hours.tsv"
	show
fi

# --- 5. a malformed line: a field too many in categories.tsv --------------
d=$(fresh malformed)
mline=$(awk '!/^#/ && !/^\r?$/ && NR > 1 { n++ } n == 3 { print NR; exit }' \
    "$d/categories.tsv")
sed -i "${mline}s/\$/\tnote/" "$d/categories.tsv"
run check "$d"
if [ "$rc" -ne 1 ]; then
	fail "categories.tsv:$mline with an extra field: exit $rc, want 1"
	show
elif ! grep -qE "categories\.tsv:$mline: " "$tmp/err"; then
	fail "categories.tsv:$mline with an extra field: not reported"
	show
fi

# --- 6. invalid UTF-8 in townships.tsv -------------------------------------
d=$(fresh utf8)
uline=5
sed -i "${uline}s/\t/\t\xff/" "$d/townships.tsv"
run check "$d"
if [ "$rc" -ne 1 ]; then
	fail "townships.tsv:$uline with byte FF: exit $rc, want 1"
	show
elif ! grep -qE "townships\.tsv:$uline: " "$tmp/err"; then
	fail "townships.tsv:$uline with byte FF: line not named"
	show
fi
# refdata-load.c: "a file with a bad row is marked not loaded, so checks
# that depend on it are skipped instead of drowning the user in follow-on
# errors". One bad byte must not bring one problem per community and grid.
nprob=$(grep -cE '\.tsv(:[0-9]+)?: ' "$tmp/err" || true)
if [ "$nprob" -gt 10 ]; then
	fail "townships.tsv:$uline with byte FF: $nprob problems reported" \
	    "(follow-on errors, e.g. '$(grep -m1 -F communities.tsv \
	    "$tmp/err" | sed "s|$tmp/||")')"
fi

# --- 7. usage ----------------------------------------------------------------
run check a b
if [ "$rc" -ne 2 ]; then
	fail "check a b: exit $rc, want 2"
fi
run check --now 2026-13-01 "$GL_DATA"
if [ "$rc" -ne 2 ] || ! grep -q -- "--now: '2026-13-01'" "$tmp/err"; then
	fail "check --now 2026-13-01: exit $rc, want 2 naming the option"
	show
fi

# --- 8. the holiday table's end (docs/DATA.md) -------------------------------
# The last year of holidays.tsv, from its dates (awk, not gridline). From
# 60 days before its 31 December a warning on stderr, exit still 0; after
# it, deadlines are provisional. The days are counted by hand: 2026-11-29
# to 2026-12-31 is 2 + 30 = 32 days; 2026-11-01 is the first warned day
# (61 days before is not).
last=$(awk -F'\t' "$AWK_COLS"' { y = substr($col["date"], 1, 4) + 0
	if (y > m) m = y } END { print m }' "$GL_DATA/holidays.tsv")
H="$GL_DATA/holidays.tsv:"
while IFS='|' read -r now want; do
	run check --now "$now" "$GL_DATA"
	if [ "$rc" -ne 0 ]; then
		fail "check --now $now: exit $rc, want 0 (a warning is no problem)"
		show
	elif [ -z "$want" ] && [ -s "$tmp/err" ]; then
		fail "check --now $now: want no warning"
		show
	elif [ -n "$want" ] && ! grep -qF -- "$H $want" "$tmp/err"; then
		fail "check --now $now: want '$H $want'"
		show
	elif ! grep -q 'exactly one lead agency' "$tmp/out"; then
		fail "check --now $now: the summary is missing"
		show
	fi
done <<EOT
2026-09-01|
2026-10-31|
2026-11-01|the holiday table ends with $last (in 60 days): add next year's official schedule (docs/DATA.md)
2026-11-29|the holiday table ends with $last (in 32 days): add next year's official schedule (docs/DATA.md)
2026-12-31T17:30:00+08:00|the holiday table ends with $last (in 0 days)
2027-01-01|the holiday table ended with $last: deadlines from $((last + 1))-01-01 on are provisional
2027-01-05|the holiday table ended with $last: deadlines from $((last + 1))-01-01 on are provisional
EOT
# a table that reaches a year further (a copy with one row of 2027 added,
# a test row, not a schedule) no longer warns on 2026-11-29
d=$(fresh nextyear)
printf '2027-06-01\tholiday\ttest row\n' >>"$d/holidays.tsv"
run check --now 2026-11-29 "$d"
if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
	fail "check of a table to 2027 on 2026-11-29: exit $rc, want 0 and no warning"
	show
fi
run check "$tmp/no-such-dir"
if [ "$rc" -ne 2 ]; then
	fail "check of a missing directory: exit $rc, want 2"
fi
finish
