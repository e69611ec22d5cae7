#!/bin/sh
# logs.test.sh - kb match finds the error inside the line formats operators paste (issue 18):
# klog, Kubernetes event rows, journald and syslog prefixes, JSON records, Go panics, Java
# and Python tracebacks, gRPC's "rpc error: code = ... desc = ...".
. tests/lib.sh
N=$TMP/notes DB=$TMP/kb.db
mkdir -p "$N"
w() { mkdir -p "$(dirname "$N/$1")"; cat >"$N/$1"; }
w k8s/images.md <<'EOF'
# Images

## ImagePullBackOff

The container could not start: the image could not be pulled. Check its name and the pull secret.
EOF
w k8s/hooks.md <<'EOF'
# Hooks

## Debugging hook handlers

```
Warning  FailedPostStartHook  2s (x2 over 3s)  kubelet  Exec lifecycle hook failed
Warning  BackOff              2s (x2 over 3s)  kubelet  Back-off restarting failed container
```
EOF
w k8s/node-ip.md <<'EOF'
# Node addresses

## Failed to retrieve node IP

kube-proxy started before the cloud controller gave the node its address.
EOF
w go/panic.md <<'EOF'
# Go services

## Nil pointer dereference at start

The exporter dies with invalid memory address or nil pointer dereference when its config has no targets.
EOF
w java/heap.md <<'EOF'
# Java

## Java heap space

The service needs a larger -Xmx: OutOfMemoryError means the heap is too small.
EOF
w py/refused.md <<'EOF'
# Python tools

## The collector cannot reach the exporter

ConnectionRefusedError: the exporter is not listening on its port.
EOF
w csi/volumes.md <<'EOF'
# CSI

## Volume not found in the storage backend

The volume was deleted outside Kubernetes: delete the PersistentVolume too.
EOF
w tls/certs.md <<'EOF'
# Certificates

## x509: certificate has expired or is not yet valid

Renew the certificates and restart the component.
EOF
w ssh/kex.md <<'EOF'
# SSH

## Connection closed by remote host during key exchange

kex_exchange_identification: a firewall or MaxStartups closed the connection.
EOF
status 0 "$KB" build -q --db "$DB" "$N"

# first_match NAME: the id of kb match's first entry for the log on stdin
first_match() { "$KB" match --db "$DB" -n 1 | sed -n '1s/\t.*//p'; }

same "klog" "$(printf '%s\n' 'E0311 10:00:02.223344    1234 pod_workers.go:965] Error syncing pod 7c1e2d4f-0a9b ("web-0_prod(7c1e2d4f)"), skipping: failed to "StartContainer" for "web" with ImagePullBackOff: "Back-off pulling image \"registry.local/web:1.4\""' | first_match)" \
	"k8s/images.md#imagepullbackoff"
same "a Kubernetes event row (not the row of the same shape)" \
	"$(printf '%s\n' 'Warning  Failed     12s (x4 over 1m)  kubelet  Error: ImagePullBackOff' | first_match)" \
	"k8s/images.md#imagepullbackoff"
same "journald" "$(printf '%s\n' 'Mar 14 10:22:01 worker-2 kube-proxy[2211]: E0314 10:22:01.551204    2211 server.go:610] Failed to retrieve node IP: host IP unknown; known addresses: []' | first_match)" \
	"k8s/node-ip.md#failed-to-retrieve-node-ip"
same "syslog" "$(printf '%s\n' '<38>Mar 14 10:22:01 bastion sshd[41234]: error: kex_exchange_identification: Connection closed by remote host' | first_match)" \
	"ssh/kex.md#connection-closed-by-remote-host-during-key-exchange"
same "a JSON record" "$(printf '%s\n' '{"level":"error","ts":"2024-03-01T10:00:00Z","caller":"tls/verify.go:88","msg":"x509: certificate has expired or is not yet valid","peer":"10.0.0.7:6443"}' | first_match)" \
	"tls/certs.md#x509-certificate-has-expired-or-is-not-yet-valid"
same "a Go panic" "$(printf '%s\n' 'panic: runtime error: invalid memory address or nil pointer dereference' '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b3c]' '' 'goroutine 1 [running]:' 'main.main()' '	/src/exporter/main.go:12 +0x1d' | first_match)" \
	"go/panic.md#nil-pointer-dereference-at-start"
same "a Java stack trace" "$(printf '%s\n' 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space' '	at com.example.Cache.grow(Cache.java:42)' '	at com.example.Main.main(Main.java:7)' | first_match)" \
	"java/heap.md#java-heap-space"
same "a Python traceback" "$(printf '%s\n' 'Traceback (most recent call last):' '  File "/opt/collector/run.py", line 3, in <module>' '    main()' 'ConnectionRefusedError: [Errno 111] Connection refused' | first_match)" \
	"py/refused.md#the-collector-cannot-reach-the-exporter"
same "rpc error: code = ... desc = ..." "$(printf '%s\n' 'E0601 12:00:00.000000       1 csi_attacher.go:123] rpc error: code = NotFound desc = Volume not found in the storage backend' | first_match)" \
	"csi/volumes.md#volume-not-found-in-the-storage-backend"
finish
