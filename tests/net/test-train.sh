#!/usr/bin/env bash
# test-train.sh: training (issue 13) through the real commands: `gridline
# train start` on a training server of its own, the console driven by a
# script in tmux, `train stop`, `train score`.
#
# What is checked:
#   1. A training server refuses a live database and a live server a
#      training one, each saying so.
#   2. `gridline check` verifies scenarios: a broken copy of the test
#      scenario (a wrong lead, a merge of an unknown incident) is refused
#      naming file:line.
#   3. A scripted trainee run of tests/scenarios/mini with two known
#      mistakes (a wrong agency; a repeat dispatched instead of merged)
#      scores 70 = routing 60 x 2/4 + registration 15 + decision 15 +
#      overdue 10, worked out by hand, and names the two mistakes; the
#      score printed twice is the same bytes; --json says the same.
#   4. The mini scenario's model handling scores 100.
#   5. Each shipped scenario's model handling (data/scenarios/*/
#      model.script) scores 100 at x60.
#   6. `train inject` adds an incident to the running exercise.
#
# Bounded: every wait has a limit; about 2 minutes, most of it the shipped
# scenarios (45 minutes of a typhoon night at x60).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup train
need tmux "tmux is not installed"
MINI=$GL_SRCDIR/tests/scenarios/mini

# --- 1. training and live databases are kept apart ------------------------------
start_daemon || die "a live server did not start"
stop_daemon || die "the live server did not stop"
run serve --run-dir "$RUN" --db "$DB" --log "$LOG" --training
expect_rc 1 "a training server on a live database"
grep -q 'is a live database' "$tmp/err" || fail "live db: $(cat "$tmp/err")"
run serve --daemon --run-dir "$tmp/run2" --db "$tmp/train.db" --log "$LOG" \
    --training
expect_rc 0 "a training server on a new database"
watch_run "$tmp/run2"
kill "$(lock_pid "$tmp/run2")" && wait_gone "$(lock_pid "$tmp/run2")" 10000 ||
    true
sleep 0.5
run serve --run-dir "$tmp/run3" --db "$tmp/train.db" --log "$LOG"
expect_rc 1 "a live server on a training database"
grep -q 'is a training database' "$tmp/err" ||
    fail "training db: $(cat "$tmp/err")"

