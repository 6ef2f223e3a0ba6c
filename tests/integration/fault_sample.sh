#!/usr/bin/env bash
# A fixed sample of the fault matrix (scripts/faults --sample): every CLI and
# PKCS#11 operation under 3 fault kinds (rotating); every run must end
# with a clear error or the right result, no try spent, nothing left
# verified, and the operation working again afterwards.
source "$(dirname "$0")/lib.sh"
need python3 pkcs11-tool openssl
reset_readers
python3 "$(dirname "$0")/../../scripts/lib/fault-matrix.py" --build "$MYNACARD_BUILD_DIR" --sample \
  || fail "fault sample: see the failures above"
pass "fault sample"
