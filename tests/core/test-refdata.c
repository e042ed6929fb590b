/*
 * test-refdata.c: loading and checking the reference data (core/refdata*.c,
 * core/check.c).
 *
 * Two sources of truth. The shipped data/ must load clean with Ningbo's
 * real division counts (10 districts, 163 townships, 3,042 communities,
 * 7,368 grids) and full coverage. The mini-city fixture (minicity.h, shared
 * with test-route.c), written to a scratch directory at run time, is loaded
 * clean and then mutated one edit at a time: each row of the mutation table
 * names the file and line edited, the result docs/DATA.md demands
 * (accepted, rejected, unreadable) and what the problem list must say,
 * always with file:line. Coverage rows delete responsibility-list rows and
 * count the gaps check_coverage must report.
 *
 * The fixture's line numbers are fixed by the arrays in minicity.h (line 1
 * is the header, the array's second string is line 2); keep the comments
 * there and the line numbers below in step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "check.h"
#include "diag.h"
#include "error.h"
#include "minicity.h"
#include "refdata.h"
#include "testutil.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MAXWANT		4

enum mut_op { M_NONE, M_REPLACE, M_DELETE, M_APPEND, M_RMFILE };

struct mutation {
	const char	*label;
	const char	*file;
	enum mut_op	 op;
	int		 line;		/* 1-based, for replace and delete */
	const char	*text;		/* for replace and append */
	int		 rc;		/* refdata_load */
	int		 gaps;		/* check_coverage, when rc == 0 */
	const char	*want[MAXWANT];	/* substrings of the problems */
	const char	*absent;	/* a substring no problem may have */
};

