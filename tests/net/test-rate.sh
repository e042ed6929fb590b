#!/usr/bin/env bash
# test-rate.sh: townships' ratings of stationed units and the 12345
# call-backs (issue 14), through a real server on a set clock.
#
# What is checked:
#   1. Call-backs (on a database with no operator yet, so unsigned): on a
#      closed hotline case it is recorded and shown in the case JSON; on a
#      grid-app case it is refused not_hotline; a bad result, and reopen
#      with another result than unsatisfied, are refused bad_value naming
#      the field; unsatisfied with reopen puts the case back to registered,
#      one callback event in its history.
#   2. The figures, worked out by hand: six closed hotline cases of ZJ get
#      satisfied x3, basically satisfied, unsatisfied, unreachable: 6
#      call-backs, 5 reached, 4 pleased: 满意率 80.0% in the CSV of
#      `gridline report --by agency`.
#   3. Ratings, signed: 西门's township operator rates its stationed unit
#      (ok), again in the same month (replaced, still one row); a district
#      bureau it does not command is forbidden township_command; its own
#      office is no stationed unit (bad_value); score 0 and 6 and months
#      not YYYY-MM are bad_value naming the field; a month not yet begun
#      is refused; 南门's operator cannot touch 西门's rating; a
#      supervisor may not rate (role). `ctl ratings` lists one row per
#      township, unit and month; `report --by agency` gives the mean.
#   4. A township console in tmux rates a unit with :rate and sees the
#      confirmation.
#   5. The month closes at the end of the 5th of the next month: on
#      5 December 23:59 the November rating still changes, on 6 December
#      00:00:01 it is refused month_closed and stays as it was.
#
# Bounded: every call under timeout; about 15 s.
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup rate
need nanocat "nanocat (nanomsg-utils) is not installed"
need sqlite3 "sqlite3 not installed (Debian package sqlite3)"

ZJ=330203.ZJ
declare -A no

# ver CASE: the case's version now.
ver() {
	ctl case case="${no[$1]}" | sed -n 's/^    "version": \([0-9]*\).*/\1/p' |
	    head -1
}

# act OP CASE [KEY=VALUE...]: OP on case CASE at its version; must be ok.
act() {
	local op=$1 c=$2
	shift 2
	ctl "$op" case="${no[$c]}" version="$(ver "$c")" "$@" >"$tmp/act" \
	    2>&1 || fail "$op $c: $(head -c 300 "$tmp/act")"
}

# refused WANT OP CASE [KEY=VALUE...]: OP must be refused with WANT.
refused() {
	local want=$1 op=$2 c=$3
	shift 3
	if ctl "$op" case="${no[$c]}" version="$(ver "$c")" "$@" \
	    >"$tmp/act" 2>&1; then
		fail "$op $c $*: done, want $want"
	fi
	grep -q "\"code\": \"$want\"" "$tmp/act" ||
	    fail "$op $c $*: $(head -c 300 "$tmp/act"), want $want"
}

# --- 1. call-backs ---------------------------------------------------------------
at 2026-11-10T10:00+08:00
inc() {	# inc ID SOURCE
	printf '{"id":"%s","grid":"330203003001001","category":"0303",'\
'"reported_at":"2026-11-10T09:00:00+08:00","summary":"回访测试 %s",'\
'"source":"%s"}' "$1" "$1" "$2"
}
for c in h1 h2 h3 h4 h5 h6 h7 g1; do
	src=hotline
	[ "$c" = g1 ] && src=grid-app
	reply=$(send "$(inc "$c" "$src")")
	no[$c]=$(printf '%s' "$reply" | sed -n 's/.*"case":"\([^"]*\)".*/\1/p')
	[ -n "${no[$c]}" ] || die "incident $c: $reply"
	act register "$c"
	act dispatch "$c" agency=$ZJ reason=测试
	for op in acknowledge start feedback verify close; do
		act "$op" "$c"
	done
done

refused not_hotline callback g1 result=satisfied
refused bad_value callback h1 result=happy
grep -q '"field": "result"' "$tmp/act" || fail "bad result: no field"
refused bad_value callback h1 result=satisfied reopen=true reason=x
grep -q '"field": "reopen"' "$tmp/act" || fail "reopen: no field"
refused invalid callback h1 result=unsatisfied reopen=true
act callback h1 result=satisfied
act callback h2 result=satisfied
act callback h3 result=满意
act callback h4 result=basically_satisfied
act callback h6 result=unreachable
act callback h5 result=unsatisfied reopen=true reason=市民反映问题未解决
ctl case case="${no[h1]}" >"$tmp/h1"
grep -q '"callback": "satisfied"' "$tmp/h1" ||
    fail "h1: no call-back in the case JSON"
