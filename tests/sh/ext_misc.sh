# ext
x=hello
echo ${x:0:0}x ${x:10} ${x: -10}y
s="one two three"; echo ${s// /_} ${s/#one/1} ${s/%three/3} ${s/t*/T}
[[ "a b" == "a b" ]] && echo quoted-eq
[[ x == [xy] ]] && echo bracket
[[ -e / && -d / ]] && echo files
p='h*'; [[ $x == $p ]] && echo var-pattern
[[ $x == "h*" ]] || echo quoted-pattern-literal
v=$'a\x41\101\u'; echo "$v"
f() { local -; local x=in; echo $x; }; f; echo $x
echo ${#x}
set -- a b c d; echo "${@:2}" "|" "${@:2:2}" "|" ${@: -1} "|" "${*:1:2}"
echo $'\u41z|\U42'