static const struct mutation mutations[] = {
	{ "clean fixture", NULL, M_NONE, 0, NULL, 0, 0, { NULL }, NULL },

	/* --- the jurisdiction tree ------------------------------------- */
	{ "district with unknown city", "districts.tsv", M_REPLACE, 3,
	    "330205\t江北区\t区\t330299", GL_EPARSE, 0,
	    { "/districts.tsv:3: ", "330299" }, NULL },
	{ "township with unknown district", "townships.tsv", M_REPLACE, 3,
	    "330203002\t江厦街道\t街道\t330207\t", GL_EPARSE, 0,
	    { "/townships.tsv:3: ", "330207" }, NULL },
	{ "community with unknown township", "communities.tsv", M_REPLACE, 5,
	    "330205001001\t中马村\t村\t330205009\tno", GL_EPARSE, 0,
	    { "/communities.tsv:5: ", "330205009" }, NULL },
	{ "grid with unknown community", "grids.tsv", M_REPLACE, 8,
	    "330205001001003\t中马3\t330205001009\tyes", GL_EPARSE, 0,
	    { "/grids.tsv:8: ", "330205001009" }, NULL },
	{ "grid whose parent is a township", "grids.tsv", M_REPLACE, 8,
	    "330205001001003\t中马3\t330205001\tyes", GL_EPARSE, 0,
	    { "/grids.tsv:8: ", "330205001" }, NULL },
	{ "district code 5 digits", "districts.tsv", M_APPEND, 0,
	    "33021\t镇海区\t区\t330200", GL_EPARSE, 0,
	    { "/districts.tsv:4: ", "33021" }, NULL },
	{ "township code 10 digits", "townships.tsv", M_APPEND, 0,
	    "3302050020\t孔浦街道\t街道\t330205\t", GL_EPARSE, 0,
	    { "/townships.tsv:5: ", "3302050020" }, NULL },
	{ "community code with a letter", "communities.tsv", M_APPEND, 0,
	    "33020500100A\t中马A\t社区\t330205001\tno", GL_EPARSE, 0,
	    { "/communities.tsv:6: ", "33020500100A" }, NULL },
	{ "grid code 14 digits", "grids.tsv", M_APPEND, 0,
	    "33020500100100\t中马4\t330205001001\tyes", GL_EPARSE, 0,
	    { "/grids.tsv:9: ", "33020500100100" }, NULL },
	{ "township code not prefixed by its district", "townships.tsv",
	    M_APPEND, 0, "330203009\t孔浦街道\t街道\t330205\t", GL_EPARSE, 0,
	    { "/townships.tsv:5: ", "330203009" }, NULL },
	{ "community code not prefixed by its township", "communities.tsv",
	    M_APPEND, 0, "330203001003\t中马2\t村\t330205001\tno", GL_EPARSE,
	    0, { "/communities.tsv:6: ", "330203001003" }, NULL },
	{ "grid code not prefixed by its community", "grids.tsv", M_APPEND, 0,
	    "330205001002001\t中马4\t330205001001\tyes", GL_EPARSE, 0,
	    { "/grids.tsv:9: ", "330205001002001" }, NULL },
	{ "district code outside the city's 3302 prefix", "districts.tsv",
	    M_APPEND, 0, "330305\t外区\t区\t330200", GL_EPARSE, 0,
	    { "/districts.tsv:4: ", "330305" }, NULL },
	{ "city code not ending in 00", "city.tsv", M_REPLACE, 2,
	    "330201\t宁波市", GL_EPARSE, 0, { "/city.tsv:2: ", "330201" },
	    NULL },
	{ "two city rows", "city.tsv", M_APPEND, 0, "330300\t温州市",
	    GL_EPARSE, 0, { "/city.tsv" }, NULL },
	{ "duplicate community code", "communities.tsv", M_APPEND, 0,
	    "330205001001\t中马新村\t村\t330205001\tno", GL_EPARSE, 0,
	    { "/communities.tsv:6: ", "330205001001", "communities.tsv:5" },
	    NULL },
	{ "duplicate grid code", "grids.tsv", M_APPEND, 0,
	    "330203001001001\t南门1-1\t330203001001\tyes", GL_EPARSE, 0,
	    { "/grids.tsv:9: ", "330203001001001", "grids.tsv:2" }, NULL },
	{ "duplicate district code", "districts.tsv", M_APPEND, 0,
	    "330203\t海曙区\t区\t330200", GL_EPARSE, 0,
	    { "/districts.tsv:4: ", "districts.tsv:2" }, NULL },
	{ "district kind 市", "districts.tsv", M_REPLACE, 3,
	    "330205\t江北区\t市\t330200", GL_EPARSE, 0,
	    { "/districts.tsv:3: ", "市" }, NULL },
	{ "township kind 社区", "townships.tsv", M_REPLACE, 3,
	    "330203002\t江厦街道\t社区\t330203\t", GL_EPARSE, 0,
	    { "/townships.tsv:3: ", "社区" }, NULL },
	{ "community kind 街道", "communities.tsv", M_REPLACE, 5,
	    "330205001001\t中马村\t街道\t330205001\tno", GL_EPARSE, 0,
	    { "/communities.tsv:5: ", "街道" }, NULL },
	{ "community kind empty", "communities.tsv", M_REPLACE, 5,
	    "330205001001\t中马村\t\t330205001\tno", GL_EPARSE, 0,
	    { "/communities.tsv:5: " }, NULL },
	/* A rejected township makes its file not loaded; the rows that
	 * depend on it must not each be reported as a follow-on problem
	 * (refdata-load.c: "checks that depend on it are skipped instead
	 * of drowning the user in follow-on errors"). */
	{ "bad township, no follow-on problems", "townships.tsv", M_REPLACE, 4,
	    "330205001\t中马街道\t村\t330205\t", GL_EPARSE, 0,
	    { "/townships.tsv:4: " }, "/communities.tsv:5: " },
	{ "community generated 是", "communities.tsv", M_REPLACE, 2,
	    "330203001001\t南门第1社区\t社区\t330203001\t是", GL_EPARSE, 0,
	    { "/communities.tsv:2: ", "generated" }, NULL },
	{ "grid generated empty", "grids.tsv", M_REPLACE, 3,
	    "330203001001002\t南门1-2\t330203001001\t", GL_EPARSE, 0,
	    { "/grids.tsv:3: ", "generated" }, NULL },
	{ "grid generated Yes", "grids.tsv", M_REPLACE, 3,
	    "330203001001002\t南门1-2\t330203001001\tYes", GL_EPARSE, 0,
	    { "/grids.tsv:3: ", "generated" }, NULL },
	{ "grid name empty", "grids.tsv", M_REPLACE, 3,
	    "330203001001002\t\t330203001001\tyes", GL_EPARSE, 0,
	    { "/grids.tsv:3: ", "name" }, NULL },
	{ "grids.tsv without the community column", "grids.tsv", M_REPLACE,
	    1, "code\tname\tparent\tgenerated", GL_EPARSE, 0,
	    { "/grids.tsv:1: ", "community" }, NULL },

	/* --- agencies -------------------------------------------------- */
	{ "agency with unknown jurisdiction", "agencies.tsv", M_REPLACE, 7,
	    "330205.ZF\t江北区综合行政执法局\tdistrict\t330209\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: ", "330209" }, NULL },
	{ "agency level city on a district", "agencies.tsv", M_REPLACE, 7,
	    "330205.ZF\t江北区综合行政执法局\tcity\t330205\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: ", "330205" }, NULL },
	{ "agency level township on a district", "agencies.tsv", M_REPLACE, 7,
	    "330205.ZF\t江北区综合行政执法局\ttownship\t330205\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: " }, NULL },
	{ "agency level province", "agencies.tsv", M_REPLACE, 7,
	    "330205.ZF\t江北区综合行政执法局\tprovince\t330205\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: ", "province" }, NULL },
	{ "agency on a community", "agencies.tsv", M_APPEND, 0,
	    "330205001001.CW\t中马村村委会\ttownship\t330205001001\t乡镇\t",
	    GL_EPARSE, 0, { "/agencies.tsv:12: " }, NULL },
	{ "agency code of another jurisdiction", "agencies.tsv", M_REPLACE, 7,
	    "330203.JB\t江北区综合行政执法局\tdistrict\t330205\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: ", "330203.JB" }, NULL },
	{ "agency code lower case", "agencies.tsv", M_REPLACE, 7,
	    "330205.zf\t江北区综合行政执法局\tdistrict\t330205\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: ", "330205.zf" }, NULL },
	{ "agency code without abbreviation", "agencies.tsv", M_REPLACE, 7,
	    "330205.\t江北区综合行政执法局\tdistrict\t330205\t部门\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: " }, NULL },
	{ "agency kind 单位", "agencies.tsv", M_REPLACE, 7,
	    "330205.ZF\t江北区综合行政执法局\tdistrict\t330205\t单位\t",
	    GL_EPARSE, 0, { "/agencies.tsv:7: ", "单位" }, NULL },
	{ "duplicate agency code", "agencies.tsv", M_APPEND, 0,
	    "330203.ZF\t海曙区另一局\tdistrict\t330203\t部门\t", GL_EPARSE, 0,
	    { "/agencies.tsv:12: ", "agencies.tsv:5" }, NULL },
	{ "派驻 without parent", "agencies.tsv", M_REPLACE, 8,
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t", GL_EPARSE, 0, { "/agencies.tsv:8: ", "parent" }, NULL },
	{ "派驻 with unknown parent", "agencies.tsv", M_REPLACE, 8,
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330203.XX", GL_EPARSE, 0,
	    { "/agencies.tsv:8: ", "330203.XX" }, NULL },
	{ "派驻 parent a company", "agencies.tsv", M_REPLACE, 8,
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330200.SW", GL_EPARSE, 0,
	    { "/agencies.tsv:8: ", "330200.SW" }, NULL },
	{ "派驻 parent a township office", "agencies.tsv", M_REPLACE, 8,
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330203002.BSC", GL_EPARSE, 0,
	    { "/agencies.tsv:8: ", "330203002.BSC" }, NULL },
	{ "派驻 parent of another district", "agencies.tsv", M_REPLACE, 8,
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330205.ZF", GL_EPARSE, 0,
	    { "/agencies.tsv:8: ", "330205.ZF" }, NULL },
	{ "派驻 parent a city department", "agencies.tsv", M_REPLACE, 8,
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330200.ZF", 0, 0, { NULL }, NULL },
	/* DATA.md: 派驻 is a unit stationed in a township, whose command it
	 * takes; 乡镇 is a township's own office: both township level. */
	{ "派驻 unit on a district", "agencies.tsv", M_APPEND, 0,
	    "330205.ZFZD\t江北区执法队\tdistrict\t330205\t派驻\t330200.ZF",
	    GL_EPARSE, 0, { "/agencies.tsv:12: " }, NULL },
	{ "乡镇 office of a district", "agencies.tsv", M_APPEND, 0,
	    "330205.BSC\t江北区办事处\tdistrict\t330205\t乡镇\t",
	    GL_EPARSE, 0, { "/agencies.tsv:12: " }, NULL },
	{ "parent on a 乡镇 office", "agencies.tsv", M_REPLACE, 9,
	    "330203001.BSC\t南门街道办事处\ttownship\t330203001\t乡镇\t"
	    "330203.ZF", GL_EPARSE, 0, { "/agencies.tsv:9: ", "330203.ZF" },
	    NULL },

	/* --- classes and categories ------------------------------------ */
	{ "class scope 农村", "classes.tsv", M_REPLACE, 3,
	    "11\t市政设施\t农村", GL_EPARSE, 0,
	    { "/classes.tsv:3: ", "农村" }, NULL },
	{ "class code 3 digits", "classes.tsv", M_APPEND, 0,
	    "120\t园林绿化\t城市", GL_EPARSE, 0, { "/classes.tsv:4: ", "120" },
	    NULL },
	{ "category platform 城市管理", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t城市管理\t1\t4\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "城市管理" }, NULL },
	{ "category priority 4", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t4\t4\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "priority" }, NULL },
	{ "category priority 0", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t0\t4\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "priority" }, NULL },
	{ "category priority empty", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t\t4\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "priority" }, NULL },
	{ "category limit 0", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t1\t0\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "limit" }, NULL },
	{ "category limit abc", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t1\tabc\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "abc" }, NULL },
	{ "category limit -4", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t1\t-4\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "-4" }, NULL },
	{ "category limit 2.5", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t1\t2.5\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "2.5" }, NULL },
	{ "category limit empty", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t1\t\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "limit" }, NULL },
	{ "category unit 小时", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t11\t综合执法\t1\t4\t小时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "小时" }, NULL },
	/* DATA.md: unit is one of 工作时, 工作日 or 自然时, nothing else. */
	{ "category unit h (not a DATA.md unit)", "categories.tsv", M_REPLACE,
	    3, "1103\t井盖缺失\t11\t综合执法\t1\t4\th", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "unit" }, NULL },
	{ "category unit wd (not a DATA.md unit)", "categories.tsv",
	    M_REPLACE, 3, "1103\t井盖缺失\t11\t综合执法\t1\t4\twd", GL_EPARSE,
	    0, { "/categories.tsv:3: ", "unit" }, NULL },
	{ "category with unknown class", "categories.tsv", M_REPLACE, 3,
	    "1103\t井盖缺失\t12\t综合执法\t1\t4\t工作时", GL_EPARSE, 0,
	    { "/categories.tsv:3: ", "12" }, NULL },
	{ "category code not prefixed by its class", "categories.tsv",
	    M_REPLACE, 3, "0103\t井盖缺失\t11\t综合执法\t1\t4\t工作时",
	    GL_EPARSE, 0, { "/categories.tsv:3: ", "0103" }, NULL },
	{ "category code 3 digits", "categories.tsv", M_APPEND, 0,
	    "110\t道路破损\t11\t综合执法\t2\t3\t工作日", GL_EPARSE, 0,
	    { "/categories.tsv:6: ", "110" }, NULL },
	{ "duplicate category code", "categories.tsv", M_APPEND, 0,
	    "1103\t井盖破损\t11\t综合执法\t2\t3\t工作日", GL_EPARSE, 0,
	    { "/categories.tsv:6: ", "categories.tsv:3" }, NULL },

	/* --- the responsibility list ----------------------------------- */
	{ "duty with unknown category", "duty.tsv", M_APPEND, 0,
	    "9999\t330203\t330203.ZF\t", GL_EPARSE, 0,
	    { "/duty.tsv:13: ", "9999" }, NULL },
	{ "duty with unknown jurisdiction", "duty.tsv", M_APPEND, 0,
	    "1106\t330207\t330200.SW\t", GL_EPARSE, 0,
	    { "/duty.tsv:13: ", "330207" }, NULL },
	{ "duty with unknown lead", "duty.tsv", M_REPLACE, 6,
	    "1103\t330203\t330203.XX\t330203.ZJ", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "330203.XX" }, NULL },
	{ "duty with empty lead", "duty.tsv", M_REPLACE, 6,
	    "1103\t330203\t\t330203.ZJ", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "lead" }, NULL },
	{ "lead agency of another district", "duty.tsv", M_REPLACE, 8,
	    "1105\t330203\t330205.ZF\t", GL_EPARSE, 0,
	    { "/duty.tsv:8: ", "330205.ZF" }, NULL },
	{ "lead a township office on a district row", "duty.tsv", M_REPLACE,
	    6, "1103\t330203\t330203001.BSC\t330203.ZJ", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "330203001.BSC" }, NULL },
	{ "lead the office of another township", "duty.tsv", M_REPLACE, 7,
	    "1103\t330203001\t330203002.BSC\t", GL_EPARSE, 0,
	    { "/duty.tsv:7: ", "330203002.BSC" }, NULL },
	{ "lead a city department on a township row", "duty.tsv", M_REPLACE,
	    7, "1103\t330203001\t330200.ZF\t330203001.BSC", 0, 0, { NULL },
	    NULL },
	{ "support unknown", "duty.tsv", M_REPLACE, 6,
	    "1103\t330203\t330203.ZF\t330203.ZJ,330203.XX", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "330203.XX" }, NULL },
	{ "support is the lead", "duty.tsv", M_REPLACE, 6,
	    "1103\t330203\t330203.ZF\t330203.ZF", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "330203.ZF" }, NULL },
	{ "support of another district", "duty.tsv", M_REPLACE, 6,
	    "1103\t330203\t330203.ZF\t330205.ZF", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "330205.ZF" }, NULL },
	{ "support listed twice", "duty.tsv", M_REPLACE, 6,
	    "1103\t330203\t330203.ZF\t330203.ZJ,330203.ZJ", GL_EPARSE, 0,
	    { "/duty.tsv:6: ", "330203.ZJ" }, NULL },
	{ "tie: two rows for 1103 in 330203", "duty.tsv", M_APPEND, 0,
	    "1103\t330203\t330203.ZJ\t", GL_EPARSE, 0,
	    { "/duty.tsv:13: ", "duty.tsv:6", "1103", "330203" }, NULL },
	{ "tie with the same lead", "duty.tsv", M_APPEND, 0,
	    "0101\t330205\t330205.ZF\t", GL_EPARSE, 0,
	    { "/duty.tsv:13: ", "duty.tsv:3" }, NULL },
	{ "duty.tsv without the support column", "duty.tsv", M_REPLACE, 1,
	    "category\tjurisdiction\tlead\tnote", GL_EPARSE, 0,
	    { "/duty.tsv:1: ", "support" }, NULL },
	{ "duty line with a field too many", "duty.tsv", M_REPLACE, 9,
	    "1105\t330205\t330205.ZF\t\t", GL_EPARSE, 0,
	    { "/duty.tsv:9: " }, NULL },

	/* --- gaps (check_coverage) ------------------------------------- */
	{ "gap: 0101 district 330205 row deleted", "duty.tsv", M_DELETE, 3,
	    NULL, 0, 1,
	    { "/grids.tsv:6: ", "330205001001001", "0101", "2 grid" }, NULL },
	{ "gap: 0101 district 330203 row deleted, 南门 keeps its row",
	    "duty.tsv", M_DELETE, 2, NULL, 0, 1,
	    { "/grids.tsv:5: ", "330203002001001", "0101" }, "330203001" },
	{ "no gap: township row deleted, district row falls back", "duty.tsv",
	    M_DELETE, 4, NULL, 0, 0, { NULL }, NULL },
	{ "no gap: 1103 township row deleted", "duty.tsv", M_DELETE, 7, NULL,
	    0, 0, { NULL }, NULL },
	{ "no gap: 1103 district row deleted, city row falls back",
	    "duty.tsv", M_DELETE, 6, NULL, 0, 0, { NULL }, NULL },
	{ "gap: 1103 city row deleted leaves 江北区", "duty.tsv", M_DELETE, 5,
	    NULL, 0, 1, { "/grids.tsv:6: ", "330205001001001", "1103",
	    "2 grid" }, NULL },
	{ "gap: 1106 only row deleted leaves the whole city", "duty.tsv",
	    M_DELETE, 12, NULL, 0, 1,
	    { "/grids.tsv:2: ", "330203001001001", "1106", "6 grid" }, NULL },
	{ "gap: 1105 district row deleted, a community row remains",
	    "duty.tsv", M_DELETE, 8, NULL, 0, 2,
	    { "/grids.tsv:4: ", "330203001002001", "/grids.tsv:5: ",
	    "330203002001001" }, NULL },
	{ "gap: 1105 330205 row deleted, a grid row remains", "duty.tsv",
	    M_DELETE, 9, NULL, 0, 2,
	    { "/grids.tsv:6: ", "330205001001001", "/grids.tsv:8: ",
	    "330205001001003" }, "330205001001002" },

	/* --- the business calendar ------------------------------------- */
	{ "holiday 2026-02-30", "holidays.tsv", M_APPEND, 0,
	    "2026-02-30\tholiday\t春节", GL_EPARSE, 0,
	    { "/holidays.tsv:5: ", "2026-02-30" }, NULL },
	{ "holiday 2026-13-01", "holidays.tsv", M_APPEND, 0,
	    "2026-13-01\tholiday\t春节", GL_EPARSE, 0,
	    { "/holidays.tsv:5: ", "2026-13-01" }, NULL },
	{ "holiday 2026/10/01", "holidays.tsv", M_APPEND, 0,
	    "2026/10/01\tholiday\t国庆节", GL_EPARSE, 0,
	    { "/holidays.tsv:5: ", "2026/10/01" }, NULL },
	{ "holiday 2026-1-1", "holidays.tsv", M_REPLACE, 2,
	    "2026-1-1\tholiday\t元旦", GL_EPARSE, 0,
	    { "/holidays.tsv:2: ", "2026-1-1" }, NULL },
	{ "holiday 2026-+1-01", "holidays.tsv", M_REPLACE, 2,
	    "2026-+1-01\tholiday\t元旦", GL_EPARSE, 0,
	    { "/holidays.tsv:2: ", "2026-+1-01" }, NULL },
	{ "holiday 2026-01- 1", "holidays.tsv", M_REPLACE, 2,
	    "2026-01- 1\tholiday\t元旦", GL_EPARSE, 0,
	    { "/holidays.tsv:2: ", "2026-01- 1" }, NULL },
	{ "holiday kind festival", "holidays.tsv", M_REPLACE, 4,
	    "2026-02-16\tfestival\t春节", GL_EPARSE, 0,
	    { "/holidays.tsv:4: ", "festival" }, NULL },
	{ "duplicate holiday date", "holidays.tsv", M_APPEND, 0,
	    "2026-01-01\tworkday\t元旦", GL_EPARSE, 0,
	    { "/holidays.tsv:5: ", "2026-01-01" }, NULL },
	{ "2028-02-29 exists", "holidays.tsv", M_APPEND, 0,
	    "2028-02-29\tholiday\t测试", 0, 0, { NULL }, NULL },
	{ "hours overlapping", "hours.tsv", M_REPLACE, 3,
	    "1-5\t11:30\t17:30", GL_EPARSE, 0, { "/hours.tsv:3: " }, NULL },
	{ "hours start after end", "hours.tsv", M_REPLACE, 3,
	    "1-5\t17:30\t13:30", GL_EPARSE, 0, { "/hours.tsv:3: " }, NULL },
	{ "hours start 8:30", "hours.tsv", M_REPLACE, 2,
	    "1-5\t8:30\t12:00", GL_EPARSE, 0, { "/hours.tsv:2: ", "8:30" },
	    NULL },
	{ "hours end 12:60", "hours.tsv", M_REPLACE, 2,
	    "1-5\t08:30\t12:60", GL_EPARSE, 0, { "/hours.tsv:2: ", "12:60" },
	    NULL },
	{ "hours start 25:00", "hours.tsv", M_REPLACE, 2,
	    "1-5\t25:00\t26:00", GL_EPARSE, 0, { "/hours.tsv:2: ", "25:00" },
	    NULL },
	{ "hours end 1730", "hours.tsv", M_REPLACE, 3,
	    "1-5\t13:30\t1730", GL_EPARSE, 0, { "/hours.tsv:3: ", "1730" },
	    NULL },
	{ "hours with different weekday sets", "hours.tsv", M_REPLACE, 3,
	    "1-6\t13:30\t17:30", GL_EPARSE, 0, { "/hours.tsv:3: ", "1-6" },
	    NULL },
	{ "hours weekdays 0-5", "hours.tsv", M_REPLACE, 2,
	    "0-5\t08:30\t12:00", GL_EPARSE, 0, { "/hours.tsv:2: ", "0-5" },
	    NULL },
	{ "hours weekdays 1-8", "hours.tsv", M_REPLACE, 2,
	    "1-8\t08:30\t12:00", GL_EPARSE, 0, { "/hours.tsv:2: ", "1-8" },
	    NULL },
	{ "hours weekdays as a comma list", "hours.tsv", M_REPLACE, 2,
	    "1,2,3,4,5\t08:30\t12:00", 0, 0, { NULL }, NULL },

	/* --- files ------------------------------------------------------ */
	{ "hours.tsv missing", "hours.tsv", M_RMFILE, 0, NULL, GL_EIO, 0,
	    { "hours.tsv" }, NULL },
	{ "duty.tsv missing", "duty.tsv", M_RMFILE, 0, NULL, GL_EIO, 0,
	    { "duty.tsv" }, NULL },
};

