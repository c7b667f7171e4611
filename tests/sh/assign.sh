a=1 b=2; echo $a $b
a=x echo "temp:$a"
echo "after:$a"
x="a b c"; y=$x; echo "$y"
z=$x; set -- $z; echo $#
f() { echo "in f: $v"; }; v=temp f; echo "v:${v-unset}"
unset v; v=1; v=2 true; echo "v=$v"
empty=; echo "[${empty}]"
n=10; n=$((n+5)); echo $n
a=0; a=1 b=$a c=$b; echo "in order: $b $c"
