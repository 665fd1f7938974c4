#!/usr/bin/env bash
# A single-node Slurm cluster on this host, for tests and CI: this host is controller and node.
#   slurm-local-cluster.sh start DIR   writes DIR/munge.key and DIR/slurm.conf, starts munged (as the
#                                      munge user), slurmctld and slurmd, waits until the node is idle,
#                                      and prints `export SLURM_CONF=DIR/slurm.conf`
#   slurm-local-cluster.sh stop DIR    stops the three daemons by the PIDs in DIR (never by name)
# Needs root and Debian's slurm-wlm and munge packages. Exit 3: the binaries are absent.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"

stop_pid() { # name pidfile
  local f="$2"; [ -s "$f" ] || return 0
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -9 "$pid" 2>/dev/null || true; }
  fi
  rm -f "$f"
}

if [ "$cmd" = stop ]; then
  stop_pid slurmd "$dir/run/slurmd.pid"
  stop_pid slurmctld "$dir/run/slurmctld.pid"
  stop_pid munged "$dir/munge/munged.pid"
  echo "slurm-local-cluster: stopped (state kept in $dir)"
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

for b in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || { echo "slurm-local-cluster: $b not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
done
[ "$(id -u)" = 0 ] || { echo "slurm-local-cluster: must run as root (slurmd and SlurmUser=root)" >&2; exit 4; }
export PATH="$PATH:/usr/sbin"
host="$(hostname -s)"
cpus="$(nproc)"
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
port=$(( 20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 20000 ))
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/run" "$dir/log"

# munge: a generated key, daemon as the munge user with its socket under DIR
if [ ! -s "$dir/munge/munge.key" ]; then dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none; fi
chown -R munge:munge "$dir/munge"; chmod 700 "$dir/munge"; chmod 400 "$dir/munge/munge.key"
chmod 755 "$dir"
runuser -u munge -- munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"

cat > "$dir/slurm.conf" <<CONF
ClusterName=lensforge-local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=600
KillWait=5
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 100); do
  st="$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)"
  case "$st" in idle*|mixed*|allocated*) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.2
done
echo "slurm-local-cluster: the node did not become idle (state: ${st:-none}); see $dir/log" >&2
exit 5
