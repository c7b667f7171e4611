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
false; ( echo "subshell sees $?"; true )
false; { echo "group sees $?"; }
false; x=$(echo "substitution sees $?"); echo "$x"
false; eval 'echo "eval sees $?"'
g() { echo "function sees $?"; }; false; g
f() { while return 3; do :; done; }; f; echo "return in condition $?"
(while exit 4; do :; done); echo "exit in condition $?"
(! exit 5); echo "negated exit $?"
