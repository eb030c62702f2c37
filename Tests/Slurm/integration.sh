#!/usr/bin/env bash
# A sweep as a Slurm job array, on a real Slurm (issue 7, "Tested on a real Slurm").
#
#   Tests/Slurm/integration.sh VANISH [PARENT_DIR]
#
#   VANISH      the built `vanish` binary (`make test` passes the debug build)
#   PARENT_DIR  where the temporary directory goes (default: $TMPDIR, else /tmp)
#   VANISH_SLURM_KEEP=1  keep the temporary directory (stores, daemon and job logs)
#
# It brings up a one-node cluster of this machine on loopback — munged, slurmctld and
# slurmd with a generated slurm.conf, every file of theirs in the temporary directory, on
# ports nobody else uses — and then:
#   1. submits Tests/Slurm/sweep.yaml as a 4-task array with `vanish slurm --submit`, waits
#      for it, and checks the store it made is identical, run by run and file by file, to
#      a local `vanish sweep` of the same config (summary.json up to its timing);
#   2. submits it again into a new store, cancels one task while it is training a run
#      (`scancel <job>_<task>`), checks that run left nothing behind, resubmits that one
#      task with `sbatch --array=<task>` and checks the store is complete: exactly the
#      planned runs, each once, the runs finished before untouched, no staging directory,
#      claim or failure note left, and `vanish status` reports everything done.
# Every daemon it started is stopped on exit, on failure too, and the temporary directory
# removed. It skips (exit 0, with the reason) only where Slurm cannot run here at all: not
# root, or Slurm not installed (`make test-slurm` installs it with apt-get where it can).
# Everything else that goes wrong fails, with the daemon and job logs printed.
set -euo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly CONFIG="$HERE/sweep.yaml"
# 2 variants × 3 lengths × 2 seeds, as sweep.yaml says.
readonly PLANNED_RUNS=12
readonly TASKS=4
# summary.json fields that differ between two trainings of the same run: how long it took.
readonly VOLATILE_SUMMARY_FIELDS='wall_seconds'
# Files that hold the checksum of summary.json, so differ with it (`vanish status` checks them).
readonly SUMMARY_CHECKSUM_FILE='summary.fnv1a64'

say() { printf 'slurm-test: %s\n' "$*"; }
skip() { printf 'slurm-test: SKIP: %s\n' "$*"; exit 0; }
fail() { printf 'slurm-test: FAIL: %s\n' "$*" >&2; exit 1; }

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 VANISH [PARENT_DIR]" >&2
    exit 2
fi
VANISH="$(realpath "$1")" || fail "no vanish binary at $1"
[[ -x $VANISH ]] || fail "$VANISH is not an executable (build it with: swift build)"
PARENT="${2:-${TMPDIR:-/tmp}}"

# --- Can Slurm run here at all? -------------------------------------------------------
# The daemons live in /usr/sbin, which a non-login shell's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"
# slurmd starts every job as its owner, which takes root; and the daemons must be installed.
[[ $(id -u) -eq 0 ]] || skip "Slurm's daemons need root (slurmd starts jobs as their user); running as $(id -un)"
for program in munged mungekey slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    command -v "$program" >/dev/null ||
        skip "$program is not installed (Debian: apt-get install slurm-wlm munge; make test-slurm does it as root)"
done

STARTED=$SECONDS
# The munge socket's path must fit a sockaddr_un (108 bytes): keep the directory short.
WORK="$(mktemp -d "$PARENT/vslurm.XXXXXX")"
# munged wants every directory above its socket searchable by all.
chmod 755 "$WORK"
readonly WORK CONF="$WORK/slurm.conf" LOGS="$WORK/log"
mkdir -p "$LOGS" "$WORK/munge" "$WORK/state" "$WORK/spool" "$WORK/run"

# Everything this test starts — daemons, and through sbatch's environment every job and
# its slurmstepd — carries this variable, so cleanup finds exactly those processes and
# never touches anyone else's Slurm or vanish.
readonly MARK="VANISH_SLURM_TEST=$WORK"
export SLURM_CONF="$CONF"
declare -A DAEMON_PIDS=()

