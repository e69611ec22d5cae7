#!/bin/sh
# docsite.test.sh - notes as documentation sites write them (kb.5, "Markup of documentation
# sites"): HTML comments and tags, heading ids, Hugo shortcodes; golden `kb show` output of
# the fixture tests/docsite/kb, and the Kubernetes tree of ../shared/corpora when it is there.
# UPDATE=1 rewrites the golden files; read every one that changes.
. tests/lib.sh
DB=$TMP/kb.db
"$KB" build -q --db "$DB" tests/docsite/kb || fail "building the fixture"

# Every entry of the fixture, as kb show prints it at 60 columns.
: >"$TMP/show"
for id in site.md site.md#before-you-begin site.md#drain-it site.md#second-a site.md#whats-next; do
	echo "=== $id" >>"$TMP/show"
	"$KB" show --db "$DB" --plain --width 60 "$id" >>"$TMP/show" 2>&1
done
golden "kb show of the fixture" tests/docsite/show.60 "$TMP/show"
for s in '<!--' '-->' 'translator' '{{%' 'glossary' 'term_id' '<br' '<span' '<details' 'alert' '{#' '&lt;'; do
	lacks "kb show: $s" "$TMP/show" "$s"
done
contains "a tooltip reads as its text" "$TMP/show" "how to drain a node, optionally respecting a"
contains "the escaped form shows as the shortcode" "$TMP/show" "Shown as written: {{< note >}}."

# Titles and ids: the heading shortcode reads as its heading, {#id} is the anchor.
"$KB" search --db "$DB" -n 50 a OR text OR read OR you | cut -f1,2 | sort >"$TMP/titles"
printf '%s\t%s\n' site.md 'Safely Drain a Node' 'site.md#before-you-begin' 'Before you begin' \
	'site.md#drain-it' 'Drain the node' 'site.md#second-a' 'Second A' \
	'site.md#whats-next' "What's next" | sort >"$TMP/want"
golden "ids and titles" "$TMP/want" "$TMP/titles"
# Snippets in results show no HTML comment, tag or heading id, in the terminal's layout too.
"$KB" search --db "$DB" inline OR span OR drain >"$TMP/snips"
script -qec "$KB search --db $DB inline OR span OR drain" /dev/null 2>&1 | tr -d '\r' >>"$TMP/snips"
for s in '<!--' '-->' '<span' '</span>' '<b>' '{#'; do
	lacks "snippets: no $s" "$TMP/snips" "$s"
done
contains "snippets: the text around a comment stays" "$TMP/snips" "Text after it"
# The comment block's text is not searched; the text after a one-line comment is.
status 1 "$KB" search --db "$DB" translator
status 0 "$KB" search --db "$DB" '"with text after it on its line"'

# kb show PATH: the whole note, its entries in order; PATH#section: that section alone.
"$KB" show --db "$DB" --plain --width 60 site.md >"$TMP/whole"
golden "kb show of the whole note" tests/docsite/whole.60 "$TMP/whole"
contains "the whole note says so" "$TMP/whole" "site.md  (the whole note: 5 entries)"
for s in "This page shows" "## Before you begin" "## Drain the node" "#### Deep item" "## Second A" "## What's next"; do
	contains "the whole note has $s" "$TMP/whole" "$s"
done
"$KB" show --db "$DB" --plain --width 60 site.md#second-a >"$TMP/section"
contains "kb show PATH#section: the section" "$TMP/section" "Second text."
lacks "kb show PATH#section: not the others" "$TMP/section" "Deep text."
"$KB" show --db "$DB" --source site.md >"$TMP/whole"
contains "kb show --source PATH: the whole note's markdown" "$TMP/whole" "## What's next"

# PATH#NAME names a heading by its id, its anchor or its text: the section and all under it,
# its subsections included though they are entries of their own (tests/docsite/site).
"$KB" build -q --db "$TMP/site.db" tests/docsite/site || fail "building the site fixture"
N=content/en/docs/concepts/nodes.md
for name in node-status "Node status" "node STATUS"; do
	"$KB" show --db "$TMP/site.db" --plain --width 100 "$N#$name" >"$TMP/section"
	for s in "## Node status" "several parts" "### Addresses" "### Conditions" "#### Ready" "healthy" \
		"$N#node-status  (the section: 3 entries)"; do
		contains "kb show PATH#$name: $s" "$TMP/section" "$s"
	done
	lacks "kb show PATH#$name: not the next section" "$TMP/section" "Heartbeats"
done
for name in condition conditions Conditions; do # the author's {#id}, the text's anchor, the text
	"$KB" show --db "$TMP/site.db" --plain --width 100 "$N#$name" >"$TMP/section"
	contains "kb show PATH#$name: the section" "$TMP/section" "$N#condition  (line 15)"
	contains "kb show PATH#$name: its H4" "$TMP/section" "Whether the node is healthy."
	lacks "kb show PATH#$name: not the one before" "$TMP/section" "Addresses"
