exec 2>&1
set -x
echo a "b c"
x=1 y=2
f() { echo in-f; }
f arg
set +x
echo done