# Pids of processes that carry MARK, this shell excluded (its environment never has it).
marked_pids() {
    local proc entry
    for proc in /proc/[0-9]*; do
        [[ -r $proc/environ ]] || continue
        while IFS= read -r -d '' entry; do
            if [[ $entry == "$MARK" ]]; then echo "${proc#/proc/}"; break; fi
        done 2>/dev/null <"$proc/environ" || true
    done
}

# The value of one environment variable of a process ("" if unset or gone).
process_env() {
    local entry
    while IFS= read -r -d '' entry; do
        if [[ $entry == "$2="* ]]; then echo "${entry#"$2="}"; return; fi
    done 2>/dev/null <"/proc/$1/environ" || true
}

show_logs() {
    local file
    for file in "$LOGS"/*.log "$LOGS"/*.out; do
        [[ -s $file ]] || continue
        # A daemon writing its own log file repeats it on stderr: show it once.
        [[ $file == *.out && -s ${file%.out}.log ]] && continue
        printf '\n----- %s (last 40 lines)\n' "$file" >&2
        tail -n 40 "$file" >&2
    done
    for file in "$WORK"/store-*/slurm/*/logs/*.out; do
        [[ -s $file ]] || continue
        printf '\n----- job log %s\n' "$file" >&2
        tail -n 20 "$file" >&2
    done
}

# Stops what this test started, in the order that leaves nothing behind: jobs first (a
# job's slurmstepd outlives slurmd), then slurmd, slurmctld, munged; whatever ignores
# SIGTERM for 10 s gets SIGKILL.
cleanup() {
    local status=$? name pid left deadline
    set +e
    trap - EXIT INT TERM
    if [[ $status -ne 0 ]]; then
        echo "slurm-test: daemon and job logs follow" >&2
        show_logs
    fi
    if [[ -n ${DAEMON_PIDS[slurmctld]:-} ]] && kill -0 "${DAEMON_PIDS[slurmctld]}" 2>/dev/null; then
        local jobs
        jobs="$(timeout 10 squeue -h -o %F 2>/dev/null | sort -u)"
        [[ -z $jobs ]] || timeout 10 scancel $jobs 2>/dev/null
    fi
    for name in slurmd slurmctld munged; do
        pid="${DAEMON_PIDS[$name]:-}"
        [[ -n $pid ]] || continue
        kill -TERM "$pid" 2>/dev/null
        deadline=$((SECONDS + 10))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    # Jobs that scancel did not reach (slurmctld already gone) and their slurmstepds.
    left="$(marked_pids)"
    if [[ -n $left ]]; then
        kill -TERM $left 2>/dev/null
        sleep 2
        left="$(marked_pids)"
        [[ -z $left ]] || kill -KILL $left 2>/dev/null
    fi
    if [[ ${VANISH_SLURM_KEEP:-0} == 1 ]]; then
        echo "slurm-test: kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Polls a command until it succeeds; fails the test, naming what it waited for, after
# a deadline (seconds). CI must never hang on a daemon that did not come up.
wait_until() {
    local limit=$1 what=$2
    shift 2
    local deadline=$((SECONDS + limit))
    until "$@"; do
        ((SECONDS < deadline)) || fail "gave up after ${limit} s waiting for $what"
        sleep 0.2
    done
}

start_daemon() {
    local name=$1
    shift
    env "$MARK" "$@" >"$LOGS/$name.out" 2>&1 &
    DAEMON_PIDS[$name]=$!
}

daemon_alive() { kill -0 "${DAEMON_PIDS[$1]}" 2>/dev/null || fail "$1 exited (its log is below)"; }

# A TCP port in the dynamic range that nothing listens on.
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    fail "found no free TCP port"
}

# --- The cluster ----------------------------------------------------------------------
# Our own key and socket, so that a munged already running on this machine (or the
# Debian package's key) plays no part.
mungekey --create --bits 1024 --keyfile "$WORK/munge/munge.key" >/dev/null
start_daemon munged munged --foreground --force \
    --socket="$WORK/munge/socket" --key-file="$WORK/munge/munge.key" \
    --pid-file="$WORK/run/munged.pid" --seed-file="$WORK/munge/seed" --log-file="$LOGS/munged.log"
wait_until 15 "munged's socket" test -S "$WORK/munge/socket"

# This machine as slurmd sees it (name, CPUs, sockets, cores, memory), so the node line
# never claims more than is there.
NODE_LINE="$(slurmd -C | head -n 1)"
[[ $NODE_LINE == NodeName=* ]] || fail "slurmd -C printed no node line: $NODE_LINE"
NODE="${NODE_LINE%% *}"
NODE="${NODE#NodeName=}"
CTLD_PORT="$(free_port)"
SLURMD_PORT="$(free_port)"
while [[ $SLURMD_PORT == "$CTLD_PORT" ]]; do SLURMD_PORT="$(free_port)"; done

cat >"$CONF" <<EOF
# Generated by Tests/Slurm/integration.sh: a one-node cluster on loopback.
ClusterName=vanishtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/munge/socket
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
# No cgroups: plain process tracking, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# The node comes up idle as soon as it registers; a cancelled task is killed 5 s after
# SIGTERM at the latest; finished jobs stay visible to scontrol for 10 minutes.
ReturnToService=2
KillWait=5
MinJobAge=600
$NODE_LINE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

start_daemon slurmctld slurmctld -D -f "$CONF"
start_daemon slurmd slurmd -D -f "$CONF" -N "$NODE"
node_idle() {
    daemon_alive slurmctld
    daemon_alive slurmd
    [[ $(sinfo -h -N -n "$NODE" -o %T 2>/dev/null) == idle ]]
}
wait_until 60 "node $NODE to be idle in sinfo" node_idle
say "cluster up in $((SECONDS - STARTED)) s: node $NODE (${NODE_LINE#* }), slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT"

# --- Helpers on jobs and stores -------------------------------------------------------
readonly EXPERIMENT="$(sed -n 's/^name: *//p' "$CONFIG")"
[[ -n $EXPERIMENT ]] || fail "$CONFIG has no name"

# True while any task of the job is pending or running.
job_active() {
    local ids
    ids="$(squeue -h -j "$1" -o %i 2>&1)" || fail "squeue failed: $ids"
    [[ -n $ids ]]
}

wait_for_job() {
    wait_until "$2" "job $1 to finish (squeue -j $1)" eval '! job_active '"$1"
}

# "TASK STATE" per array task of a job, sorted by task.
task_states() {
    scontrol -o show job "$1" | sed -n 's/.* ArrayTaskId=\([0-9]*\) .* JobState=\([A-Z_]*\) .*/\1 \2/p' | sort -n
}

expect_states() {
    local job=$1 expected=$2 actual
    actual="$(task_states "$job" | tr '\n' ' ')"
    [[ $actual == "$expected" ]] || fail "job $job: tasks ended as [$actual], expected [$expected]"
}

# Submits with `vanish slurm --submit`; prints the job id, and the output goes to a log.
submit_array() {
    local store=$1 output job
    output="$(env "$MARK" "$VANISH" slurm "$CONFIG" --store "$store" --tasks "$TASKS" --cpus-per-task 1 --submit)" ||
        fail "vanish slurm --submit failed: $output"
    printf '%s\n' "$output" >"$LOGS/submit-$(basename "$store").out"
    job="$(printf '%s\n' "$output" | tail -n 1 | sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p')"
    [[ -n $job ]] || fail "vanish slurm --submit did not end with 'Submitted batch job <id>': $output"
    echo "$job"
}

# The names of the run directories of a store, sorted.
runs_in() {
    find "$1/$EXPERIMENT" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | sort
}

summary_without_volatile() {
    grep -Ev "^  \"($VOLATILE_SUMMARY_FIELDS)\" : " "$1"
}

# Fails unless every run of store $2 has the files of the same run in store $1, byte for
# byte (summary.json without its volatile fields), and neither has a run the other lacks.
compare_stores() {
    local reference=$1 store=$2 run file files=0
    diff <(runs_in "$reference") <(runs_in "$store") >&2 ||
        fail "$store holds other runs than $reference (diff above)"
    while read -r run; do
        diff <(ls -A "$reference/$EXPERIMENT/$run") <(ls -A "$store/$EXPERIMENT/$run") >&2 ||
            fail "run $run has other files in $store than in $reference (diff above)"
        for file in "$reference/$EXPERIMENT/$run"/*; do
            file="$(basename "$file")"
            if [[ $file == "$SUMMARY_CHECKSUM_FILE" ]]; then
                continue
            elif [[ $file == summary.json ]]; then
                diff -u <(summary_without_volatile "$reference/$EXPERIMENT/$run/$file") \
                    <(summary_without_volatile "$store/$EXPERIMENT/$run/$file") >&2 ||
                    fail "run $run: summary.json differs beyond $VOLATILE_SUMMARY_FIELDS (diff above)"
            else
                cmp "$reference/$EXPERIMENT/$run/$file" "$store/$EXPERIMENT/$run/$file" >&2 ||
                    fail "run $run: $file differs between $reference and $store"
            fi
            files=$((files + 1))
        done
    done < <(runs_in "$reference")
    echo "$files"
}

# `vanish status` of a store's experiment; fails the test if status itself fails.
store_status() {
    local output
    output="$("$VANISH" status "$1/$EXPERIMENT" 2>&1)" || fail "vanish status $1/$EXPERIMENT failed: $output"
    printf '%s\n' "$output"
}

# One number of the per-shard table of `vanish status` (its text on stdin): the row of
# shard $1, the column headed $2 ("runs", "done", "missing", ...).
shard_count() {
    awk -v shard="$1" -v column="$2" '
        $1 == "shard" { for (i = 1; i <= NF; i++) index_of[$i] = i; table = 1; next }
        table && NF == 0 { table = 0 }
        table && $1 == shard && (column in index_of) { print $(index_of[column]); found = 1; exit }
        END { if (!found) print "?" }'
}

# Checks the status of a store against the expected missing runs per shard ("0 0 3 0"):
# every shard's runs are done or missing, none running, failed or corrupt.
expect_status() {
    local store=$1 expected=($2) status shard column value runs missing done=$PLANNED_RUNS
    status="$(store_status "$store")"
    printf '%s\n' "$status" >"$LOGS/status-$(basename "$store")-$SECONDS.out"
    for missing in "${expected[@]}"; do done=$((done - missing)); done
    grep -q "$done of $PLANNED_RUNS planned runs done, $TASKS shard(s)" <<<"$status" ||
        fail "vanish status $store does not say '$done of $PLANNED_RUNS planned runs done, $TASKS shard(s)':"$'\n'"$status"
    for shard in $(seq 0 $((TASKS - 1))); do
        runs="$(shard_count "$shard" runs <<<"$status")"
        missing="$(shard_count "$shard" missing <<<"$status")"
        # Several runs per shard: one task per run, or one doing everything, would not do.
        [[ $runs =~ ^[0-9]+$ ]] && ((runs >= 2)) ||
            fail "vanish status $store: shard $shard has '$runs' runs, expected at least 2:"$'\n'"$status"
        [[ $missing == "${expected[$shard]}" ]] ||
            fail "vanish status $store: shard $shard has '$missing' missing runs, expected ${expected[$shard]}:"$'\n'"$status"
        for column in running failed corrupt; do
            value="$(shard_count "$shard" "$column" <<<"$status")"
            [[ $value == 0 ]] || fail "vanish status $store: shard $shard has '$value' $column runs:"$'\n'"$status"
        done
    done
    STATUS="$status"
}

# How many runs a task trained, from the line `vanish sweep` ends its log with
# ("<experiment>: N run(s) done, M already complete, 0 failed; ...").
trained_by_task() {
    local log="$1/slurm/$EXPERIMENT/logs/${2}_$3.out" trained
    [[ -s $log ]] || fail "task $3 of job $2 left no log at $log"
    trained="$(sed -n 's/^.*: \([0-9][0-9]*\) run(s) done, .*$/\1/p' "$log" | tail -n 1)"
    [[ -n $trained ]] || fail "task $3 of job $2: no 'N run(s) done' line in $log: $(tail -n 5 "$log")"
    echo "$trained"
}

# Fails if the experiment directory holds anything but finished runs: staging or retired
# directories, claims, failure notes.
expect_clean() {
    local leftovers
    leftovers="$(find "$1/$EXPERIMENT" -mindepth 1 -maxdepth 1 \( -name '.*' -o -name '*.failed' \) -printf '%f ')"
    [[ -z $leftovers ]] || fail "$1/$EXPERIMENT has leftovers: $leftovers"
}

# --- 1. The array against a local sweep -------------------------------------------------
LOCAL="$WORK/store-local"
phase=$SECONDS
"$VANISH" sweep "$CONFIG" --store "$LOCAL" --jobs 2 --quiet >"$LOGS/local-sweep.out" 2>&1 ||
    fail "local vanish sweep failed: $(cat "$LOGS/local-sweep.out")"
PLANNED="$(runs_in "$LOCAL")"
[[ $(wc -l <<<"$PLANNED") -eq $PLANNED_RUNS ]] || fail "the local sweep made $(wc -l <<<"$PLANNED") runs, not $PLANNED_RUNS"
say "local sweep: $PLANNED_RUNS runs in $((SECONDS - phase)) s"

ARRAY="$WORK/store-array"
phase=$SECONDS
JOB1="$(submit_array "$ARRAY")"
wait_for_job "$JOB1" 180
expect_states "$JOB1" "0 COMPLETED 1 COMPLETED 2 COMPLETED 3 COMPLETED "
FILES="$(compare_stores "$LOCAL" "$ARRAY")"
expect_clean "$ARRAY"
expect_status "$ARRAY" "0 0 0 0"
# Each task trained exactly its shard's runs: together every run once, none twice.
for task in $(seq 0 $((TASKS - 1))); do
    shard_runs="$(shard_count "$task" runs <<<"$STATUS")"
    trained="$(trained_by_task "$ARRAY" "$JOB1" "$task")"
    [[ $trained == "$shard_runs" ]] ||
        fail "task $task of job $JOB1 trained $trained runs; its shard has $shard_runs"
done
say "array job $JOB1: $TASKS tasks COMPLETED in $((SECONDS - phase)) s, each its shard's runs" \
    "($(for t in $(seq 0 $((TASKS - 1))); do printf '%s ' "$(shard_count "$t" runs <<<"$STATUS")"; done | sed 's/ $//')):" \
    "$PLANNED_RUNS runs identical to the local sweep ($FILES files compared)"

# --- 2. Cancel one task mid-run, resubmit it ---------------------------------------------
CANCEL="$WORK/store-cancel"
phase=$SECONDS
JOB2="$(submit_array "$CANCEL")"

# A task is mid-run when its vanish process holds a run's claim file open. Prints
# "PID TASK RUN" for the first such process of job $JOB2.
task_mid_run() {
    local pid fd target
    for pid in $(marked_pids); do
        [[ $(process_env "$pid" SLURM_ARRAY_JOB_ID) == "$JOB2" ]] || continue
        for fd in /proc/"$pid"/fd/*; do
            target="$(readlink "$fd" 2>/dev/null)" || continue
            if [[ $target == "$CANCEL/$EXPERIMENT/."*.claim ]]; then
                target="${target##*/.}"
                echo "$pid $(process_env "$pid" SLURM_ARRAY_TASK_ID) ${target%.claim}"
                return 0
            fi
        done
    done
    return 1
}
found_mid_run() { VICTIM="$(task_mid_run)"; }
VICTIM=""
wait_until 60 "a task of job $JOB2 to start a run" found_mid_run
read -r VICTIM_PID VICTIM_TASK VICTIM_RUN <<<"$VICTIM"
scancel "${JOB2}_${VICTIM_TASK}"
process_gone() { ! kill -0 "$VICTIM_PID" 2>/dev/null; }
wait_until 30 "task $VICTIM_TASK's vanish (pid $VICTIM_PID) to be killed" process_gone
# The run it was training must not read as done: no directory under its name.
[[ ! -e $CANCEL/$EXPERIMENT/$VICTIM_RUN ]] ||
    fail "run $VICTIM_RUN, cancelled mid-run, has a directory in the store (or it finished before scancel: runs too short)"
