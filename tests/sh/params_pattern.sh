f=/usr/local/lib/libfoo.so.1.2
echo ${f#*/} ${f##*/}
echo ${f%.*} ${f%%.*}
echo ${f#nomatch} ${f%nomatch}
x=aaa
echo ${x#a} ${x##a} ${x#a*} ${x##a*}x
echo ${x%a} ${x%%a} ${x%a*} ${x%%a*}x
p='a*'
echo ${x#$p} ${x#"$p"}
y='a*b'
echo ${y#"a*"} ${y#a\*}
echo ${f##*[/.]}
echo "${f#"/usr"}"
