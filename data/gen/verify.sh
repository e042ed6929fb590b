#!/usr/bin/env bash
# verify.sh -- check gridline's reference data (data/*.tsv) with awk.
#
# Usage: data/gen/verify.sh [DIR]     (DIR defaults to data/)
#
# An independent second opinion on the tables, written while `gridline check`
# did not exist yet; it follows docs/DATA.md.  It checks:
# - every file: UTF-8 without BOM, LF line ends (a CR before LF
#   is tolerated, as DATA.md says, with a warning), final newline, required
#   columns present (found by name), every line with the header's field count;
# - row counts: 1 city, 10 districts, as many townships as the facts file in
#   data/gen/ has rows (163), the facts' community count per township (3,042
#   in all), 7,368 grids, 5 classes of scope 小区 holding 37 matters;
# - code formats and prefixes (a child's code begins with its parent's),
#   uniqueness of codes and of (category, jurisdiction) in duty, the allowed
#   values of kind/level/platform/priority/unit/generated;
# - every reference resolves: parents, agency parents (派驻 -> a 部门 of the
#   township's district or of the city), categories' classes, duty
#   category/jurisdiction/lead/support; leads and supports belong to the
#   row's jurisdiction or one above it;
# - duty rows ordered by category then jurisdiction (byte order);
# - ROUTING: for every grid and every category, walking up grid -> community
#   -> township -> district -> city finds a row (no gap); with no duplicate
#   (category, jurisdiction) that row's lead is the one lead;
# - hours (HH:MM, start < end, no overlaps) and holidays (dates, kinds,
#   make-up workdays on weekends, holidays not duplicated).
# Prints a summary; exits 1 on any problem, reported as file:line: message.
set -u
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$(dirname "$here")}
facts="$here/ningbo-townships.tsv"
fail=0

files="city districts townships communities grids agencies classes categories duty hours holidays"

# ------------------------------------------------------------ raw format
for f in $files; do
	p="$dir/$f.tsv"
	if [ ! -f "$p" ]; then echo "$p: missing"; fail=1; continue; fi
	if [ "$(head -c 3 "$p" | od -An -tx1 | tr -d ' \n')" = "efbbbf" ]; then
		echo "$p:1: byte-order mark"; fail=1
	fi
	if [ -n "$(tail -c 1 "$p")" ]; then echo "$p: no newline at end of file"; fail=1; fi
	if command -v iconv >/dev/null 2>&1 && ! iconv -f UTF-8 -t UTF-8 "$p" >/dev/null 2>&1; then
		echo "$p: not valid UTF-8"; fail=1
	fi
	awk -F'\t' '
		/\r$/ { if (!cr++) printf "%s:%d: warning: CR line end (tolerated)\n", FILENAME, FNR; sub(/\r$/, "") }
		FNR == 1 { n = NF
			for (i = 1; i <= NF; i++) { if ($i in seen) { printf "%s:1: column %s twice\n", FILENAME, $i; bad = 1 } seen[$i] = 1 }
			next }
		$0 == "" || /^#/ { next }
		NF != n { printf "%s:%d: %d fields, header has %d\n", FILENAME, FNR, NF, n; bad = 1 }
		END { exit bad }' "$p" || fail=1
done

