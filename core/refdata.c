/*
 * refdata.c: lookups into loaded reference data (see refdata.h); the parsing
 * lives in refdata-load.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "refdata-int.h"

static const char *const platform_names[PF__COUNT] = {
	"综治工作", "市场监管", "综合执法", "便民服务"
};
static const char *const level_names[JL__COUNT] = {
	"city", "district", "township", "community", "grid"
};
static const char *const kind_names[AK__COUNT] = {
	"部门", "派驻", "乡镇", "企业"
};

const char *
platform_name(enum platform p)
{
	return p < PF__COUNT ? platform_names[p] : "?";
}

int
platform_parse(const char *s, enum platform *out)
{
	int	i;

	for (i = 0; i < PF__COUNT; i++)
		if (strcmp(s, platform_names[i]) == 0) {
			*out = (enum platform)i;
			return 0;
		}
	return GL_EINVAL;
}

const char *
juris_level_name(enum juris_level l)
{
	return l < JL__COUNT ? level_names[l] : "?";
}

const char *
agency_kind_name(enum agency_kind k)
{
	return k < AK__COUNT ? kind_names[k] : "?";
}

const struct juris *
juris_district(const struct juris *j)
{
	while (j != NULL && j->level > JL_DISTRICT)
		j = j->parent;
	return j != NULL && j->level == JL_DISTRICT ? j : NULL;
}

void
refdata_duty_key(const char *cat, const char *juris, char *buf, size_t len)
{
	snprintf(buf, len, "%s\t%s", cat, juris);
}

void
refdata_free(struct refdata *rd)
{
	size_t	i;

	if (rd == NULL)
		return;
	for (i = 0; i < RF__COUNT; i++)
		tsv_free(rd->tsv[i]);
	for (i = 0; i < rd->nduties; i++)
		free(rd->duty_keys[i]);
	free(rd->duty_keys);
	free(rd->duties);
	free(rd->support_pool);
	strmap_free(rd->duty_map);
	free(rd->categories);
	strmap_free(rd->category_map);
	free(rd->klasses);
	strmap_free(rd->klass_map);
	free(rd->agencies);
	strmap_free(rd->agency_map);
	free(rd->juris);
	strmap_free(rd->juris_map);
	calendar_free(rd->cal);
	free(rd->dir);
	free(rd);
}

const char *
refdata_dir(const struct refdata *rd)
{
	return rd->dir;
}

int
refdata_complete(const struct refdata *rd)
{
	size_t	i;

	for (i = 0; i < RF__COUNT; i++)
		if (!rd->loaded[i])
			return 0;
	return 1;
}

const struct juris *
refdata_juris(const struct refdata *rd, const char *code)
{
	return rd->juris_map != NULL ? strmap_get(rd->juris_map, code) : NULL;
}

const struct juris *
refdata_city(const struct refdata *rd)
{
	return rd->level_n[JL_CITY] > 0 ? &rd->juris[rd->level_first[JL_CITY]]
	    : NULL;
}

size_t
refdata_juris_count(const struct refdata *rd)
{
	return rd->njuris;
}

size_t
refdata_level_count(const struct refdata *rd, enum juris_level l)
{
	return rd->level_n[l];
}

const struct juris *
refdata_level_at(const struct refdata *rd, enum juris_level l, size_t i)
{
	return i < rd->level_n[l] ? &rd->juris[rd->level_first[l] + i] : NULL;
}

const struct agency *
refdata_agency(const struct refdata *rd, const char *code)
{
	return rd->agency_map != NULL ? strmap_get(rd->agency_map, code) :
	    NULL;
}

size_t
refdata_agency_count(const struct refdata *rd)
{
	return rd->nagencies;
}

const struct agency *
refdata_agency_at(const struct refdata *rd, size_t i)
{
	return i < rd->nagencies ? &rd->agencies[i] : NULL;
}

const struct category *
refdata_category(const struct refdata *rd, const char *code)
{
	return rd->category_map != NULL ?
	    strmap_get(rd->category_map, code) : NULL;
}

size_t
refdata_category_count(const struct refdata *rd)
{
	return rd->ncategories;
}

const struct category *
refdata_category_at(const struct refdata *rd, size_t i)
{
	return i < rd->ncategories ? &rd->categories[i] : NULL;
}

size_t
refdata_klass_count(const struct refdata *rd)
{
	return rd->nklasses;
}

const struct klass *
refdata_klass_at(const struct refdata *rd, size_t i)
{
	return i < rd->nklasses ? &rd->klasses[i] : NULL;
}

const struct duty *
refdata_duty(const struct refdata *rd, const struct category *c,
    const struct juris *j)
{
	char	key[64];

	if (rd->duty_map == NULL)
		return NULL;
	refdata_duty_key(c->code, j->code, key, sizeof key);
	return strmap_get(rd->duty_map, key);
}

size_t
refdata_duty_count(const struct refdata *rd)
{
	return rd->nduties;
}

const struct duty *
refdata_duty_at(const struct refdata *rd, size_t i)
{
	return i < rd->nduties ? &rd->duties[i] : NULL;
}

const struct calendar *
refdata_calendar(const struct refdata *rd)
{
	return rd->cal;
}
