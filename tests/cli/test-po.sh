#!/usr/bin/env bash
# test-po.sh: every interface string has its Chinese. The template is made
# from the sources as the catalogue is (xgettext with the keywords _ and N_
# on the same files), merged with po/zh_CN.po without fuzzy matching, and
# every msgid the catalogue does not translate is listed with where it is:
# new in the sources and missing from the catalogue, present but
# untranslated, or marked fuzzy (gettext does not use a fuzzy translation,
# so a dispatcher would read English). The catalogue must also pass
# msgfmt -c without a warning. A developer who adds _("...") without its
# Chinese fails here.
#
# To update the catalogue after adding strings:
#	xgettext --from-code=UTF-8 -k_ -kN_ --add-comments=TRANSLATORS \
#	    -o /tmp/gl.pot console/*.c cli/*.c gridline.c net/client/*.c \
#	    net/proto/*.c
#	msgmerge --no-fuzzy-matching --no-location -U po/zh_CN.po /tmp/gl.pot
# then translate what is empty (and drop the #~ entries).
#
# Environment (set by `make check`): GRIDLINE, GL_DATA (for tests/lib.sh);
# GL_SRCDIR, the source tree whose sources and po/zh_CN.po are checked (a
# scratch copy works the same).
set -euo pipefail

. "$GL_SRCDIR/tests/lib.sh"
setup po
LC_ALL=C.UTF-8

for t in xgettext msgmerge msgattrib msgfmt; do
	need "$t" "$t not installed (Debian package gettext)"
done

po=$GL_SRCDIR/po/zh_CN.po
[ -f "$po" ] || die "no catalogue $po"

# The same files and keywords as the catalogue is made from.
if ! (cd "$GL_SRCDIR" && xgettext --from-code=UTF-8 -k_ -kN_ \
    --add-comments=TRANSLATORS -o "$tmp/gridline.pot" console/*.c cli/*.c \
    gridline.c net/client/*.c net/proto/*.c) 2>"$tmp/err"; then
	die "xgettext failed: $(cat "$tmp/err")"
fi
msgmerge -q --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$po" \
    "$tmp/gridline.pot" 2>"$tmp/err" ||
	die "msgmerge failed: $(cat "$tmp/err")"

# po_list FILE: each entry of FILE but the header as "  where: "msgid"".
po_list() {
	awk '
	function flush() {
		if (inid && id != "")
			printf "  %s\"%s\"\n", ref != "" ? ref ": " : "", id
		ref = ""; id = ""; inid = 0
	}
	/^#: / { ref = ref (ref != "" ? " " : "") substr($0, 4); next }
	/^msgid / {
		s = substr($0, 7); sub(/^"/, "", s); sub(/"$/, "", s)
		id = s; inid = 1; next
	}
	/^"/ && inid {
		s = $0; sub(/^"/, "", s); sub(/"$/, "", s)
		id = id s; next
	}
	/^msgstr|^msgid_plural/ { flush() }
	' "$1"
}

msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" \
    >"$tmp/untranslated.po"
msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po" \
    >"$tmp/fuzzy.po"
untranslated=$(po_list "$tmp/untranslated.po")
fuzzy=$(po_list "$tmp/fuzzy.po")
if [ -n "$untranslated" ]; then
	fail "po/zh_CN.po has no Chinese for $(printf '%s\n' \
	    "$untranslated" | wc -l) msgid(s):
$untranslated"
fi
if [ -n "$fuzzy" ]; then
	fail "po/zh_CN.po has fuzzy translations (gettext ignores them) for:
$fuzzy"
fi

if ! msgfmt -c -o /dev/null "$po" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
	fail "msgfmt -c po/zh_CN.po:
$(cat "$tmp/err")"
fi
n=$(grep -c '^msgid ' "$tmp/gridline.pot")
finish "$((n - 1)) msgids, all translated"
