/* render_link.c - a rendered document's links: what kind each target is, relative paths joined and kept inside the notes, reference numbers. */
#include <stdlib.h>
#include <string.h>

#include "kb/width.h"
#include "render_impl.h"

char *kb_render_safe(const char *s)
{
	struct kb_buf b = {0};
	kb_sanitize(&b, s, strlen(s), false);
	return kb_buf_take(&b);
}

char *kb_render_join(const char *base, const char *target)
{
	/* the one way kb resolves links: the compiler stores links the same way */
	return target[strcspn(target, "#?")] ? NULL : kb_path_resolve(base ? base : "", target);
}

static bool has_scheme(const char *url)
{
	const char *p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while (kb_ascii_isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* Resolves a relative target: joined, normalised, then asked of o->resolve. */
static char *resolve_relative(const struct kb_render_opts *o, const char *url,
                              enum kb_link_kind *kind)
{
	size_t plen = strcspn(url, "#?");
	const char *frag = strchr(url + plen, '#');
	char *path = kb_xstrndup(url, plen);
	char *joined = kb_render_join(o->base, path);
	char *res = NULL;
	free(path);
	*kind = KB_LINK_MISSING;
	if (joined && o->resolve) {
		char *q = frag ? kb_xasprintf("%s%s", joined, frag) : kb_xstrdup(joined);
		enum kb_link_kind k = KB_LINK_FILE;
		res = o->resolve(o->resolve_ctx, q, &k);
		if (res)
			*kind = k == KB_LINK_ENTRY ? KB_LINK_ENTRY : KB_LINK_FILE;
		free(q);
	}
	free(joined);
	return res;
}

int kb_link_add(struct kb_doc *d, size_t *cap, const struct kb_render_opts *o, const char *url,
                bool image, struct kb_refs *refs)
{
	int same;
	url = url ? url : "";
	kb_xgrow(&d->links, cap, d->nlinks + 1, sizeof *d->links);
	struct kb_link *l = &d->links[d->nlinks];
	memset(l, 0, sizeof *l);
	l->target = kb_render_safe(url);
	l->line = -1;
	l->image = image;
	if (kb_strmap_get(&refs->urls, url, &same)) {
		l->kind = d->links[same].kind;
		l->resolved = d->links[same].resolved ? kb_xstrdup(d->links[same].resolved) : NULL;
		return (int)d->nlinks++;
	}
	kb_strmap_put(&refs->urls, url, (int)d->nlinks);
	if (url[0] == '#') {
		l->kind = KB_LINK_ANCHOR;
		l->resolved = kb_xstrdup(url + 1);
	} else if (kb_starts_with(url, "man:")) { /* a man page: an entry when the index has it */
		enum kb_link_kind k = KB_LINK_ENTRY;
		l->resolved = o->resolve ? o->resolve(o->resolve_ctx, url, &k) : NULL;
		l->kind = l->resolved && k == KB_LINK_ENTRY ? KB_LINK_ENTRY : KB_LINK_MISSING;
	} else if (has_scheme(url) || kb_starts_with(url, "//")) {
		l->kind = KB_LINK_URL;
		l->resolved = kb_xstrdup(url);
	} else if (url[0] == '\0') {
		l->kind = KB_LINK_MISSING;
	} else {
		l->resolved = resolve_relative(o, url, &l->kind);
	}
	return (int)d->nlinks++;
}

int kb_link_number(struct kb_doc *d, int link, struct kb_refs *refs)
{
	struct kb_link *l = &d->links[link];
	bool self = strcmp(l->text, l->target) == 0 ||
	            (kb_starts_with(l->target, "mailto:") && strcmp(l->text, l->target + 7) == 0);
	if (self && l->text[0])
		return 0;
	if (!kb_strmap_get(&refs->numbers, l->target, &l->number)) {
		l->number = (int)refs->numbers.n + 1;
		kb_strmap_put(&refs->numbers, l->target, l->number);
	}
	return l->number;
}

void kb_refs_free(struct kb_refs *refs)
{
	kb_strmap_free(&refs->numbers);
	kb_strmap_free(&refs->urls);
}
