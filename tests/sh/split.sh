v='  a  b   c  '
set -- $v; echo $#
IFS=:
v='a::b:'
set -- $v; echo $# "$1|$2|$3"
IFS=' :'
v=' a : b :: c '
set -- $v; echo $#; for x; do echo "[$x]"; done
IFS=
v='a b'
set -- $v; echo $#
unset IFS
v='x	y
z'
set -- $v; echo $#
IFS=' '
e=''
set -- $e; echo empty $#
set -- "$e"; echo quoted $#
set -- $e$e "" x; echo mixed $#
a='1 2'; b='3 4'
set -- $a$b; echo $# "$2"
