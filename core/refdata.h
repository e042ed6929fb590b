/*
 * refdata.h: the city's reference data, loaded from the data/ TSV files.
 *
 * Jurisdictions (city > district > township > community > grid), agencies,
 * categories (class > matter) with their platform and time limit, the
 * responsibility list and the business calendar. The set is read once and
 * then only read: the server swaps in a whole new set on reload rather than
 * editing one in place, so the record structs are public and const.
 *
 * The file formats are specified in docs/DATA.md.
 */
#ifndef GL_REFDATA_H
#define GL_REFDATA_H

#include <stddef.h>

#include "calendar.h"
#include "diag.h"

enum juris_level {
	JL_CITY, JL_DISTRICT, JL_TOWNSHIP, JL_COMMUNITY, JL_GRID,
	JL__COUNT
};

enum platform {
	PF_ORDER,		/* 综治工作 social order */
	PF_MARKET,		/* 市场监管 market supervision */
	PF_ENFORCE,		/* 综合执法 comprehensive enforcement */
	PF_SERVICE,		/* 便民服务 services for residents */
	PF__COUNT
};

enum agency_kind {
	AK_DEPARTMENT,		/* 部门 */
	AK_STATIONED,		/* 派驻: a department's unit under a township */
	AK_TOWNSHIP,		/* 乡镇: a township's own office */
	AK_COMPANY,		/* 企业: a utility or company */
	AK__COUNT
};

struct juris {
	const char	*code;
	const char	*name;
	const char	*kind;		/* 区, 街道, 社区, ... ("网格" for grids) */
	enum juris_level level;
	struct juris	*parent;	/* NULL for the city */
	struct juris	*child;		/* first child */
	struct juris	*next;		/* next sibling */
	size_t		 index;		/* position among all jurisdictions */
	int		 generated;	/* row marked generated=yes */
	const char	*file;		/* where it was defined */
	long		 line;
};

struct agency {
	const char	*code;
	const char	*name;
	enum juris_level level;		/* city, district or township */
	enum agency_kind kind;
	const struct juris *home;	/* for 派驻: the commanding township */
	const struct agency *parent;	/* for 派驻: the owning department */
	const char	*file;
	long		 line;
};

struct klass {
	const char	*code;
	const char	*name;
	const char	*scope;		/* 小区 or 城市 */
};

struct category {
	const char	*code;
	const char	*name;
	const struct klass *klass;
	enum platform	 platform;
	int		 priority;	/* 1 urgent .. 3 normal */
	long		 limit;
	enum cal_unit	 unit;
	const char	*file;
	long		 line;
};

struct duty {
	const struct category *category;
	const struct juris *juris;
	const struct agency *lead;
	const struct agency **support;	/* nsupport agencies */
	size_t		 nsupport;
	const char	*file;
	long		 line;
};

struct refdata;

/* Load every file of dir. Problems go to d. Returns 0 with *out set when
 * the set is complete and consistent at row level (coverage is checked by
 * check_coverage); GL_EIO when a file is unreadable, GL_EPARSE when there
 * were problems (then *out is still set when dir could be read at all, so
 * that a checker can go on; a server must refuse it). Free with
 * refdata_free. */
int	refdata_load(const char *dir, struct refdata **out, struct diag *d);
void	refdata_free(struct refdata *rd);

const char *refdata_dir(const struct refdata *rd);
/* Which files loaded whole: a checker skips checks that need a missing one */
int	refdata_complete(const struct refdata *rd);

const struct juris *refdata_juris(const struct refdata *rd, const char *code);
const struct juris *refdata_city(const struct refdata *rd);
size_t	refdata_juris_count(const struct refdata *rd);
/* All jurisdictions of one level, in file order. */
size_t	refdata_level_count(const struct refdata *rd, enum juris_level l);
const struct juris *refdata_level_at(const struct refdata *rd,
	    enum juris_level l, size_t i);

const struct agency *refdata_agency(const struct refdata *rd,
	    const char *code);
size_t	refdata_agency_count(const struct refdata *rd);
const struct agency *refdata_agency_at(const struct refdata *rd, size_t i);

const struct category *refdata_category(const struct refdata *rd,
	    const char *code);
size_t	refdata_category_count(const struct refdata *rd);
const struct category *refdata_category_at(const struct refdata *rd,
	    size_t i);
size_t	refdata_klass_count(const struct refdata *rd);
const struct klass *refdata_klass_at(const struct refdata *rd, size_t i);

/* The responsibility-list row for exactly this category and jurisdiction,
 * or NULL. */
const struct duty *refdata_duty(const struct refdata *rd,
	    const struct category *c, const struct juris *j);
size_t	refdata_duty_count(const struct refdata *rd);
const struct duty *refdata_duty_at(const struct refdata *rd, size_t i);

/* The business calendar built from hours.tsv and holidays.tsv. */
const struct calendar *refdata_calendar(const struct refdata *rd);

/* Names: "综治工作", "district", "派驻", ... */
const char *platform_name(enum platform p);
int	platform_parse(const char *s, enum platform *out);
const char *juris_level_name(enum juris_level l);
const char *agency_kind_name(enum agency_kind k);

/* The district a jurisdiction lies in (itself for a district), or NULL for
 * the city. */
const struct juris *juris_district(const struct juris *j);

#endif