done
"$KB" show --db "$TMP/site.db" --plain --width 100 "$N#ready" >"$TMP/section"
contains "kb show PATH#H4: the heading inside an entry" "$TMP/section" "$N#ready  (in $N#condition)"
contains "kb show PATH#H4: its text" "$TMP/section" "Whether the node is healthy."
lacks "kb show PATH#H4: not its entry's text" "$TMP/section" "describe the node"
"$KB" show --db "$TMP/site.db" --source "$N#node-status" >"$TMP/section"
contains "kb show --source PATH#NAME: the section's markdown" "$TMP/section" "### Conditions {#condition}"
status 1 "$KB" show --db "$TMP/site.db" "$N#no-such-heading"
# A list of problems under an H3 (its items are the entries; the index keeps no heading for
# it) stays an H3 of its section, in the section and in the whole note.
U=content/en/docs/tasks/upgrade.md
"$KB" show --db "$TMP/site.db" --plain --width 100 "$U#upgrade-the-nodes" >"$TMP/section"
for s in "$U#upgrade-the-nodes  (the section: 5 entries)" "### Known problems" "kubectl rollout restart" "### After"; do
	contains "kb show PATH#NAME over a list of problems: $s" "$TMP/section" "$s"
done
lacks "kb show PATH#NAME over a list of problems: not the next H2" "$TMP/section" "Clean up"
"$KB" show --db "$TMP/site.db" --plain --width 100 "$U" >"$TMP/section"
contains "the whole note: the list's heading an H3" "$TMP/section" "### Known problems"
# An item's id names the item, though a heading has that name too ("## 1" is #1-1).
"$KB" show --db "$TMP/site.db" --plain --width 100 content/en/docs/tasks/numbered.md#1 >"$TMP/section"
contains "kb show PATH#N: the item" "$TMP/section" "First problem."
lacks "kb show PATH#N: not the heading of that name" "$TMP/section" "A section called one."

# Site-absolute links (kb.5, Links): under the content root the linking note is in, then the
# note whose path ends in the link's path as a page; never outside the notes directory.
"$KB" show --db "$TMP/site.db" --plain --width 100 content/en/docs/tasks/drain.md >"$TMP/links"
same "kb show of a note of one entry: its front matter's title first" "$(head -n 1 "$TMP/links")" "Drain a Node"
for s in "[1] content/en/docs/concepts/nodes.md" "[2] content/en/docs/concepts/nodes.md#condition" \
	"[3] content/en/docs/concepts/_index.md" "[4] content/zh-cn/docs/concepts/nodes.md" \
	"[5] /docs/reference/kubectl/ (missing)" "[6] content/en/docs/tasks/english-only.md" \
	"[7] /../../docs/concepts/nodes.md (missing)"; do
	contains "a site-absolute link: $s" "$TMP/links" "$s"
done
"$KB" show --db "$TMP/site.db" --plain --width 100 content/zh-cn/docs/tasks/drain.md >"$TMP/links"
for s in "[1] content/zh-cn/docs/concepts/nodes.md" "[2] content/zh-cn/docs/concepts/nodes.md#node-status" \
	"[3] content/en/docs/tasks/english-only.md"; do
	contains "a site-absolute link from a translation: $s" "$TMP/links" "$s"
done
# The same tree indexed from its content/ and from above it: the links still land.
"$KB" build -q --db "$TMP/content.db" tests/docsite/site/content
"$KB" show --db "$TMP/content.db" --plain --width 100 en/docs/tasks/drain.md >"$TMP/links"
contains "a site-absolute link, notes at content/" "$TMP/links" "[4] zh-cn/docs/concepts/nodes.md"
contains "a site-absolute link, notes at content/" "$TMP/links" "[2] en/docs/concepts/nodes.md#condition"
mkdir -p "$TMP/above"
cp -R tests/docsite/site "$TMP/above/k8s"
printf '# Top\n\nSee [nodes](/docs/concepts/nodes/).\n' >"$TMP/above/top.md"
"$KB" build -q --db "$TMP/above.db" "$TMP/above"
"$KB" show --db "$TMP/above.db" --plain --width 100 top.md >"$TMP/links"
contains "a site-absolute link from outside the site: the shortest path" "$TMP/links" "[1] k8s/content/en/docs/concepts/nodes.md"

# Snippets read as text: no heading, list or quote marks, no emphasis marks or backticks, no
# link targets, no fence info; the heading that opens a snippet goes (the title says it); a
# match in the title or the file name alone shows the entry's text, not those words again.
S=content/en/docs/tasks/snippets.md
"$KB" search --db "$TMP/site.db" kubelet >"$TMP/snips"
"$KB" search --db "$TMP/site.db" garbage >>"$TMP/snips"
script -qec "$KB search --db $TMP/site.db kubelet OR garbage" /dev/null 2>&1 | tr -d '\r' >>"$TMP/snips"
for s in '## ' '**' '`' '](' '/docs/concepts' '- A bullet' '> A quote' 'shell garbage' 'Check the kubelet first	Check'; do
	lacks "snippets read as text: no $s" "$TMP/snips" "$s"
