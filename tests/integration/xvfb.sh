# Sourced after lib.sh: a private X server for tests that answer the
# module's dialogs (mynacard-helper) with xdotool.
#
# start_xvfb [WxHxD]: Xvfb on a free display it picks itself (-displayfd,
# reported when ready), in a session of its own; exports DISPLAY and sets
# xvfb_pid for the caller's EXIT trap to stop. -noreset: an X server resets
# when its last client leaves, and a dialog connecting during that reset
# fails to start ("no Qt platform plugin"); dialogs come and go here.
start_xvfb() {
  setsid Xvfb -displayfd 3 -screen 0 "${1:-1280x1024x24}" -nolisten tcp -noreset \
    3>"$work/display" 2>"$work/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 100); do
    [[ -s $work/display ]] && break
    sleep 0.1
  done
  [[ -s $work/display ]] || fail "Xvfb did not start: $(<"$work/xvfb.log")"
  export DISPLAY=":$(head -1 "$work/display")"
}

# focus_dialog TITLE: waits up to 30 s for the window TITLE, gives it
# pointer and focus (there is no window manager) and prints its id; returns
# 1 when no such window appeared.
focus_dialog() {
  local wid
  wid=$(timeout 30 xdotool search --sync --onlyvisible --name "$1" | head -1) || true
  [[ -n $wid ]] || return 1
  xdotool mousemove --window "$wid" 30 30
  xdotool windowfocus "$wid" 2>/dev/null || true
  sleep 0.5  # Qt maps the window, then takes focus
  echo "$wid"
}

# type_in_dialog TITLE TEXT: types TEXT and Enter into the window TITLE
# (focus_dialog) and waits until it is gone. Fails when it never appeared.
type_in_dialog() {
  focus_dialog "$1" >/dev/null || fail "the dialog \"$1\" did not appear"
  xdotool type --delay 80 "$2"
  xdotool key Return
  for _ in $(seq 50); do
    xdotool search --onlyvisible --name "$1" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  fail "the dialog \"$1\" stayed open after Enter"
}