grep -q '"state": "closed"' "$tmp/h1" || fail "h1: not closed any more"
ctl case case="${no[h3]}" >"$tmp/h3"
grep -q '"callback": "satisfied"' "$tmp/h3" ||
    fail "h3: the Chinese result not stored as its name"
ctl case case="${no[h5]}" >"$tmp/h5"
grep -q '"state": "registered"' "$tmp/h5" || fail "h5: not reopened"
grep -q '"callback": "unsatisfied"' "$tmp/h5" || fail "h5: no call-back"
[ "$(grep -c '"action": "callback"' "$tmp/h5")" -eq 1 ] ||
    fail "h5: not one callback event"
grep -A6 -B6 '"action": "callback"' "$tmp/h5" >"$tmp/h5.ev" || true
grep -q '"to": "registered"' "$tmp/h5.ev" ||
    fail "h5: the callback event does not lead to registered"
refused not_allowed callback h5 result=satisfied

# --- 2. the figures --------------------------------------------------------------
run report --db "$DB" --from 2026-11-01 --to 2026-12-01 --by agency \
    --format csv
expect_rc 0 "report csv"
cp "$tmp/out" "$tmp/agency.csv"
fig() {	# fig CODE COLUMN WANT
	local got
	got=$(sqlite3 :memory: ".import --csv $tmp/agency.csv t" \
	    "SELECT \"$2\" FROM t WHERE code = '$1' AND (name = 'total') = ('$1' = '')")
	[ "$got" = "$3" ] || fail "by agency: $1 $2 = '$got', want '$3'"
}
fig $ZJ callbacks 6;		fig $ZJ satisfied 3
fig $ZJ basically_satisfied 1;	fig $ZJ unsatisfied 1
fig $ZJ unreachable 1;		fig $ZJ satisfaction_rate 80.0
fig "" callbacks 6;		fig "" satisfaction_rate 80.0
run report --db "$DB" --from 2026-11-01 --to 2026-12-01 --by agency \
    --format csv --min 6
grep -q '"too few"\|,too few,' "$tmp/out" || fail "--min 6: not too few"
run report --explain
grep -q '满意率' "$tmp/out" || fail "--explain: no satisfaction rate"

# --- 3. ratings --------------------------------------------------------------------
run operator --run-dir "$RUN" add 张管理 --role admin --key-out "$tmp/admin.key"
expect_rc 0 "the first admin"
export GRIDLINE_KEY=$tmp/admin.key
run operator --run-dir "$RUN" add 西门指挥 --role township \
    --township 330203003 --key-out "$tmp/xm.key"
expect_rc 0 "西门's operator"
run operator --run-dir "$RUN" add 南门指挥 --role township \
    --township 330203001 --key-out "$tmp/nm.key"
expect_rc 0 "南门's operator"
run operator --run-dir "$RUN" add 李值班 --role supervisor \
    --key-out "$tmp/sup.key"
expect_rc 0 "a supervisor"
run operator --run-dir "$RUN" add 王调度 --role dispatcher \
    --key-out "$tmp/disp.key"
expect_rc 0 "a dispatcher"
unset GRIDLINE_KEY

# rate KEY WANT ARGS...: ctl rate signed by KEY; WANT ok or an error code
rate() {
	local key=$1 want=$2
	shift 2
	if ctl --key "$tmp/$key.key" rate "$@" >"$tmp/rate" 2>&1; then
		[ "$want" = ok ] || fail "rate $key $*: done, want $want"
	else
		[ "$want" != ok ] &&
		    grep -q "\"code\": \"$want\"" "$tmp/rate" ||
		    fail "rate $key $*: $(head -c 300 "$tmp/rate"), want $want"
	fi
}
rate xm ok agency=330203003.ZFZD month=2026-11 score=4 comment=响应及时
grep -q '"replaced": false' "$tmp/rate" || fail "first rating: replaced"
grep -q '"rated_by": "西门指挥"' "$tmp/rate" || fail "first rating: rater"
rate xm ok agency=330203003.ZFZD month=2026-11 score=3 comment=偶有拖延
grep -q '"replaced": true' "$tmp/rate" || fail "second rating: not replaced"
rate xm forbidden agency=330203.ZF month=2026-11 score=5
grep -q '"rule": "township_command"' "$tmp/rate" ||
    fail "district bureau: $(head -c 300 "$tmp/rate")"
rate xm bad_value agency=330203003.ZZB month=2026-11 score=5
for s in 0 6; do
	rate xm bad_value agency=330203003.ZFZD month=2026-11 score=$s
	grep -q '"field": "score"' "$tmp/rate" || fail "score $s: no field"
