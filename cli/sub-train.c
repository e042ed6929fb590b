/*
 * sub-train.c: `gridline train VERB ...` (train.h): the table of verbs,
 * and `train list`.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rundir.h"
#include "train.h"

static const struct train_verb *const train_verbs[] = {
	&train_verb_start, &train_verb_inject, &train_verb_stop,
	&train_verb_score, &train_verb_list
};
#define NVERBS (sizeof train_verbs / sizeof train_verbs[0])

static int
list_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every session kept, oldest first: name, scenario title, state. */
static int
list_exec(struct gridline *gl, int argc, char **argv)
{
	char		 root[TRAIN_PATH], dir[TRAIN_PATH], run[TRAIN_PATH], title[512];
	char		*names[1024];
	struct dirent	*e;
	size_t		 n = 0, i;
	DIR		*dp;

	(void)gl, (void)argv;
	if (argc != 1)
		return train_usage(&train_verb_list);
	train_root(root, sizeof root);
	if ((dp = opendir(root)) != NULL) {
		while ((e = readdir(dp)) != NULL && n < 1024) {
			snprintf(dir, sizeof dir, "%.3700s/%.255s", root, e->d_name);
			if (e->d_name[0] != '.' && train_get(dir, "scenario",
			    title, sizeof title) == 0 &&
			    (names[n] = strdup(e->d_name)) != NULL)
				n++;
		}
		closedir(dp);
	}
	qsort(names, n, sizeof names[0], list_cmp);
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof dir, "%.3700s/%.255s", root, names[i]);
		train_run_dir(dir, run, sizeof run);
		if (train_get(dir, "title", title, sizeof title) != 0)
			title[0] = '\0';
		printf("%s\t%s\t%s\n", names[i], cli_vis(title, dir,
		    sizeof dir), rundir_locked(run) ? _("running") :
		    _("ended"));
		free(names[i]);
	}
	if (n == 0)
		fprintf(stderr, _("no training session kept in %s\n"), root);
	return EXIT_OK;
}

const struct train_verb train_verb_list = { "list", "", list_exec };

static int
train_exec(struct gridline *gl, int argc, char **argv)
{
	size_t	i;

	if (argc >= 2)
		for (i = 0; i < NVERBS; i++)
			if (strcmp(argv[1], train_verbs[i]->name) == 0)
				return train_verbs[i]->exec(gl, argc - 1,
				    argv + 1);
	fprintf(stderr, _("usage: gridline train VERB ..., VERB one of:\n"));
	for (i = 0; i < NVERBS; i++)
		fprintf(stderr, "  gridline train %s %s\n",
		    train_verbs[i]->name, train_verbs[i]->args);
	return EXIT_USAGE;
}

const struct subcmd sub_train = {
	"train", "start|inject|stop|score|list ...",
	N_("training: scenarios replayed on a training server, and scores"),
	train_exec
};
