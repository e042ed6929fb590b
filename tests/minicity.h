/*
 * minicity.h: the mini-city fixture shared by test-refdata.c and
 * test-route.c, and the code that writes it into a scratch directory.
 *
 * Both tests load the same small city from real files: test-refdata.c
 * loads it clean and then mutates it one edit at a time, test-route.c
 * routes cases through it. They name the fixture's rows by file and line
 * number (duty.tsv:7, agencies.tsv:8 ...), so one copy keeps both sets of
 * expected values in step: an edit here moves line numbers in both tests.
 * Line 1 of a file is its header; the array's second string is line 2.
 *
 * Header-only (static data and static inline functions, unused ones cost
 * nothing) so each test program stays one .c file plus headers; include
 * after the cmocka headers, whose assertions the writers use.
 */
#ifndef GL_MINICITY_H
#define GL_MINICITY_H

#include <stdio.h>

/* The most lines a fixture file may have, its header included. */
#define MC_MAXLINES	32

/* --- the mini-city --------------------------------------------------------
 * 宁波市 330200
 *   海曙区 330203
 *     南门街道 330203001: communities 330203001001 (grids 001, 002),
 *                         330203001002 (grid 001)
 *     江厦街道 330203002: community 330203002001 (grid 001)
 *   江北区 330205
 *     中马街道 330205001: community 330205001001 (grids 001, 002, 003)
 */
struct mc_file {
	const char	*name;
	const char	*lines[MC_MAXLINES];	/* NULL-terminated */
};

