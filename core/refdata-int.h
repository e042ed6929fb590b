/*
 * refdata-int.h: the inside of struct refdata, shared by refdata.c (lookups)
 * and refdata-load.c (parsing). Nothing outside those two files includes it.
 */
#ifndef GL_REFDATA_INT_H
#define GL_REFDATA_INT_H

#include "refdata.h"
#include "strmap.h"
#include "tsv.h"

enum refdata_file {
	RF_CITY, RF_DISTRICTS, RF_TOWNSHIPS, RF_COMMUNITIES, RF_GRIDS,
	RF_AGENCIES, RF_CLASSES, RF_CATEGORIES, RF_DUTY, RF_HOURS,
	RF_HOLIDAYS, RF__COUNT
};

struct refdata {
	char		*dir;
	struct tsv	*tsv[RF__COUNT];	/* kept: records point into them */
	int		 loaded[RF__COUNT];	/* file loaded whole and valid */

	struct juris	*juris;			/* all levels, file order */
	size_t		 njuris;
	size_t		 level_first[JL__COUNT];
	size_t		 level_n[JL__COUNT];
	struct strmap	*juris_map;

	struct agency	*agencies;
	size_t		 nagencies;
	struct strmap	*agency_map;

	struct klass	*klasses;
	size_t		 nklasses;
	struct strmap	*klass_map;

	struct category	*categories;
	size_t		 ncategories;
	struct strmap	*category_map;

	struct duty	*duties;
	size_t		 nduties;
	char		**duty_keys;		/* "category\tjuris", owned */
	struct strmap	*duty_map;
	const struct agency **support_pool;	/* behind duties[].support */

	struct calendar	*cal;
};

/* "category\tjuris" key of the duty map into buf. */
void	refdata_duty_key(const char *cat, const char *juris, char *buf,
	    size_t len);

#endif