wait_for_job "$JOB2" 180
EXPECTED_STATES=""
EXPECTED_MISSING=""
DONE_BEFORE="$(runs_in "$CANCEL")"
MISSING=$((PLANNED_RUNS - $(grep -c . <<<"$DONE_BEFORE" || true)))
for task in $(seq 0 $((TASKS - 1))); do
    if [[ $task == "$VICTIM_TASK" ]]; then
        EXPECTED_STATES+="$task CANCELLED "
        EXPECTED_MISSING+="$MISSING "
    else
        EXPECTED_STATES+="$task COMPLETED "
        EXPECTED_MISSING+="0 "
    fi
done
expect_states "$JOB2" "$EXPECTED_STATES"
((MISSING > 0)) || fail "task $VICTIM_TASK was cancelled mid-run, yet every run is in the store"
# Only the cancelled task's shard lacks runs, and status names the run it was training.
expect_status "$CANCEL" "$EXPECTED_MISSING"
grep -q "^ *$VICTIM_RUN (shard $VICTIM_TASK of $TASKS)" <<<"$STATUS" ||
    fail "vanish status does not list $VICTIM_RUN, cancelled mid-run, as missing:"$'\n'"$STATUS"
# Fingerprints (inode and mtime) of the finished runs, to prove the resubmission leaves them alone.
fingerprints() { (cd "$CANCEL/$EXPERIMENT" && stat -c '%n %i %Y' $DONE_BEFORE); }
BEFORE="$(fingerprints)"
say "array job $JOB2: cancelled task $VICTIM_TASK while it trained $VICTIM_RUN;" \
    "the other tasks COMPLETED; status: $MISSING of $PLANNED_RUNS runs missing, all in shard $VICTIM_TASK"

