#!/bin/sh
# facets.test.sh - components from the directory level that divides a tree with no
# components file and no front matter, component: in any case, symptoms worth pasting.
. tests/lib.sh
N=$TMP/notes DB=$TMP/kb.db
w() { mkdir -p "$(dirname "$N/$1")"; cat >"$N/$1"; }
for lang in en zh-cn; do
	w content/$lang/docs/concepts/pods.md <<'NOTE'
# Pods

A pod is a group of containers.
NOTE
	w content/$lang/docs/tasks/debug.md <<'NOTE'
# Debug

```
EOF
FATAL
0x7f3a2b1c
```

```
Error: ImagePullBackOff
Failed to retrieve node IP: host IP unknown
```
NOTE
done
status 0 "$KB" build -q --db "$DB" "$N"
"$KB" components --db "$DB" >"$TMP/comps"
same "the level that divides the tree (content/, en|zh-cn/, docs/ do not)" "$(cut -f1 "$TMP/comps" | tr '\n' ' ')" "concepts tasks "
same "component: in any case" "$("$KB" search --db "$DB" -n 0 component:TASKS ImagePullBackOff | cut -f1 | sort | tr '\n' ' ')" \
	"content/en/docs/tasks/debug.md content/zh-cn/docs/tasks/debug.md "

# ---- symptoms: EOF, FATAL and numbers are not worth listing; the specific ones are -------
"$KB" symptoms --db "$DB" >"$TMP/sym"
lacks "no lone EOF" "$TMP/sym" "$(printf 'eof\t')"
lacks "no lone FATAL" "$TMP/sym" "$(printf 'fatal\t')"
lacks "no lone hex number" "$TMP/sym" "0x7f3a2b1c"
contains "an identifier is worth it" "$TMP/sym" "ImagePullBackOff"
same "the most specific first" "$(head -n 1 "$TMP/sym" | cut -f2)" "Failed to retrieve node IP: host IP unknown"

# ---- a note at the top moves the level there, and an incremental build follows -----------
w ticdc/sink.md <<'NOTE'
# Sink

Kafka sink.
NOTE
w ticdc-overview.md <<'NOTE'
# TiCDC overview

What TiCDC is.
NOTE
w general.md <<'NOTE'
# General

Nothing in particular.
NOTE
status 0 "$KB" build -q --db "$DB" "$N"
"$KB" components --db "$DB" >"$TMP/comps"
same "the top level divides the tree now" "$(cut -f1 "$TMP/comps" | tr '\n' ' ')" "content ticdc "
same "a note at the top named after a directory there takes its component" \
	"$("$KB" search --db "$DB" -n 1 component:ticdc overview | cut -f1)" "ticdc-overview.md"
same "and one named after none has none" "$("$KB" search --db "$DB" -n 1 --json particular | grep -c '"components":\[\]')" "1"
finish