done
contains "snippets read as text: code, emphasis and a link as their text" "$TMP/snips" \
	"$S#check-the-kubelet-first	Check the kubelet first	tasks	Run systemctl status kubelet, read the kubelet logs with care: a *star* stays, as do snake_case_name"
contains "snippets read as text: a list, a quote, a code block" "$TMP/snips" \
	"A bullet about the garbage collector. A quote about the garbage collector. garbage --collect"
"$KB" search --db "$TMP/site.db" restart >"$TMP/snips"
contains "snippets read as text: the match in the dropped heading leaves no blank" "$TMP/snips" \
	"$S#restart-it	Restart it	tasks	systemctl restart kubelet"
"$KB" search --db "$TMP/site.db" firewall >"$TMP/snips"
contains "snippets read as text: a heading inside ends in a colon, unless it ends a clause" "$TMP/snips" \
	"$S#ports	Ports	tasks	Open the ports first. Firewall: Allow the firewall rules. Done? Then check them."
"$KB" search --db "$TMP/site.db" snippet marks >"$TMP/snips"
same "a title match: the page's text, not its title and file name again" "$(grep -c 'Snippet marks snippets' "$TMP/snips")" 0
contains "a title match: the page's text" "$TMP/snips" "$S	Snippet marks	tasks	This page is about reading the kubelet's messages."

# The Kubernetes tree: no shortcode in any title or result, no comment in a page.
K8S=../shared/corpora/k8s-docs
if [ -d "$K8S/content" ]; then
	"$KB" build -q --db "$TMP/k8s.db" "$K8S" 2>/dev/null
	"$KB" search --db "$TMP/k8s.db" -n 100000 a OR the OR node OR 的 OR 节点 >"$TMP/k8s"
	check "the Kubernetes tree: thousands of results" test "$(wc -l <"$TMP/k8s")" -gt 3000
	lacks "the Kubernetes tree: no shortcode in results" "$TMP/k8s" '{{<'
	lacks "the Kubernetes tree: no shortcode in results" "$TMP/k8s" '{{%'
	for s in '<!--' '-->'; do
		lacks "the Kubernetes tree: no $s in results" "$TMP/k8s" "$s"
	done
	same "the Kubernetes tree: no heading id in snippets" 		"$(cut -f4 "$TMP/k8s" | grep -cE '\{#[A-Za-z0-9_-]+(\}|…|$)')" 0
	same "the Kubernetes tree: no heading marks in snippets" "$(cut -f4 "$TMP/k8s" | grep -cE '^#{1,6} ')" 0
	same "the Kubernetes tree: no link targets in snippets" "$(cut -f4 "$TMP/k8s" | grep -c '](')" 0
	same "the Kubernetes tree: no bold marks in snippets" "$(cut -f4 "$TMP/k8s" | grep -c '\*\*')" 0
	D=content/en/docs/tasks/administer-cluster/safely-drain-node.md
	check "safely-drain-node: kb show prints the whole page" test "$("$KB" show --db "$TMP/k8s.db" --plain --width 80 "$D" | wc -l)" -gt 100
	"$KB" show --db "$TMP/k8s.db" --plain --width 80 "$D" >"$TMP/drain" 2>&1
	contains "safely-drain-node: the tooltip" "$TMP/drain" "how to safely drain a node,"
	lacks "safely-drain-node: no comment" "$TMP/drain" "overview"
	"$KB" show --db "$TMP/k8s.db" --plain --width 80 "$D#before-you-begin" >"$TMP/drain" 2>&1
	contains "safely-drain-node: the heading shortcode" "$TMP/drain" "## Before you begin"
	"$KB" show --db "$TMP/k8s.db" --plain --width 80 "${D%.md}.md#configure-poddisruptionbudget" >"$TMP/drain" 2>&1
	contains "safely-drain-node: {#id} is the anchor, not the title" "$TMP/drain" "## (Optional) Configure a disruption budget"
	lacks "safely-drain-node: no {#id} shown" "$TMP/drain" "{#"
	Z=content/zh-cn/docs/tasks/administer-cluster/safely-drain-node.md
	"$KB" show --db "$TMP/k8s.db" --plain --width 80 "$Z" >"$TMP/drain" 2>&1
	lacks "zh-cn safely-drain-node: no English original" "$TMP/drain" "This page shows"
	lacks "zh-cn safely-drain-node: no comment end" "$TMP/drain" "-->"
	"$KB" show --db "$TMP/k8s.db" --plain --width 200 "$D" >"$TMP/drain" 2>&1
	contains "safely-drain-node: /docs/concepts/... links land" "$TMP/drain" "] content/en/docs/concepts/workloads/pods/disruptions.md"
	"$KB" show --db "$TMP/k8s.db" --plain --width 200 "$Z" >"$TMP/drain" 2>&1
	contains "zh-cn safely-drain-node: /zh-cn/docs/... links land" "$TMP/drain" "] content/zh-cn/docs/concepts/workloads/pods/disruptions.md"
fi
finish
