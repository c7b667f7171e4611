set -- a "b c" d
echo $# "$1" "$2" "$3"
for a in "$@"; do echo "[$a]"; done
for a in $@; do echo "<$a>"; done
for a in "$*"; do echo "{$a}"; done
IFS=:
echo "$*"
IFS=' 	
'
set --
for a in "$@"; do echo never; done
echo "none:$#:$@:"
set -- 1 2 3 4 5 6 7 8 9 10 11
echo $10 ${10} ${11}
shift 3; echo $1 $#
shift; echo "$@"
true; echo $?
false; echo $?
f() { return 42; }; f; echo $?
echo $$ | grep -q '^[0-9][0-9]*$' && echo pid ok
sleep 0 & wait $!; echo bg $?
case $- in *e*) echo e;; *) echo no e;; esac
