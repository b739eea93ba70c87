#!/bin/sh
# Runs a command with 2 MB hugepages available: when fewer than HUGEPAGES_NEEDED (default 128,
# 256 MB) are free and we are root, reserves that many more for the run and gives them back
# afterwards. Without root or hugepage support the command runs anyway and the test reports why it
# cannot use hugepages.
need=${HUGEPAGES_NEEDED:-128}
nr=/proc/sys/vm/nr_hugepages
free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo 2>/dev/null)
free=${free:-0}
restore=""
if [ "$free" -lt "$need" ] && [ "$(id -u)" = 0 ] && [ -w "$nr" ]; then
  before=$(cat "$nr")
  if echo $((before + need)) > "$nr" 2>/dev/null; then
    restore=$before
    echo "with_hugepages: reserved $need x 2 MB hugepages (nr_hugepages $before -> $(cat "$nr"))"
  fi
fi
"$@"
rc=$?
if [ -n "$restore" ]; then
  echo "$restore" > "$nr"
  echo "with_hugepages: nr_hugepages restored to $restore"
fi
exit $rc
