#!/usr/bin/env bash
# test-i18n.sh: interface text goes through gettext; the Chinese catalogue
# is built and found from an uninstalled build, and English is the default.
set -euo pipefail
: "${GRIDLINE:?}"
fail=0

zh=$(LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$GRIDLINE" --help)
if ! grep -q '用法' <<<"$zh" || ! grep -q '校验基础数据' <<<"$zh"; then
  echo "FAIL: Chinese help not translated:"; echo "$zh"; fail=1
fi
en=$(LC_ALL=C.UTF-8 LANGUAGE=en "$GRIDLINE" --help)
if ! grep -q '^usage: gridline COMMAND' <<<"$en"; then
  echo "FAIL: English help wrong:"; echo "$en"; fail=1
fi
# An error message, translated, on stderr, with the exit code kept.
set +e
err=$(LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$GRIDLINE" nosuchcommand 2>&1 >/dev/null)
rc=$?
set -e
if [ "$rc" != 2 ] || ! grep -q '未知或有歧义的命令' <<<"$err"; then
  echo "FAIL: translated error (rc=$rc): $err"; fail=1
fi
exit $fail