# --- 2. gridline check verifies scenarios ------------------------------------------
mkdir -p "$tmp/data/scenarios"
for f in "$GL_DATA"/*.tsv; do ln -s "$f" "$tmp/data/"; done
cp -r "$MINI" "$tmp/data/scenarios/mini"
run check "$tmp/data"
expect_rc 0 "check with a good scenario"
grep -q '1 training scenarios' "$tmp/out" || fail "check: $(cat "$tmp/out")"
sed -i 's/^mini-02\tdispatch\t330203003.ZFZD/mini-02\tdispatch\t330203.GA/;
    s/\tmini-01\t同一/\tmini-09\t同一/' "$tmp/data/scenarios/mini/expected.tsv"
run check "$tmp/data"
expect_rc 1 "check with a broken scenario"
grep -q 'expected.tsv:3: id mini-02: 330203.GA is not the lead' "$tmp/err" ||
    fail "check: the wrong lead: $(cat "$tmp/err")"
grep -q 'expected.tsv:4: id mini-03: merge of mini-09' "$tmp/err" ||
    fail "check: the unknown merge: $(cat "$tmp/err")"

# --- a session, scripted: train start in tmux until the script quits -----------
# session SCENARIO SPEED SCRIPT: the session's name on stdout
session() {
	local name end
	tm new-session -d -s tr -x 120 -y 30 "exec env LC_ALL=C.UTF-8 \
XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
GRIDLINE_DATA='$GL_DATA' '$GRIDLINE' train start '$1' --speed $2 \
--trainee 学员甲 --script '$3'"
	end=$(($(now_ms) + 150000))
	sleep 1
	name=$("$GRIDLINE" train list 2>/dev/null | awk -F'\t' \
	    '$3 == "running" { print $1 }' | tail -1)
	[ -n "$name" ] || { dump tr >&2; die "train start: no session runs"; }
	watch_run "$XDG_DATA_HOME/gridline/training/$name/run"
	while tm has-session -t tr 2>/dev/null; do
		[ "$(now_ms)" -lt "$end" ] ||
		    { dump tr >&2; die "$1: the script did not end"; }
		sleep 0.2
	done
	timeout 30 "$GRIDLINE" train stop "$name" >/dev/null ||
	    fail "train stop $name"
	echo "$name"
}

# --- 3. a trainee with two mistakes ---------------------------------------------------
name=$(session "$MINI" 60 "$MINI/trainee.script")
timeout 30 "$GRIDLINE" train score "$name" >"$tmp/score1" ||
    fail "train score: $(cat "$tmp/score1")"
timeout 30 "$GRIDLINE" train score >"$tmp/score2" || fail "train score again"
cmp -s "$tmp/score1" "$tmp/score2" || fail "two scores differ"
grep -q '^Score: 70/100 = routing 30.0 + registration 15.0 + decision 15.0 + overdue 10.0$' \
    "$tmp/score1" || fail "score: $(cat "$tmp/score1")"
grep -q 'Incidents: 4, decided 4, correct 2' "$tmp/score1" ||
    fail "counts: $(cat "$tmp/score1")"
grep -q 'mini-02 .*dispatched to 330203.ZF, expected 330203003.ZFZD' \
    "$tmp/score1" || fail "mistake mini-02: $(cat "$tmp/score1")"
grep -q 'mini-03 .*not merged (a repeat of mini-01' "$tmp/score1" ||
    fail "mistake mini-03: $(cat "$tmp/score1")"
grep -Eq '^  mini-0[14] ' "$tmp/score1" &&
    fail "a right handling listed as a mistake: $(cat "$tmp/score1")"
timeout 30 "$GRIDLINE" train score "$name" --json >"$tmp/score.json" ||
    fail "train score --json"
grep -q '"score": 70' "$tmp/score.json" && grep -q '"correct": 2' \
    "$tmp/score.json" || fail "json: $(head -c 400 "$tmp/score.json")"

# --- 4. the model handling of the mini scenario --------------------------------------
name=$(session "$MINI" 60 "$MINI/model.script")
timeout 30 "$GRIDLINE" train score "$name" >"$tmp/score" || fail "score"
grep -q '^Score: 100/100' "$tmp/score" || fail "mini model: $(cat "$tmp/score")"

# --- 6. an instructor's incident during an exercise --------------------------------------
tm new-session -d -s inj -x 120 -y 30 "exec env LC_ALL=C.UTF-8 \
XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
GRIDLINE_DATA='$GL_DATA' '$GRIDLINE' train start '$MINI' --speed 1"
wait_screen inj 'TRAINING' 10000 || { fail "no TRAINING banner"; dump inj; }
printf '%s\n' '{"id":"inj-1","grid":"330203003001001","category":"1105","reported_at":"2026-12-01T09:00:00+08:00","summary":"教员插入：路灯不亮"}' \
    >"$tmp/inject.jsonl"
timeout 30 "$GRIDLINE" train inject "$tmp/inject.jsonl" >/dev/null 2>&1 ||
    fail "train inject"
wait_screen inj '教员插入' 10000 || { fail "the injected incident"; dump inj; }
tm send-keys -t inj q y
timeout 30 "$GRIDLINE" train stop >/dev/null || fail "train stop"

# --- 5. the shipped scenarios' model handling ---------------------------------------------
for s in "$GL_DATA"/scenarios/*/; do
	s=${s%/}
	name=$(session "$(basename "$s")" 60 "$s/model.script")
	timeout 30 "$GRIDLINE" train score "$name" >"$tmp/score" ||
	    fail "score $name"
	grep -q '^Score: 100/100' "$tmp/score" ||
	    fail "$(basename "$s") model: $(cat "$tmp/score")"
done

finish
