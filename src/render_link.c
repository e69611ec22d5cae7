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

/* Asks o->resolve about path (notes-relative, or '/' and a site-absolute path) with the
 * "#fragment" frag (or NULL) after it. */
static char *ask(const struct kb_render_opts *o, const char *path, const char *frag,
                 enum kb_link_kind *kind)
{
	char *q = kb_xasprintf("%s%s", path, frag ? frag : ""), *res;
	enum kb_link_kind k = KB_LINK_FILE;
	res = o->resolve(o->resolve_ctx, q, &k);
	if (res)
		*kind = k == KB_LINK_ENTRY ? KB_LINK_ENTRY : KB_LINK_FILE;
	free(q);
	return res;
}

/* The length of the part of base (a notes-relative file path) in front of its directory
 * that has the name p starts with ("content/zh-cn/" for content/zh-cn/docs/a.md and docs/x),
 * or -1 when no directory below the top has that name. */
static int site_root(const char *base, const char *p)
{
	size_t first = strcspn(p, "/");
	if (!p[first])
		return -1;
	for (const char *at = base; (at = strchr(at, '/')); at++)
		if (strncmp(at + 1, p, first) == 0 && at[1 + first] == '/')
			return (int)(at + 1 - base);
	return -1;
}

/* A site-absolute link's path P (joined: no leading '/') that the top of the notes directory
 * does not have: P as a page under the site's content root that the linking note is in
 * (site_root: P, P.md, P/_index.md, P/index.md, P/README.md there), else the note whose path ends in P as
 * a page (the resolver's '/' form). NULL when neither resolves. */
static char *resolve_site(const struct kb_render_opts *o, const char *p, const char *frag,
                          enum kb_link_kind *kind)
{
	static const char *const pages[] = {"", ".md", "/_index.md", "/index.md", "/README.md"};
	const char *base = o->base ? o->base : "";
	int root = site_root(base, p);
	char *res = NULL, *site;
	for (size_t i = 0; root >= 0 && !res && i < KB_NELEM(pages); i++) {
		char *cand = kb_xasprintf("%.*s%s%s", root, base, p, pages[i]);
		res = ask(o, cand, frag, kind);
		free(cand);
	}
	if (!res) {
		site = kb_xasprintf("/%s", p);
		res = ask(o, site, frag, kind);
		free(site);
	}
	return res;
}

/* Resolves a relative target: joined, normalised, then asked of o->resolve. A site-absolute
 * one ("/docs/x/") that the top of the notes directory does not have: resolve_site. */
static char *resolve_relative(const struct kb_render_opts *o, const char *url,
                              enum kb_link_kind *kind)
{
	size_t plen = strcspn(url, "#?");
	const char *frag = strchr(url + plen, '#');
	char *path = kb_xstrndup(url, plen), *f = NULL;
	char *joined = kb_render_join(o->base, path);
	char *res = NULL;
	free(path);
	*kind = KB_LINK_MISSING;
	if (frag && frag[1] && frag[strlen(frag) - 1] == '/') /* "#id/", as sites write it */
		frag = f = kb_xstrndup(frag, strlen(frag) - 1);
	if (joined && o->resolve) {
		res = ask(o, joined, frag, kind);
		if (!res && url[0] == '/')
			res = resolve_site(o, joined, frag, kind);
	}
	free(joined);
	free(f);
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