# ------------------------------------------------ tree, agencies, duty
(cd "$dir" && awk -F'\t' -v factsfile="$facts" '
function err(m) { printf "%s:%d: %s\n", FILENAME, FNR, m; bad++ }
function v(name) { return $col[name] }
function need(names,   n, a, i) {
	n = split(names, a, " ")
	for (i = 1; i <= n; i++) if (!(a[i] in col)) { err("missing column " a[i]); fatal = 1 }
}
function digits(s, n) { return length(s) == n && s ~ /^[0-9]+$/ }
function isanc(x, y) {	# y is x or an ancestor of x
	while (x != "") { if (x == y) return 1; x = (x in par) ? par[x] : "" }
	return 0
}
function uniq(kind, code) {
	if ((kind, code) in used) err("duplicate " kind " code " code)
	used[kind, code] = 1
}
function gen() {
	if ("generated" in col && v("generated") !~ /^(yes|no|provisional)$/)
		err("generated must be yes, no or provisional")
}
BEGIN {
	# the facts, to compare townships and community counts with
	while ((getline line < factsfile) > 0) {
		sub(/\r$/, "", line); nl++
		split(line, a, "\t")
		if (nl == 1) { for (i = 1; i in a; i++) fcol[a[i]] = i; continue }
		if (line == "") continue
		nfacts++
		fname[nfacts] = a[fcol["name"]]; fcode[nfacts] = a[fcol["code"]]
		fkind[nfacts] = a[fcol["kind"]]; fdist[nfacts] = a[fcol["district_code"]]
		fcnt[nfacts] = a[fcol["communities"]]
	}
	if (nfacts == 0) { print factsfile ": cannot read facts"; bad++ }
}
{ sub(/\r$/, "") }
FNR == 1 {
	split("", col); for (i = 1; i <= NF; i++) col[$i] = i
	file = FILENAME; sub(/\.tsv$/, "", file); fatal = 0
	if (file == "city") need("code name")
	else if (file == "districts") need("code name kind city")
	else if (file == "townships") need("code name kind district")
	else if (file == "communities") need("code name kind township generated")
	else if (file == "grids") need("code name community generated")
	else if (file == "agencies") need("code name level jurisdiction kind parent")
	else if (file == "classes") need("code name scope")
	else if (file == "categories") need("code name class platform priority limit unit")
	else if (file == "duty") need("category jurisdiction lead support")
	next
}
$0 == "" || /^#/ || fatal { next }
file == "city" {
	c = v("code"); ncity++
	if (!digits(c, 6) || c !~ /00$/) err("city code " c " not 6 digits ending in 00")
	if (v("name") == "") err("empty name")
	uniq("j", c); cityc = c; level[c] = "city"; next
}
file == "districts" {
	c = v("code"); ndist++
	if (!digits(c, 6)) err("district code " c " not 6 digits")
	if (!(v("city") in level) || level[v("city")] != "city") err("unknown city " v("city"))
	else if (substr(c, 1, 4) != substr(v("city"), 1, 4)) err("district " c " not under city prefix " substr(v("city"), 1, 4))
	if (v("kind") !~ /^(区|县|县级市)$/) err("bad district kind " v("kind"))
	if (v("name") == "") err("empty name")
	uniq("j", c); level[c] = "district"; par[c] = v("city"); dname[c] = v("name"); next
}
file == "townships" {
	c = v("code"); d = v("district"); ntown++
	if (!digits(c, 9)) err("township code " c " not 9 digits")
	if (level[d] != "district") err("unknown district " d)
	else if (substr(c, 1, 6) != d) err("township " c " does not begin with " d)
	if (v("kind") !~ /^(街道|镇|乡|类似乡级单位)$/) err("bad township kind " v("kind"))
	if (v("name") == "") err("empty name")
	gen(); if ("generated" in col && v("generated") == "provisional") nprov++
	uniq("j", c); level[c] = "township"; par[c] = d
	tname[c] = v("name"); tkind[c] = v("kind"); tbyname[v("name")] = c
	next
}
file == "communities" {
	c = v("code"); t = v("township"); ncomm++
	if (!digits(c, 12)) err("community code " c " not 12 digits")
	if (level[t] != "township") err("unknown township " t)
	else if (substr(c, 1, 9) != t) err("community " c " does not begin with " t)
	if (v("kind") !~ /^(社区|村)$/) err("bad community kind " v("kind"))
	if (v("name") == "") err("empty name")
	if (v("name") in cname) err("community name " v("name") " used twice")
	cname[v("name")] = 1
	gen(); uniq("j", c); level[c] = "community"; par[c] = t; ccount[t]++; ckind[v("kind")]++
	next
}
file == "grids" {
	c = v("code"); m = v("community"); ngrid++
	if (!digits(c, 15)) err("grid code " c " not 15 digits")
	if (level[m] != "community") err("unknown community " m)
	else if (substr(c, 1, 12) != m) err("grid " c " does not begin with " m)
	if (v("name") == "") err("empty name")
	if (v("name") in gname) err("grid name " v("name") " used twice")
	gname[v("name")] = 1
	gen(); uniq("j", c); level[c] = "grid"; par[c] = m; grid[ngrid] = c; gcount[m]++
	next
}
file == "agencies" {
	c = v("code"); j = v("jurisdiction"); l = v("level"); k = v("kind"); p = v("parent"); nag++
	if (c !~ /^[0-9]+\.[A-Z]+$/) err("agency code " c " not JURISDICTION.ABBR")
	uniq("a", c)
	if (v("name") == "") err("empty name")
	if (v("name") in aname) err("agency name " v("name") " used twice")
	aname[v("name")] = 1
	if (l !~ /^(city|district|township)$/) err("bad level " l)
	if (!(j in level)) err("unknown jurisdiction " j)
	else if (level[j] != l) err("level " l " but jurisdiction " j " is a " level[j])
	if (substr(c, 1, index(c, ".") - 1) != j) err("agency " c " does not begin with its jurisdiction " j)
	if (k !~ /^(部门|派驻|乡镇|企业)$/) err("bad agency kind " k)
	if (k == "派驻" && p == "") err("stationed unit without parent")
	if (k != "派驻" && p != "") err("parent given for a non-stationed unit")
	if (k == "乡镇" && l != "township") err("乡镇 office not at township level")
	if (k == "派驻" && l != "township") err("派驻 unit not at township level")
	ajur[c] = j; akind[c] = k; alevel[c] = l; aline[c] = FNR
	if (p != "") { apar[c] = p; nst++ }
	agkind[k]++; aglevel[l]++
	next
}
file == "classes" {
	c = v("code")
	if (!digits(c, 2)) err("class code " c " not 2 digits")
	if (v("scope") !~ /^(小区|城市)$/) err("bad scope " v("scope"))
	if (v("name") == "") err("empty name")
	uniq("k", c); scope[c] = v("scope"); nclass[v("scope")]++; ncls++
	next
}
file == "categories" {
	c = v("code"); k = v("class")
	if (!digits(c, 4)) err("category code " c " not 4 digits")
	if (!(k in scope)) err("unknown class " k)
	else if (substr(c, 1, 2) != k) err("category " c " does not begin with class " k)
	if (v("name") == "") err("empty name")
	if (v("platform") !~ /^(综治工作|市场监管|综合执法|便民服务)$/) err("bad platform " v("platform"))
	if (v("priority") !~ /^[123]$/) err("priority must be 1, 2 or 3")
	if (v("limit") !~ /^[1-9][0-9]*$/) err("limit must be a positive whole number")
	if (v("unit") !~ /^(工作时|工作日|自然时)$/) err("bad unit " v("unit"))
	uniq("c", c); ncat++; cat[ncat] = c; iscat[c] = 1; catcls[k]++
	if (k in scope) ncatscope[scope[k]]++
	nplat[v("platform")]++; nunit[v("unit")]++
	next
}
file == "duty" {
	c = v("category"); j = v("jurisdiction"); ld = v("lead"); s = v("support"); nduty++
	if (!(c in iscat)) err("unknown category " c)
	if (!(j in level)) err("unknown jurisdiction " j)
	else if (level[j] !~ /^(city|district|township)$/) err("jurisdiction " j " is a " level[j])
	if ((c, j) in duty) err("tie: second row for category " c " at " j " (first at line " dline[c, j] ")")
	key = c "\t" j
	if (nduty > 1 && key <= lastkey) err("duty not ordered by category then jurisdiction")
	lastkey = key
	if (!(ld in akind)) err("unknown lead agency " ld)
	else if (!isanc(j, ajur[ld])) err("lead " ld " is not of " j " or above")
	if (s != "") {
		n = split(s, a, ",")
		for (i = 1; i <= n; i++) {
			if (!(a[i] in akind)) err("unknown support agency " a[i])
			else if (!isanc(j, ajur[a[i]])) err("support " a[i] " is not of " j " or above")
			if (a[i] == ld) err("support " a[i] " is also the lead")
		}
	}
	duty[c, j] = ld; dline[c, j] = FNR; dlevel[level[j]]++
	next
}
END {
	# stationed units: parent a 部门 of the township district or the city
	for (u in apar) {
		p = apar[u]
		if (!(p in akind)) { printf "agencies.tsv:%d: unknown parent %s\n", aline[u], p; bad++; continue }
		if (akind[p] != "部门") { printf "agencies.tsv:%d: parent %s is not a 部门\n", aline[u], p; bad++ }
		if (!isanc(ajur[u], ajur[p]) || ajur[u] == ajur[p]) { printf "agencies.tsv:%d: parent %s is not above %s\n", aline[u], p, ajur[u]; bad++ }
	}
	# counts
	if (ncity != 1) { print "city.tsv: " ncity " rows, want 1"; bad++ }
	if (ndist != 10) { print "districts.tsv: " ndist " rows, want 10"; bad++ }
	if (ntown != nfacts) { print "townships.tsv: " ntown " rows, facts have " nfacts; bad++ }
	if (ncomm != 3042) { print "communities.tsv: " ncomm " rows, want 3042"; bad++ }
	if (ngrid != 7368) { print "grids.tsv: " ngrid " rows, want 7368"; bad++ }
	if (nclass["小区"] != 5) { print "classes.tsv: " nclass["小区"] " classes of scope 小区, want 5"; bad++ }
	if (ncatscope["小区"] != 37) { print "categories.tsv: " ncatscope["小区"] " matters of scope 小区, want 37"; bad++ }
	# townships against the facts
	for (i = 1; i <= nfacts; i++) {
		t = (fcode[i] != "") ? fcode[i] : tbyname[fname[i]]
		if (t == "" || !(t in tname)) { print "townships.tsv: facts unit " fname[i] " missing"; bad++; continue }
		if (tname[t] != fname[i] || tkind[t] != fkind[i] || par[t] != fdist[i]) {
			print "townships.tsv: " t " differs from the facts (" fname[i] " " fkind[i] " " fdist[i] ")"; bad++
		}
		if (ccount[t] + 0 != fcnt[i] + 0) {
			print "communities.tsv: " t " " fname[i] " has " ccount[t] + 0 " communities, facts say " fcnt[i]; bad++
		}
	}
	for (t in tname) if (!(t in ccount)) { print "townships.tsv: " t " has no community"; bad++ }
	nempty = 0
	for (m in level) if (level[m] == "community" && !(m in gcount)) nempty++
	if (nempty) { print "grids.tsv: " nempty " communities without a grid"; bad++ }
	for (k in scope) if (!(k in catcls)) { print "classes.tsv: class " k " has no category"; bad++ }
	# routing: every grid x every category, exactly one lead
	gaps = 0
	for (g = 1; g <= ngrid; g++)
		for (i = 1; i <= ncat; i++) {
			j = grid[g]
			while (j != "" && !((cat[i], j) in duty)) j = (j in par) ? par[j] : ""
			if (j == "") {
				if (gaps < 20) print "duty.tsv: gap: category " cat[i] " has no lead for grid " grid[g]
				gaps++
			} else routed[level[j]]++
		}
	if (gaps) { print "duty.tsv: " gaps " grid x category pairs without a lead"; bad++ }
	# summary
	printf "city 1, districts %d, townships %d (provisional %d), communities %d (社区 %d, 村 %d), grids %d\n", ndist, ntown, nprov, ncomm, ckind["社区"], ckind["村"], ngrid
	printf "agencies %d: city %d, district %d, township %d; 部门 %d, 企业 %d, 乡镇 %d, 派驻 %d\n", nag, aglevel["city"], aglevel["district"], aglevel["township"], agkind["部门"], agkind["企业"], agkind["乡镇"], agkind["派驻"]
	printf "classes %d (小区 %d, 城市 %d), categories %d (小区 %d, 城市 %d)\n", ncls, nclass["小区"], nclass["城市"], ncat, ncatscope["小区"], ncatscope["城市"]
	printf "platforms: 综治工作 %d, 市场监管 %d, 综合执法 %d, 便民服务 %d; units: 工作时 %d, 工作日 %d, 自然时 %d\n", nplat["综治工作"], nplat["市场监管"], nplat["综合执法"], nplat["便民服务"], nunit["工作时"], nunit["工作日"], nunit["自然时"]
	printf "duty rows %d: city %d, district %d, township %d\n", nduty, dlevel["city"], dlevel["district"], dlevel["township"]
	printf "routing %d grid x category pairs: %d gaps; decided at township %d, district %d, city %d\n", ngrid * ncat, gaps, routed["township"], routed["district"], routed["city"]
	exit bad ? 1 : 0
}' city.tsv districts.tsv townships.tsv communities.tsv grids.tsv agencies.tsv classes.tsv categories.tsv duty.tsv) || fail=1

# ----------------------------------------------------------------- calendar
(cd "$dir" && awk -F'\t' '
function err(m) { printf "%s:%d: %s\n", FILENAME, FNR, m; bad++ }
function v(name) { return $col[name] }
function mins(t) { return substr(t, 1, 2) * 60 + substr(t, 4, 2) }
function validtime(t) { return t ~ /^[0-2][0-9]:[0-5][0-9]$/ && substr(t, 1, 2) + 0 < 24 }
function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
function dow(y, m, d,   t) {	# 1 Monday .. 7 Sunday (Sakamoto)
	split("0 3 2 5 0 3 5 1 4 6 2 4", t, " ")
	if (m < 3) y--
	d = (y + int(y / 4) - int(y / 100) + int(y / 400) + t[m] + d) % 7
	return d == 0 ? 7 : d
}
{ sub(/\r$/, "") }
FNR == 1 {
	split("", col); for (i = 1; i <= NF; i++) col[$i] = i
	file = FILENAME; sub(/\.tsv$/, "", file)
	want = (file == "hours") ? "weekdays start end" : "date kind name"
	n = split(want, a, " "); fatal = 0
	for (i = 1; i <= n; i++) if (!(a[i] in col)) { err("missing column " a[i]); fatal = 1 }
	next
}
$0 == "" || /^#/ || fatal { next }
file == "hours" {
	w = v("weekdays"); s = v("start"); e = v("end"); nh++
	if (w !~ /^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/) { err("bad weekdays " w); next }
	if (!validtime(s) || !validtime(e)) { err("bad time"); next }
	if (mins(s) >= mins(e)) err("start not before end")
	n = split(w, parts, ",")
	for (i = 1; i <= n; i++) {
		if (split(parts[i], r, "-") == 1) r[2] = r[1]
		if (r[1] + 0 > r[2] + 0) err("bad weekday range " parts[i])
		for (dd = r[1]; dd <= r[2]; dd++)
			for (x = mins(s); x < mins(e); x++) {
				if ((dd, x) in busy) { err("periods overlap on weekday " dd); dd = 8; break }
				busy[dd, x] = 1
			}
	}
	next
}
file == "holidays" {
	d = v("date"); k = v("kind"); nd++
	if (d !~ /^[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]$/) { err("bad date " d); next }
	y = substr(d, 1, 4) + 0; m = substr(d, 6, 2) + 0; dy = substr(d, 9, 2) + 0
	split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " "); if (leap(y)) ml[2] = 29
	if (m < 1 || m > 12 || dy < 1 || dy > ml[m]) { err("no such date " d); next }
	if (d in seen) err("date " d " twice")
	seen[d] = 1
	if (d <= last) err("dates not in order")
	last = d
	if (v("name") == "") err("empty name")
	w = dow(y, m, dy)
	if (k == "holiday") nhol++
	else if (k == "workday") { nwork++; if (w < 6) err("make-up workday " d " is not a weekend day") }
	else err("bad kind " k)
	next
}
END {
	if (nh < 1) { print "hours.tsv: no working periods"; bad++ }
	printf "hours %d periods; holidays %d rows (%d holiday, %d workday)\n", nh, nd, nhol, nwork
	exit bad ? 1 : 0
}' hours.tsv holidays.tsv) || fail=1

if [ "$fail" -ne 0 ]; then echo "verify: FAILED"; exit 1; fi
echo "verify: ok"
