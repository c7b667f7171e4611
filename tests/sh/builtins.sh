echo a b; echo -n n; echo
printf '%s-%d-%x-%o-%c|%5s|%-5s|%05d|%.2s\n' str 42 255 8 char ab ab 42 abcdef
printf '%s\n' a b c
printf 'no newline'; echo
printf '%b\n' 'esc\tape'
printf '%d %i\n' "'A" -3
printf '%%\n'
x=5; readonly x; (x=6) 2>/dev/null || echo readonly ok
export E1=exported; sh -c 'echo $E1' 2>/dev/null || echo $E1
unset E1; echo "unset:${E1-gone}"
eval 'echo eval $x'
eval "y=1; echo \$y"
type cd | grep -q builtin && echo type ok
command -v cd
command echo via command
set -- 1 2 3; shift 2; echo $1
: ; echo colon $?
true; echo $?; false; echo $?
v=$(pwd); [ "$v" = "$PWD" ] && echo pwd ok
read a b <<EOF
one two three
EOF
echo "$a|$b"
IFS=: read p q <<EOF
x:y:z
EOF
echo "$p|$q"
read -r raw <<'EOF'
back\slash
EOF
echo "$raw"
read cooked <<'EOF'
back\slash
EOF
echo "$cooked"
test 1 -eq 1 && echo t1; [ a = a ] && echo t2; [ -n "" ] || echo t3; [ ! -z x ] && echo t4
[ 2 -gt 1 -a 1 -lt 2 ] && echo t5; [ -d / ] && echo t6; [ -f / ] || echo t7
[ abc \< abd ] && echo t8
umask 022; umask
alias hi='echo hello'
eval hi
