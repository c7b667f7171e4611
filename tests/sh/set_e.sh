# status: 3
set -e
false || echo "or ok"
if false; then :; fi
false && echo no
! true
echo "still here"
f() { false; echo "not reached in f"; }
(exit 3)
echo not reached
