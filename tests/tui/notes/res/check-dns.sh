#!/bin/sh
# check-dns.sh - is the cluster resolver reachable from this node?
for ns in $(awk '/^nameserver/ {print $2}' /etc/resolv.conf); do
	nc -zu -w 2 "$ns" 53 && echo "$ns: ok" || echo "$ns: unreachable"
done