/* Rows whose edit is more than one line. */
struct mut_extra {
	const char	*label;
	const char	*file;
	const char	*lines[MC_MAXLINES];
	int		 rc;
	int		 gaps;
	const char	*want[MAXWANT];
};

static const struct mut_extra extras[] = {
	{ "districts.tsv columns reordered, a note added", "districts.tsv", {
	    "city\tnote\tname\tcode\tkind",
	    "330200\t老城\t海曙区\t330203\t区",
	    "# 江北",
	    "330200\t\t江北区\t330205\t区",
	    NULL }, 0, 0, { NULL } },
	{ "no gap: a grid-level row for each 江北 grid", "duty.tsv", {
	    "category\tjurisdiction\tlead\tsupport",
	    "0101\t330203\t330203.ZJ\t",
	    "0101\t330205001001001\t330205001.BSC\t",
	    "0101\t330205001001002\t330205001.BSC\t",
	    "0101\t330205001001003\t330205.ZF\t330205001.BSC",
	    "1103\t330200\t330200.ZF\t",
	    "1105\t330200\t330200.ZJ\t",
	    "1106\t330200\t330200.SW\t",
	    NULL }, 0, 0, { NULL } },
	{ "gap: a grid-level row for two of the three 江北 grids", "duty.tsv", {
	    "category\tjurisdiction\tlead\tsupport",
	    "0101\t330203\t330203.ZJ\t",
	    "0101\t330205001001001\t330205001.BSC\t",
	    "0101\t330205001001003\t330205.ZF\t330205001.BSC",
	    "1103\t330200\t330200.ZF\t",
	    "1105\t330200\t330200.ZJ\t",
	    "1106\t330200\t330200.SW\t",
	    NULL }, 0, 1, { "/grids.tsv:7: ", "330205001001002", "0101" } },
	/* DATA.md asks for periods not overlapping, not for an order. */
	{ "hours rows afternoon first", "hours.tsv", {
	    "weekdays\tstart\tend",
	    "1-5\t13:30\t17:30",
	    "1-5\t08:30\t12:00",
	    NULL }, 0, 0, { NULL } },
	{ "hours: two overlapping periods, the problem names a line",
	    "hours.tsv", {
	    "weekdays\tstart\tend",
	    "1-5\t08:30\t12:00",
	    "1-5\t13:30\t17:30",
	    "1-5\t17:00\t18:00",
	    NULL }, GL_EPARSE, 0, { "/hours.tsv:4: " } },
};

