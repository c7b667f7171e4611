false; x=$?; echo $x
false; y=$((1 + $?)); echo $y
x=$(exit 4); echo $?
true; x=$(exit 4) y=1; echo $?
false; x=1; echo $?
pids=; i=0
while [ $i -lt 60 ]; do (exit $((i % 5))) & pids="$pids $!"; i=$((i+1)); done
sleep 0.2
sum=0; for p in $pids; do wait $p; sum=$((sum + $?)); done; echo "sum $sum"
f() { return $1; }; f 7; echo $?
! f 0; echo $?
f 3 || echo "or $?"
if f 2; then :; else echo "else $?"; fi
case x in y) ;; esac; echo "case $?"
false; for i in; do :; done; echo "for $?"