static const struct mc_file mc_fixture[] = {
	{ "city.tsv", {
	    "code\tname",
	    "330200\t宁波市",				/* 2 */
	    NULL } },
	{ "districts.tsv", {
	    "code\tname\tkind\tcity",
	    "330203\t海曙区\t区\t330200",		/* 2 */
	    "330205\t江北区\t区\t330200",		/* 3 */
	    NULL } },
	{ "townships.tsv", {
	    "code\tname\tkind\tdistrict\tnote",
	    "330203001\t南门街道\t街道\t330203\t",	/* 2 */
	    "330203002\t江厦街道\t街道\t330203\t老城",	/* 3 */
	    "330205001\t中马街道\t街道\t330205\t",	/* 4 */
	    NULL } },
	{ "communities.tsv", {
	    "code\tname\tkind\ttownship\tgenerated",
	    "330203001001\t南门第1社区\t社区\t330203001\tyes",	/* 2 */
	    "330203001002\t南门第2社区\t社区\t330203001\tyes",	/* 3 */
	    "330203002001\t江厦第1社区\t社区\t330203002\tno",	/* 4 */
	    "330205001001\t中马村\t村\t330205001\tno",		/* 5 */
	    NULL } },
	{ "grids.tsv", {
	    "code\tname\tcommunity\tgenerated",
	    "330203001001001\t南门1-1\t330203001001\tyes",	/* 2 */
	    "330203001001002\t南门1-2\t330203001001\tyes",	/* 3 */
	    "330203001002001\t南门2-1\t330203001002\tyes",	/* 4 */
	    "330203002001001\t江厦1-1\t330203002001\tyes",	/* 5 */
	    "330205001001001\t中马1\t330205001001\tyes",		/* 6 */
	    "330205001001002\t中马2\t330205001001\tno",		/* 7 */
	    "330205001001003\t中马3\t330205001001\tyes",		/* 8 */
	    NULL } },
	/* agencies.tsv lines 2-11: 330200.ZJ, .ZF, .SW; 330203.ZF, .ZJ;
	 * 330205.ZF; 330203001.ZFZD (派驻), .BSC; 330203002.BSC;
	 * 330205001.BSC */
	{ "agencies.tsv", {
	    "code\tname\tlevel\tjurisdiction\tkind\tparent",
	    "330200.ZJ\t宁波市住房和城乡建设局\tcity\t330200\t部门\t",
	    "330200.ZF\t宁波市综合行政执法局\tcity\t330200\t部门\t",
	    "330200.SW\t宁波市水务集团\tcity\t330200\t企业\t",
	    "330203.ZF\t海曙区综合行政执法局\tdistrict\t330203\t部门\t",
	    "330203.ZJ\t海曙区住房和城乡建设局\tdistrict\t330203\t"
	    "部门\t",
	    "330205.ZF\t江北区综合行政执法局\tdistrict\t330205\t部门\t",
	    "330203001.ZFZD\t南门街道综合行政执法中队\ttownship\t330203001\t"
	    "派驻\t330203.ZF",
	    "330203001.BSC\t南门街道办事处\ttownship\t330203001\t乡镇\t",
	    "330203002.BSC\t江厦街道办事处\ttownship\t330203002\t乡镇\t",
	    "330205001.BSC\t中马街道办事处\ttownship\t330205001\t乡镇\t",
	    NULL } },
	{ "classes.tsv", {
	    "code\tname\tscope",
	    "01\t物业服务管理\t小区",			/* 2 */
	    "11\t市政设施\t城市",			/* 3 */
	    NULL } },
	{ "categories.tsv", {
	    "code\tname\tclass\tplatform\tpriority\tlimit\tunit",
	    "0101\t物业服务质量投诉\t01\t便民服务\t3\t5\t工作日",	/* 2 */
	    "1103\t井盖缺失\t11\t综合执法\t1\t4\t工作时",		/* 3 */
	    "1105\t路灯不亮\t11\t便民服务\t2\t2\t工作日",		/* 4 */
	    "1106\t供水管道破裂\t11\t综治工作\t1\t4\t自然时",	/* 5 */
	    NULL } },
	{ "duty.tsv", {
	    "category\tjurisdiction\tlead\tsupport",
	    "0101\t330203\t330203.ZJ\t",				/* 2 */
	    "0101\t330205\t330205.ZF\t",				/* 3 */
	    "0101\t330203001\t330203001.BSC\t330203001.ZFZD",	/* 4 */
	    "1103\t330200\t330200.ZF\t",				/* 5 */
	    "1103\t330203\t330203.ZF\t330203.ZJ",		/* 6 */
	    "1103\t330203001\t330203001.ZFZD\t330203001.BSC,330203.ZJ",
								/* 7 */
	    "1105\t330203\t330203.ZJ\t",				/* 8 */
	    "1105\t330205\t330205.ZF\t",				/* 9 */
	    "1105\t330203001001\t330203001.BSC\t",		/* 10 */
	    "1105\t330205001001002\t330205001.BSC\t",		/* 11 */
	    "1106\t330200\t330200.SW\t330200.ZJ",		/* 12 */
	    NULL } },
	{ "hours.tsv", {
	    "weekdays\tstart\tend",
	    "1-5\t08:30\t12:00",				/* 2 */
	    "1-5\t13:30\t17:30",				/* 3 */
	    NULL } },
	{ "holidays.tsv", {
	    "date\tkind\tname",
	    "2026-01-01\tholiday\t元旦",			/* 2 */
	    "2026-02-14\tworkday\t春节",			/* 3 */
	    "2026-02-16\tholiday\t春节",			/* 4 */
	    NULL } },
};

#define MC_NFILES	(sizeof mc_fixture / sizeof mc_fixture[0])

/* Write lines (NULL-terminated, one per line) as dir/name. */
static inline void
mc_write_lines(const char *dir, const char *name, const char *const *lines)
{
	char	 path[1024];
	FILE	*fp;
	size_t	 i;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	for (i = 0; lines[i] != NULL; i++)
		fprintf(fp, "%s\n", lines[i]);
	assert_int_equal(fclose(fp), 0);
}

/* Write the whole fixture, unchanged, into dir. */
static inline void
mc_write(const char *dir)
{
	size_t	f;

	for (f = 0; f < MC_NFILES; f++)
		mc_write_lines(dir, mc_fixture[f].name, mc_fixture[f].lines);
}

#endif