/* --- writing the fixture ------------------------------------------------- */

/* Write the fixture into dir with one mutation applied (m may be NULL). */
static void
write_fixture(const char *dir, const struct mutation *m)
{
	const char	*lines[MC_MAXLINES + 2];
	size_t		 f, i, n;

	for (f = 0; f < MC_NFILES; f++) {
		const struct mc_file *fx = &mc_fixture[f];

		for (n = 0; fx->lines[n] != NULL; n++)
			lines[n] = fx->lines[n];
		lines[n] = NULL;
		if (m != NULL && m->file != NULL &&
		    strcmp(m->file, fx->name) == 0) {
			switch (m->op) {
			case M_REPLACE:
				assert_true(m->line >= 1 &&
				    (size_t)m->line <= n);
				lines[m->line - 1] = m->text;
				break;
			case M_DELETE:
				assert_true(m->line >= 1 &&
				    (size_t)m->line <= n);
				for (i = (size_t)m->line - 1; i < n; i++)
					lines[i] = lines[i + 1];
				break;
			case M_APPEND:
				lines[n] = m->text;
				lines[n + 1] = NULL;
				break;
			case M_RMFILE:
				continue;
			case M_NONE:
				break;
			}
		}
		mc_write_lines(dir, fx->name, lines);
	}
}