# Resubmit only that task, from the script `vanish slurm` wrote: its shard count is
# written in it, so a one-task array still runs shard $VICTIM_TASK of $TASKS.
RESUBMITTED="$(env "$MARK" sbatch --parsable --array="$VICTIM_TASK" "$CANCEL/slurm/$EXPERIMENT/array.sbatch" 2>&1)" ||
    fail "sbatch --array=$VICTIM_TASK failed: $RESUBMITTED"
JOB3="${RESUBMITTED%%;*}"
wait_for_job "$JOB3" 120
expect_states "$JOB3" "$VICTIM_TASK COMPLETED "

TRAINED="$(trained_by_task "$CANCEL" "$JOB3" "$VICTIM_TASK")"
[[ $TRAINED == "$MISSING" ]] || fail "the resubmitted task trained $TRAINED runs; $MISSING were missing"
diff <(echo "$PLANNED") <(runs_in "$CANCEL") >&2 ||
    fail "after the resubmission the store holds other runs than planned (diff above)"
diff <(echo "$BEFORE") <(fingerprints) >&2 ||
    fail "the resubmission rewrote runs that were already done (diff above)"
expect_clean "$CANCEL"
expect_status "$CANCEL" "0 0 0 0"
FILES="$(compare_stores "$LOCAL" "$CANCEL")"
say "resubmitted task $VICTIM_TASK (job $JOB3): it trained the $MISSING missing runs, left the" \
    "$((PLANNED_RUNS - MISSING)) done ones untouched; store complete, nothing left over, identical to the" \
    "local sweep ($FILES files); $((SECONDS - phase)) s"
printf '%s\n' "$STATUS" | sed 's/^/    /'

say "PASS in $((SECONDS - STARTED)) s"