done
for m in 2026-13 202611 2026-1 2026/11 26-11-01 2026-11-01; do
	rate xm bad_value agency=330203003.ZFZD month:="\"$m\"" score=4
	grep -q '"field": "month"' "$tmp/rate" || fail "month $m: no field"
done
rate xm bad_value agency=330203003.ZFZD month=2027-01 score=4
rate nm forbidden agency=330203003.ZFZD month=2026-11 score=1
rate nm forbidden agency=330203003.ZFZD month=2026-11 score=1 \
    township:='"330203003"'
rate sup forbidden agency=330203003.ZFZD month=2026-11 score=1 \
    township:='"330203003"'
grep -q '"rule": "role"' "$tmp/rate" || fail "supervisor: not by role"
rate nm ok agency=330203001.ZFZD month=2026-11 score=5
rate xm ok agency=330203003.ZFZD score=3 comment=偶有拖延	# this month

# the call-back's rights: a dispatcher records one, a reopen is a
# supervisor's (it is a reopen too)
export GRIDLINE_KEY=$tmp/disp.key
act callback h2 result=basically_satisfied
refused forbidden callback h2 result=unsatisfied reopen=true reason=未解决
export GRIDLINE_KEY=$tmp/sup.key
act callback h2 result=unsatisfied reopen=true reason=未解决
unset GRIDLINE_KEY

ctl --key "$tmp/admin.key" ratings month=2026-11 >"$tmp/ratings" ||
    fail "ratings: $(head -c 300 "$tmp/ratings")"
[ "$(grep -c '"agency": "330203003.ZFZD"' "$tmp/ratings")" -eq 1 ] ||
    fail "ratings: not one row of 西门's unit: $(cat "$tmp/ratings")"
[ "$(grep -c '"score":' "$tmp/ratings")" -eq 2 ] ||
    fail "ratings: not two rows in all"
grep -q '"score": 3' "$tmp/ratings" || fail "ratings: not the latest score"
ctl --key "$tmp/admin.key" --tsv ratings month=2026-11 >"$tmp/ratings.tsv" ||
    fail "ratings --tsv"
[ "$(wc -l <"$tmp/ratings.tsv")" -eq 2 ] &&
    grep -q $'^2026-11\t330203003\t330203003.ZFZD\t3\t' "$tmp/ratings.tsv" ||
    fail "ratings --tsv: $(cat "$tmp/ratings.tsv")"
ctl --key "$tmp/nm.key" ratings month=2026-11 >"$tmp/nm.ratings" ||
    fail "南门's ratings"
grep -q 330203003.ZFZD "$tmp/nm.ratings" &&
    fail "南门 reads 西门's rating"
grep -q 'rating: 330203003 changed its rating of 330203003.ZFZD for 2026-11: 3 by 西门指挥' \
    "$LOG" || fail "the server log: no accountable line"
run report --db "$DB" --from 2026-11-01 --to 2026-12-01 --by agency \
    --format csv
cp "$tmp/out" "$tmp/agency.csv"
fig 330203003.ZFZD rating_mean 3.00
fig 330203001.ZFZD rating_mean 5.00

# --- 4. a township console rates --------------------------------------------------
if command -v tmux >/dev/null 2>&1; then
	tm_console t "$tmp/xm.key"
	wait_screen t '西门指挥·township command online' 5000 ||
	    { fail "township console: the top bar"; dump t; }
	tm send-keys -t t ":rate 330203003.SJS 5 服务很好" Enter
	wait_screen t 'rated: 西门市场监督管理所 5/5 for 2026-11' 5000 ||
	    { fail "console: no confirmation"; dump t; }
	tm send-keys -t t ":rate 330203.ZF 5" Enter
	wait_screen t 'rating refused' 5000 ||
	    { fail "console: no refusal"; dump t; }
	tm send-keys -t t q y
else
	echo "# tmux missing: the console part skipped"
fi

# --- 5. the month closes ------------------------------------------------------------
export GRIDLINE_KEY=$tmp/admin.key	# for at's status
at 2026-12-05T23:59:00+08:00
rate xm ok agency=330203003.ZFZD month=2026-11 score=2
at 2026-12-06T00:00:01+08:00
rate xm month_closed agency=330203003.ZFZD month=2026-11 score=5
rate xm ok agency=330203003.ZFZD month=2026-12 score=5
ctl --key "$tmp/admin.key" ratings month=2026-11 >"$tmp/ratings"
grep -A8 '"agency": "330203003.ZFZD"' "$tmp/ratings" |
    grep -q '"score": 2' || fail "closed month: the rating changed"

finish