/* Load dir, run the coverage check when the load was clean, compare. */
static int
load_and_compare(const char *dir, const char *label, int want_rc,
    int want_gaps, const char *const *want, const char *absent)
{
	static char	 text[65536];
	struct refdata	*rd = NULL;
	struct diag	 d;
	size_t		 k, gaps = 0;
	int		 rc, bad = 0;

	diag_init(&d);
	rc = refdata_load(dir, &rd, &d);
	if (rc == 0 && rd != NULL)
		gaps = check_coverage(rd, &d);
	diag_text(&d, text, sizeof text);
	if (rc != want_rc) {
		print_error("[%s] refdata_load %s, want %s\n%s", label,
		    gl_strerror_name(rc), gl_strerror_name(want_rc), text);
		bad++;
	} else if (rc == 0 && gaps != (size_t)want_gaps) {
		print_error("[%s] %zu gaps, want %d\n%s", label, gaps,
		    want_gaps, text);
		bad++;
	} else if (rc == 0 && d.n != gaps) {
		print_error("[%s] %zu problems for %zu gaps\n%s", label, d.n,
		    gaps, text);
		bad++;
	}
	if (rc == GL_EPARSE && rd == NULL) {
		print_error("[%s] EPARSE without the partial set\n", label);
		bad++;
	}
	if (rc != 0 && d.n == 0) {
		print_error("[%s] rejected without a problem\n", label);
		bad++;
	}
	if ((rc == GL_EIO) != (d.unreadable != 0)) {
		print_error("[%s] rc %s but unreadable %d\n", label,
		    gl_strerror_name(rc), d.unreadable);
		bad++;
	}
	for (k = 0; k < MAXWANT && want[k] != NULL; k++)
		if (strstr(text, want[k]) == NULL) {
			print_error("[%s] no problem mentions \"%s\"; got:\n%s",
			    label, want[k], text[0] ? text : "(none)\n");
			bad++;
		}
	if (absent != NULL && strstr(text, absent) != NULL) {
		print_error("[%s] a problem mentions \"%s\":\n%.2000s", label,
		    absent, text);
		bad++;
	}
	refdata_free(rd);
	diag_free(&d);
	return bad;
}

