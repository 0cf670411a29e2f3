#!/usr/bin/env bash
# Leave-one-speaker-out study on FSDD (issue #14, item 3). For each held-out speaker (a fold), one run
# after another, never two at once:
#   baselines  the MFCC linear probes (mean, and mean+std, of 39-dim MFCCs) and the random-init encoder
#   wav2vec2   wav2vec 2.0
#   hubert     HuBERT iteration 1 (MFCC k-means targets)
#   hubert2    HuBERT iteration 2 (k-means of a layer of this fold's iteration-1 encoder)
#   ils        ILS-SSL
# Each trained run uses --holdout-speaker: pretraining and the probe's training never see that speaker,
# and the probe's test part is exactly its 500 recordings. Every run writes
# <results>/<speaker>/<run>/results.json; scripts/loso_table.py <results> prints the table.
#
#   scripts/fsdd-loso.sh                                   # 6 folds x 4 trainings x 30 min (~13 h on 2 cores)
#   scripts/fsdd-loso.sh --minutes 5 --results /tmp/loso
#   scripts/fsdd-loso.sh --speakers theo --runs "baselines hubert" --minutes 1
#   scripts/fsdd-loso.sh --minutes 30 -- --model base --sample-rate 16000 --crop-seconds 2   # extra options
#   scripts/fsdd-loso.sh --minutes 8 --minutes-of wav2vec2=25 --options-of wav2vec2="--augment gain,noise,shift,time-mask"
#
# Options: --minutes M (budget per trained run, default 30), --results DIR (default results/fsdd-loso),
# --data DIR (default $SELFSUP4J_DATASETS/fsdd, else ../shared/datasets/fsdd), --speakers "a b" (default all six), --runs "..." (default
# all five, in the order above; hubert2 needs this fold's hubert run), --seed N (default 0),
# --target-layer L (hubert2; default the iteration-1 encoder's probed layer), --iter2-clusters K
# (default 50, as iteration 1), --minutes-of RUN=M (one kind of run's budget instead of --minutes; repeatable),
# --options-of RUN="..." (extra options for one kind of run; repeatable). Anything after -- goes to every run. A run whose results.json exists is
# skipped, so an interrupted study continues where it stopped (delete the folder to redo a run).
# JAR=<jar> or CP=<classpath> chooses the build (default examples/target/selfsup4j-examples.jar, built
# when missing). NICE=0 turns off the default `nice`.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=30
RESULTS=results/fsdd-loso
DATA="${SELFSUP4J_DATASETS:-../shared/datasets}/fsdd"
SPEAKERS="george jackson lucas nicolas theo yweweler"
RUNS="baselines wav2vec2 hubert hubert2 ils"
SEED=0
TARGET_LAYER=""
ITER2_CLUSTERS=50
EXTRA=()
declare -A RUN_MINUTES=() RUN_OPTIONS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --speakers) SPEAKERS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --target-layer) TARGET_LAYER="$2"; shift 2 ;;
    --iter2-clusters) ITER2_CLUSTERS="$2"; shift 2 ;;
    --minutes-of) RUN_MINUTES["${2%%=*}"]="${2#*=}"; shift 2 ;;
    --options-of) RUN_OPTIONS["${2%%=*}"]="${2#*=}"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "fsdd-loso.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for r in $RUNS "${!RUN_MINUTES[@]}" "${!RUN_OPTIONS[@]}"; do
  case "$r" in baselines|wav2vec2|hubert|hubert2|ils) ;;
    *) echo "fsdd-loso.sh: expected runs among 'baselines wav2vec2 hubert hubert2 ils', got '$r'" >&2; exit 2 ;;
  esac
done

source scripts/cpu_env.sh
if [ -z "${CP:-}" ]; then
  JAR="${JAR:-examples/target/selfsup4j-examples.jar}"
  if [ ! -f "$JAR" ]; then
    mvn -B -ntp -q -pl examples -am package -DskipTests
  fi
  CP="$JAR"
fi
PRIO=(nice)
[ "${NICE:-1}" = 0 ] && PRIO=()

speech() {  # one run, in the foreground
  "${PRIO[@]}" java -Xmx3g --add-modules jdk.incubator.vector \
    -Dorg.bytedeco.javacpp.cachedir="${JAVACPP_CACHE:-$HOME/.javacpp/cache}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$CP" org.selfsup4j.examples.speech.SpeechPretrainExample "$@"
}

for s in $SPEAKERS; do
  fold="$RESULTS/$s"
  mkdir -p "$fold"
  common=(--data "$DATA" --holdout-speaker "$s" --seed "$SEED" --baselines "$fold/baselines.properties")
  for r in $RUNS; do
    out="$fold/$r"
    if [ -f "$out/results.json" ]; then
      echo "== fold $s: $r done already ($out/results.json)"
      continue
    fi
    minutes="${RUN_MINUTES[$r]:-$MINUTES}"
    read -r -a own <<< "${RUN_OPTIONS[$r]:-}"
    echo "== fold $s: $r ($(date -u +%H:%M:%S) UTC)"
    case "$r" in
      baselines) speech --method hubert --baselines-only "${common[@]}" --out "$out" "${own[@]}" "${EXTRA[@]}" ;;
      wav2vec2|hubert|ils) speech --method "$r" --minutes "$minutes" "${common[@]}" --overwrite --out "$out" \
        "${own[@]}" "${EXTRA[@]}" ;;
      hubert2)
        if [ ! -f "$fold/hubert/encoder.selfsup4j" ]; then
          echo "fsdd-loso.sh: hubert2 of fold $s needs $fold/hubert/encoder.selfsup4j (run hubert first)" >&2
          exit 3
        fi
        layer=()
        [ -n "$TARGET_LAYER" ] && layer=(--target-layer "$TARGET_LAYER")
        speech --method hubert --minutes "$minutes" "${common[@]}" --targets-from "$fold/hubert" "${layer[@]}" \
          --clusters "$ITER2_CLUSTERS" --overwrite --out "$out" "${own[@]}" "${EXTRA[@]}" ;;
    esac
  done
done
if command -v python3 >/dev/null; then
  python3 scripts/loso_table.py "$RESULTS"
fi
