# ext
f() { local a=1 b; b=2; echo "$a$b"; g; }
g() { echo "g sees $a"; }
a=outer; f; echo $a
echo $'tab\there' $'nl\\n' $'q\'q'
x=hello
echo ${x/l/L} ${x//l/L} ${x/#h/H} ${x/%o/O} ${x:1} ${x:1:3} ${x: -2} ${x:0:1}
s="a.b.c"; echo ${s//./-}
[[ $x == h* ]] && echo glob match
[[ $x != z* && -n $x ]] && echo and ok
[[ -z "" || $x == nope ]] && echo or ok
[[ ! -f /nonexistent ]] && echo not ok
[[ abc < abd ]] && echo less
[[ 10 -gt 9 ]] && echo num
source /dev/null && echo sourced
function fn { echo function keyword; }
fn
r=$RANDOM; [ "$r" -ge 0 ] && [ "$r" -lt 32768 ] && echo random ok
set -o pipefail; false | true; echo "pipefail $?"
echo $LINENO