static void
test_mutations(void **state)
{
	const char	*dir;
	size_t		 i;
	int		 bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(mutations); i++) {
		const struct mutation *m = &mutations[i];

		dir = tu_tmpdir();
		write_fixture(dir, m);
		bad += load_and_compare(dir, m->label, m->rc, m->gaps,
		    m->want, m->absent);
		tu_rmtree(dir);
	}
	for (i = 0; i < NITEMS(extras); i++) {
		dir = tu_tmpdir();
		write_fixture(dir, NULL);
		mc_write_lines(dir, extras[i].file, extras[i].lines);
		bad += load_and_compare(dir, extras[i].label, extras[i].rc,
		    extras[i].gaps, extras[i].want, NULL);
		tu_rmtree(dir);
	}
	assert_int_equal(bad, 0);
}

/* --- the clean fixture, looked up --------------------------------------- */

static void
test_fixture_lookups(void **state)
{
	static const struct {
		const char		*code;
		enum juris_level	 level;
		const char		*parent;	/* NULL: none */
		const char		*name;
		int			 generated;
	} jrows[] = {
		{ "330200", JL_CITY, NULL, "宁波市", 0 },
		{ "330205", JL_DISTRICT, "330200", "江北区", 0 },
		{ "330203002", JL_TOWNSHIP, "330203", "江厦街道", 0 },
		{ "330203001002", JL_COMMUNITY, "330203001", "南门第2社区", 1 },
		{ "330205001001", JL_COMMUNITY, "330205001", "中马村", 0 },
		{ "330205001001002", JL_GRID, "330205001001", "中马2", 0 },
		{ "330205001001003", JL_GRID, "330205001001", "中马3", 1 },
	};
	static const struct {
		const char		*code;
		enum juris_level	 level;
		enum agency_kind	 kind;
		const char		*home;
		const char		*parent;
		long			 line;
	} arows[] = {
		{ "330200.SW", JL_CITY, AK_COMPANY, "330200", NULL, 4 },
		{ "330203.ZJ", JL_DISTRICT, AK_DEPARTMENT, "330203", NULL, 6 },
		{ "330203001.ZFZD", JL_TOWNSHIP, AK_STATIONED, "330203001",
		    "330203.ZF", 8 },
		{ "330205001.BSC", JL_TOWNSHIP, AK_TOWNSHIP, "330205001", NULL,
		    11 },
	};
	static const struct {
		const char	*code;
		const char	*klass;
		enum platform	 pf;
		int		 prio;
		long		 limit;
		enum cal_unit	 unit;
	} crows[] = {
		{ "0101", "01", PF_SERVICE, 3, 5, CAL_WORK_DAYS },
		{ "1103", "11", PF_ENFORCE, 1, 4, CAL_WORK_HOURS },
		{ "1106", "11", PF_ORDER, 1, 4, CAL_HOURS },
	};
	const char		*dir;
	struct refdata		*rd;
	struct diag		 d;
	const struct juris	*j;
	const struct agency	*a;
	const struct category	*c;
	const struct duty	*u;
	size_t			 i;

	(void)state;
	dir = tu_tmpdir();
	write_fixture(dir, NULL);
	diag_init(&d);
	assert_int_equal(refdata_load(dir, &rd, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(refdata_complete(rd), 1);
	assert_int_equal(refdata_level_count(rd, JL_CITY), 1);
	assert_int_equal(refdata_level_count(rd, JL_DISTRICT), 2);
	assert_int_equal(refdata_level_count(rd, JL_TOWNSHIP), 3);
	assert_int_equal(refdata_level_count(rd, JL_COMMUNITY), 4);
	assert_int_equal(refdata_level_count(rd, JL_GRID), 7);
	assert_int_equal(refdata_juris_count(rd), 17);
	assert_int_equal(refdata_agency_count(rd), 10);
	assert_int_equal(refdata_klass_count(rd), 2);
	assert_int_equal(refdata_category_count(rd), 4);
	assert_int_equal(refdata_duty_count(rd), 11);
	assert_string_equal(refdata_city(rd)->code, "330200");
	/* file order within a level */
	assert_string_equal(refdata_level_at(rd, JL_GRID, 0)->code,
	    "330203001001001");
	assert_string_equal(refdata_level_at(rd, JL_GRID, 6)->code,
	    "330205001001003");
	assert_null(refdata_level_at(rd, JL_GRID, 7));
	for (i = 0; i < NITEMS(jrows); i++) {
		j = refdata_juris(rd, jrows[i].code);
		assert_non_null(j);
		assert_int_equal(j->level, jrows[i].level);
		assert_string_equal(j->name, jrows[i].name);
		assert_int_equal(j->generated, jrows[i].generated);
		if (jrows[i].parent == NULL)
			assert_null(j->parent);
		else
			assert_string_equal(j->parent->code, jrows[i].parent);
	}
	assert_null(refdata_juris(rd, "330299"));
	assert_string_equal(juris_district(refdata_juris(rd,
	    "330205001001003"))->code, "330205");
	assert_null(juris_district(refdata_city(rd)));
	for (i = 0; i < NITEMS(arows); i++) {
		a = refdata_agency(rd, arows[i].code);
		assert_non_null(a);
		assert_int_equal(a->level, arows[i].level);
		assert_int_equal(a->kind, arows[i].kind);
		assert_string_equal(a->home->code, arows[i].home);
		assert_int_equal(a->line, arows[i].line);
		if (arows[i].parent == NULL)
			assert_null(a->parent);
		else
			assert_string_equal(a->parent->code, arows[i].parent);
	}
	for (i = 0; i < NITEMS(crows); i++) {
		c = refdata_category(rd, crows[i].code);
		assert_non_null(c);
		assert_string_equal(c->klass->code, crows[i].klass);
		assert_int_equal(c->platform, crows[i].pf);
		assert_int_equal(c->priority, crows[i].prio);
		assert_int_equal(c->limit, crows[i].limit);
		assert_int_equal(c->unit, crows[i].unit);
	}
	/* duty.tsv:7: 1103 in 南门街道, lead 中队, support BSC and 海曙 ZJ */
	u = refdata_duty(rd, refdata_category(rd, "1103"),
	    refdata_juris(rd, "330203001"));
	assert_non_null(u);
	assert_int_equal(u->line, 7);
	assert_string_equal(u->lead->code, "330203001.ZFZD");
	assert_int_equal(u->nsupport, 2);
	assert_string_equal(u->support[0]->code, "330203001.BSC");
	assert_string_equal(u->support[1]->code, "330203.ZJ");
	u = refdata_duty(rd, refdata_category(rd, "1103"),
	    refdata_juris(rd, "330205"));
	assert_null(u);
	u = refdata_duty(rd, refdata_category(rd, "0101"),
	    refdata_juris(rd, "330205"));
	assert_non_null(u);
	assert_int_equal(u->nsupport, 0);
	/* the calendar: 2026-01-01 (Thu) off, 2026-02-14 (Sat) worked */
	assert_int_equal(calendar_is_workday(refdata_calendar(rd),
	    tu_local("2026-01-01 10:00")), 0);
	assert_int_equal(calendar_is_workday(refdata_calendar(rd),
	    tu_local("2026-02-14 10:00")), 1);
	assert_int_equal(calendar_is_workday(refdata_calendar(rd),
	    tu_local("2026-02-13 10:00")), 1);
	assert_int_equal(calendar_is_workday(refdata_calendar(rd),
	    tu_local("2026-02-15 10:00")), 0);
	assert_int_equal(calendar_day_seconds(refdata_calendar(rd)),
	    (210 + 240) * 60);
	/* the table's last year, from its rows */
	assert_int_equal(calendar_covered_until(refdata_calendar(rd)), 2026);
	assert_int_equal(check_coverage(rd, &d), 0);
	refdata_free(rd);
	diag_free(&d);
	tu_rmtree(dir);
}

/* Every problem of a file is reported at once, not only the first. */
static void
test_all_problems(void **state)
{
	static const char *const agencies[] = {
	    "code\tname\tlevel\tjurisdiction\tkind\tparent",
	    "330200.ZJ\t宁波市住房和城乡建设局\tcity\t330200\t部门\t",
	    "330200.ZF\t宁波市综合行政执法局\tcity\t330200\t部门\t",
	    "330200.SW\t宁波市水务集团\tcity\t330200\t企业\t",
	    "330203.ZF\t海曙区综合行政执法局\tdistrict\t330203\t部门\t",
	    "330203.ZJ\t海曙区住房和城乡建设局\tdistrict\t330203\t部门\t",
	    "330205.ZF\t江北区综合行政执法局\tdistrict\t330205\t部门\t",
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330205.ZF",					/* 8: bad */
	    "330203001.BSC\t南门街道办事处\ttownship\t330203001\t乡镇\t",
	    "330203002.BSC\t江厦街道办事处\ttownship\t330203002\t乡镇\t",
	    "330205001.BSC\t中马街道办事处\ttownship\t330205001\t乡镇\t",
	    "330205001.ZFZD\t中马街道综合行政执法中队\ttownship\t330205001\t"
	    "派驻\t330203.ZF",					/* 12: bad */
	    NULL };
	static const char *const categories[] = {
	    "code\tname\tclass\tplatform\tpriority\tlimit\tunit",
	    "0101\t物业服务质量投诉\t01\t便民服务\t9\t5\t工作日",	/* 2 */
	    "1103\t井盖缺失\t11\t综合执法\t1\t0\t工作时",		/* 3 */
	    "1105\t路灯不亮\t11\t便民\t2\t2\t工作日",		/* 4 */
	    "1106\t供水管道破裂\t11\t综治工作\t1\t4\t天",		/* 5 */
	    NULL };
	static const char *const want[] = {
		"/agencies.tsv:8: ", "/agencies.tsv:12: ",
		"/categories.tsv:2: ", "/categories.tsv:3: ",
		"/categories.tsv:4: ", "/categories.tsv:5: ", NULL
	};
	const char	*dir;
	int		 bad;

	(void)state;
	dir = tu_tmpdir();
	write_fixture(dir, NULL);
	mc_write_lines(dir, "agencies.tsv", agencies);
	mc_write_lines(dir, "categories.tsv", categories);
	bad = load_and_compare(dir, "every problem at once", GL_EPARSE, 0,
	    want, NULL);
	tu_rmtree(dir);
	assert_int_equal(bad, 0);
}

/* --- the shipped data ------------------------------------------------------ */

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static int
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

static void
test_shipped(void **state)
{
	/* Ningbo: 10 county-level divisions, 163 townships, 3,042
	 * communities and villages, 7,368 grids; DATA.md: the residential
	 * list has 5 classes of scope 小区 with 37 matters. */
	static const struct {
		enum juris_level	 level;
		size_t			 count;
		size_t			 digits;
	} levels[] = {
		{ JL_CITY, 1, 6 }, { JL_DISTRICT, 10, 6 },
		{ JL_TOWNSHIP, 163, 9 }, { JL_COMMUNITY, 3042, 12 },
		{ JL_GRID, 7368, 15 },
	};
	struct refdata		*rd;
	struct diag		 d;
	const struct juris	*j;
	const struct category	*c;
	char			 text[4096];
	size_t			 i, l, bad = 0, small = 0, smallcats = 0;
	int			 rc;

	(void)state;
	diag_init(&d);
	rc = refdata_load(tu_datadir(), &rd, &d);
	diag_text(&d, text, sizeof text);
	if (rc != 0)
		fail_msg("%s: %s\n%s", tu_datadir(), gl_strerror_name(rc),
		    text);
	assert_int_equal(d.n, 0);
	assert_string_equal(refdata_city(rd)->code, "330200");
	for (l = 0; l < NITEMS(levels); l++) {
		if (refdata_level_count(rd, levels[l].level) !=
		    levels[l].count)
			fail_msg("%s: %zu, want %zu",
			    juris_level_name(levels[l].level),
			    refdata_level_count(rd, levels[l].level),
			    levels[l].count);
		for (i = 0; i < levels[l].count; i++) {
			j = refdata_level_at(rd, levels[l].level, i);
			if (!digits(j->code, levels[l].digits) ||
			    (j->parent != NULL &&
			    (j->parent->level != levels[l].level - 1 ||
			    (levels[l].level > JL_DISTRICT &&
			    !has_prefix(j->code, j->parent->code)))) ||
			    (levels[l].level == JL_DISTRICT &&
			    !has_prefix(j->code, "3302"))) {
				if (bad++ < 10)
					print_error("bad code %s\n", j->code);
			}
		}
	}
	assert_int_equal(bad, 0);
	for (i = 0; i < refdata_klass_count(rd); i++)
		small += strcmp(refdata_klass_at(rd, i)->scope, "小区") == 0;
	for (i = 0; i < refdata_category_count(rd); i++) {
		c = refdata_category_at(rd, i);
		smallcats += strcmp(c->klass->scope, "小区") == 0;
		assert_true(has_prefix(c->code, c->klass->code));
	}
	assert_int_equal(small, 5);
	assert_int_equal(smallcats, 37);
	assert_int_equal(check_coverage(rd, &d), 0);
	assert_int_equal(d.n, 0);
	refdata_free(rd);
	diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_fixture_lookups),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_all_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
