echo out > f1; cat f1
echo app >> f1; cat f1
cat < f1 | wc -l
echo err 2>&1 >/dev/null
{ echo to-stderr >&2; } 2>f2; cat f2
exec 3>f3; echo via3 >&3; exec 3>&-; cat f3
exec 4<f1; read line <&4; echo "read: $line"; exec 4<&-
echo rw 1<>f4; cat f4
set -C; (echo clobber > f1) 2>/dev/null || echo noclobber works; echo forced >| f1; cat f1; set +C
x=f5; echo indirect > $x; cat f5
: > f6; wc -c < f6
f() { echo in func; } ; f > f7; cat f7
{ echo g1; echo g2; } > f8; cat f8
for i in 1 2; do echo $i; done > f9; cat f9
echo nofile; cat < nonexistent 2>/dev/null || echo "status $?"
ls nonexistent-dir 2>&1 >/dev/null | grep -c . 
