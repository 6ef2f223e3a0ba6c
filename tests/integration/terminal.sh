# Sourced by the qualify tests: a stand-in for the qualification terminal's
# 連携アプリ, answering requests in req/ from the fixtures of
# tests/data/qualification (docs/qualification.md). No pcscd, no card.
fixtures=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data/qualification" && pwd)

# new_terminal DIR: the terminal's req, res and face folders.
new_terminal() { mkdir -p "$1/req" "$1/res" "$1/face"; }

# as_shift_jis FILE: the file in CP932, its declaration and
# CharacterCodeIdentifier saying so (what the Windows terminal writes).
as_shift_jis() {
  iconv -f UTF-8 -t CP932 "$1" |
    sed -e 's/encoding="UTF-8"/encoding="Shift_JIS"/' \
        -e 's:<CharacterCodeIdentifier>0<:<CharacterCodeIdentifier>1<:'
}

# answer_next DIR FIXTURE [sjis]: waits for the next request in DIR/req, keeps
# it as DIR/last_request.xml and answers with FIXTURE under the request's
# ArbitraryFileIdentifier, written under a temporary name first as the
# terminal does. Meant to run in the background.
answer_next() {
  local dir=$1 fixture=$2 encoding=${3:-utf8} req="" id base
  for _ in $(seq 150); do
    req=$(find "$dir/req" -maxdepth 1 -name 'OQSsiquc01req_*.xml' | head -1)
    [[ -n $req ]] && break
    sleep 0.1
  done
  [[ -n $req ]] || { echo "terminal: no request came" >&2; return 1; }
  id=$(sed -n 's:.*<ArbitraryFileIdentifier>\([^<]*\)</ArbitraryFileIdentifier>.*:\1:p' "$req")
  base=$(basename "$req")
  mv "$req" "$dir/last_request.xml"
  sed "s:<ArbitraryFileIdentifier>[^<]*</ArbitraryFileIdentifier>:<ArbitraryFileIdentifier>$id</ArbitraryFileIdentifier>:" \
    "$fixture" >"$dir/answer.tmp"
  if [[ $encoding == sjis ]]; then
    as_shift_jis "$dir/answer.tmp" >"$dir/answer.sjis"
    mv "$dir/answer.sjis" "$dir/answer.tmp"
  fi
  mv "$dir/answer.tmp" "$dir/res/${base/req_/res_}"
}

# with_date FIXTURE ELEMENT YYYYMMDD: the fixture with that element's date replaced.
with_date() {
  sed "s:<$2>[0-9]*</$2>:<$2>$3</$2>:" "$1"
}
