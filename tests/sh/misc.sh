echo $(( $(echo 3) * 2 ))
x=abc; echo ${#x}
echo "a"'b'c\d
false; echo "$?" "$?"
a=1; b=$a; a=2; echo $b
echo # comment
echo not#comment
echo 'x' #trailing comment
: $((q=5)); echo $q
printf '%s\n' "$(echo a; echo b)"
echo ${x:-a}${x:+b}
i=5; while [ $i -gt 0 ]; do i=$((i-1)); done; echo done $i
